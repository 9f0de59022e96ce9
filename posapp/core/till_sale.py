"""The till in a sale paid card by card (issue 23): F11's amount due, each card's payment,
finishing (paid in full, or the rest handed to other tender) and cancelling (Esc: every card
paid refunded). The sale itself, its sums and its refusals are core/sale.py's; the engine
(terminal/sale.py `Sales`) journals and moves; this keeps the cashier screen's side.

What holds (tests/core/test_till_sale.py, a hypothesis machine over a model of the engine):
- a payment is asked for no more than the card can pay and what is left once the payments
  not yet known are counted (`Sale.offer`), so the done payments never add up past the due;
- a cancelled or finished sale gets no other call; at most one call is in flight, as ever;
- every answer of a sale's call carries the sale (`Result.sale`); when one fails or goes past
  its deadline the till reads the sale again (`ReadSale`) before it offers anything more.

Functions of the till's state (core/till_state.py), as core/actions.py's handlers are;
`Till` (core/till.py) routes the events here, the action table F11. Pure, no Tk.
"""

from __future__ import annotations

from posapp.core.gift import NOT_SOLD_YET, UNKNOWN_CARD, Gift
from posapp.core.keypad import AmountEntry, Refused
from posapp.core.money import AmountError
from posapp.core.sale import Sale
from posapp.core.serial_number import short
from posapp.core.till_events import Effect, ReadSale, Sound
from posapp.core.till_request import (
    CancelSale,
    FinishSale,
    OpenSale,
    PaySale,
    Request,
    Result,
)
from posapp.core.till_state import TillState
from posapp.core.till_words import sentences
from posapp.i18n import N_, _

# The words a cashier reads (posapp/i18n.py: marked here, translated where said).
IN_SALE = N_(
    "A sale is open ({left} left): scan the next card, F11 to finish it, or Esc to cancel it"
)
ITEM_CARD = N_(
    "Card {card} holds items, not money: it cannot pay toward this sale. Finish or cancel "
    "the sale (F11 or Esc), then redeem it"
)
RESUMED = N_("A sale was open when the till stopped: finish it (F11) or Esc to cancel it")
ENDED_UNPRINTED = {
    "paid": N_("Sale {sale} was paid in full when the till stopped: F9 prints its receipt"),
    "handed_over": N_(
        "Sale {sale} was finished when the till stopped ({collect}): F9 prints its receipt"
    ),
    "cancelled": N_(
        "Sale {sale} was cancelled when the till stopped, its cards refunded: F9 prints its receipt"
    ),
}
NOT_KNOWN_YET = N_(
    "{pending} paid by a card is not confirmed yet: wait until the till finds out (it says "
    "so here), then finish"
)
NOTHING_PAID = N_("No card has paid in this sale yet: scan a card, or Esc to cancel the sale")
FINISH_PAID = N_("Finish the sale: paid in full by cards")
FINISH_REST = N_("Finish the sale, then collect {left} by other means")  # as said after it
CANCEL = N_("Cancel the sale and refund every card paid")
CANCEL_UNPAID = N_("Cancel the sale")  # no card paid: nothing to refund (the trial, 12)
CANCEL_ASK = N_("Cancel the sale? Every card paid is refunded ({cards}). Esc keeps the sale open.")
CANCEL_ASK_NONE = N_("Cancel the sale? No card has paid in it yet. Esc keeps the sale open.")
NEXT_CARD = N_("Scan the next card, or F11: collect {left} by other means. Esc cancels the sale.")
PAID_IN_FULL = N_("Paid in full: printing the sale receipt…")
PRINT_RECEIPT = N_("Print the sale receipt")
PAID_UP = N_("Nothing is left to pay: F11 finishes the sale.")
SALE_OVER = N_("This sale is over: F11 starts a new one")
NO_CURRENCY = N_("Still connecting to the provider: try again in a moment")
CANNOT_PAY = N_("This card cannot pay")
START = N_("Start a sale of {amount}")
PAY = N_("Pay {amount} from {card}")
PAY_OK = N_("Pay {amount} from {card} (sale: {left} left)")
NOTHING_CHARGED = N_("Nothing was charged to {card}; the sale has {left} left.")
NOT_SOLD_IN_SALE = N_(
    "This card is not sold yet: it cannot pay. If the customer says it holds money, scan it "
    "again or check its code"
)
SALE_UNCHANGED = N_(
    "The sale is unchanged ({left} left): ask for another card, or F11 to collect the rest "
    "by other means"
)
FIX_FIRST = N_("Fix the amount first")
TYPE_FIRST = N_("Type the amount first")
FINISH_KEY = N_("Finish sale: collect {left}")
FINISH_KEY_PAID = N_("Finish sale: paid")


def sale_money(till: TillState, minor: int) -> str:
    return till.money(minor, _sale(till).currency)


def _sale(till: TillState) -> Sale:
    assert till.open_sale is not None, "asked only in a sale"
    return till.open_sale


# --- F11 ---------------------------------------------------------------------------------


def sale_key(till: TillState) -> list[Effect]:
    """F11: the amount due of a new sale; in a sale, finish it (the rest by other means)."""
    if till.in_sale:
        return ask_finish(till)
    if refused := till.offers.refusal("redemption"):  # NewStore: spent at its checkout
        return till._refuse(refused)
    if not till.currency:
        return till._refuse(_(NO_CURRENCY))
    till._close_overlay()
    till.card = None  # a new sale: the panel shows it, and each card is scanned into it
    till.phase, till.purpose = "entering", "due"
    till.entry = AmountEntry(till.currency, locale=till.locale)
    till.message = ""
    return []


def due_entered(till: TillState, ticket: str) -> list[Effect]:
    """Enter on the amount due: the sale is opened (journalled) for it."""
    assert till.entry is not None
    amount = till.entry.shown()
    words = _(START).format(amount=amount)
    number = ticket.strip() or None
    return till._start(Request(OpenSale(till.entry.minor, number), words))


def ask_finish(till: TillState) -> list[Effect]:
    """Enter or F11 in a sale: finish it, the rest to collect by other means."""
    sale = _sale(till)
    if sale.pending:
        return till._refuse(_(NOT_KNOWN_YET).format(pending=sale_money(till, sale.pending)))
    if not sale.paid:  # nothing to finish: the engine would refuse it after the confirm
        return till._refuse(_(NOTHING_PAID))
    left = sale_money(till, sale.left)
    words = _(FINISH_REST).format(left=left) if sale.left else _(FINISH_PAID)
    return till._ask(Request(FinishSale(sale.id), words))


def ask_cancel(till: TillState) -> list[Effect]:
    """Esc in a sale: cancel it, every card paid refunded (no manager PIN: the customer
    is at the counter and the sale is open, issue 23 point 4)."""
    sale = _sale(till)
    paid = sale.done_newest_first()
    cards = ", ".join(f"{short(p.code)} {sale_money(till, p.amount)}" for p in paid)
    detail = _(CANCEL_ASK).format(cards=cards) if cards else _(CANCEL_ASK_NONE)
    return till._ask(Request(CancelSale(sale.id, detail), _(CANCEL if cards else CANCEL_UNPAID)))


# --- a card in the sale ------------------------------------------------------------------


def sale_card(till: TillState, gift: Gift) -> list[Effect]:
    """A card found in a sale: its payment offered on the pay overlay, the smaller of
    what it can pay and what is left (the cashier may type less); or why it cannot."""
    sale = _sale(till)
    till.card, till.phase = gift, "card"
    if gift.kind == "item":
        return till._refuse(_(ITEM_CARD).format(card=short(gift.code)))
    if not gift.is_redeemable:
        why = till.view.why if till.view is not None else ""
        return till._refuse(
            refused_in_sale(till, why or gift.why_not_redeemable() or _(CANNOT_PAY))
        )
    redeemable = gift.eligible_value
    offer = sale.offer(redeemable)
    if offer <= 0:
        return till._refuse(sale.refusal(offer, redeemable, till.locale) or _(PAID_UP))
    till.phase, till.purpose, till.offered = "entering", "pay", True
    # No card maximum in the entry: core/sale.py's refusal says which limit a key passes,
    # what is left in the sale or what the card holds, in that order.
    till.entry = AmountEntry(gift.currency, locale=till.locale).type(str(offer))
    till.message, till.tone = "", "ok"
    return [Sound("good")]


def pay_key(till: TillState, key: str) -> list[Effect]:
    """A key on the pay overlay: the first one starts a new amount in place of the
    offer; an amount over what is left in the sale is refused as it is typed."""
    assert till.entry is not None
    if not till.in_sale:
        return _over(till)
    entry = till.entry.clear() if till.offered and not till.entry.doubt else till.entry
    till.offered = False
    if key == "BackSpace" and entry is not till.entry:
        till.entry, till.message = entry, ""
        return []
    try:
        typed = entry.press(key)
    except AmountError as exc:
        till.entry = entry.refuse(exc)
        return till._refuse(till.entry.fix_first())
    refused = _over_sale(till, typed.minor)
    if refused:
        till.entry = entry.refuse(Refused(refused, typed.minor))
        return till._refuse(till.entry.fix_first())
    till.entry, till.message = typed, ""
    return []


def _over_sale(till: TillState, amount: int) -> str | None:
    card = till._card()
    if amount <= 0:
        return None  # typing: Enter says "above zero"
    return _sale(till).refusal(amount, card.eligible_value, till.locale)


def pay_entered(till: TillState) -> list[Effect]:
    """Enter on the pay overlay, whose OK named card, amount and what is left after."""
    assert till.entry is not None
    if not till.in_sale:
        return _over(till)
    card, amount = till._card(), till.entry.minor
    refused = _sale(till).refusal(amount, card.eligible_value, till.locale)
    if refused:
        till.entry = till.entry.refuse(Refused(refused, amount))
        return till._refuse(till.entry.fix_first())
    words = _(PAY).format(amount=till.entry.shown(), card=short(card.code))
    return till._start(Request(PaySale(_sale(till).id, card, amount), words))


def pay_ok_words(till: TillState) -> str:
    """The pay overlay's OK: "Pay $40.00 from ••0001 (sale: $43.20 left)"."""
    entry, card = till.entry, till.card
    if entry is None or card is None or till.open_sale is None:
        return _("OK")
    if entry.doubt or not entry.minor:
        return _(FIX_FIRST) if entry.doubt else _(TYPE_FIRST)
    after = max(till.open_sale.left - till.open_sale.pending - entry.minor, 0)
    left = sale_money(till, after)
    return _(PAY_OK).format(amount=entry.shown(), card=short(card.code), left=left)


# --- answers ---------------------------------------------------------------------------


def sale_answered(till: TillState, call: Request, result: Result) -> list[Effect]:
    """A sale's call answered (the till's generic steps ran): the sale as it stands now;
    paid in full, it finishes by itself; failed, it is read again."""
    if result.sale is None:
        return [ReadSale()] if call.kind.startswith("sale_") else []
    till.open_sale = result.sale if result.sale.is_open else None
    sale = till.open_sale
    if sale is None or till.phase not in ("idle", "card"):
        return []
    if call.kind == "sale_pay" and not sale.left and not sale.pending:
        said = till.message
        effects = till._start(Request(FinishSale(sale.id), _(PRINT_RECEIPT)))
        till.message = sentences(said, _(PAID_IN_FULL))
        return effects
    if result.tone == "ok":
        left = sale_money(till, sale.left)
        till.message = sentences(till.message, _(NEXT_CARD).format(left=left))
    return []


def sale_late(till: TillState, result: Result) -> None:
    """A sale's answer after its deadline: the sale's figures, if it is this one."""
    sale, now = result.sale, till.open_sale
    if sale is None or (now is not None and now.id != sale.id):
        return
    till.open_sale = sale if sale.is_open else None
    if till.open_sale is None:
        _close_sale_overlay(till)


def sale_resumed(till: TillState, sale: Sale) -> list[Effect]:
    """On attach: the sale the journal had open when the till stopped; or one that ended
    then, before its receipt printed (the sale trial, finding 1: the card was charged, and
    nothing on screen said so)."""
    if till.in_sale:
        return []
    if not sale.is_open:
        words = ENDED_UNPRINTED.get(sale.state)
        if words is not None and till.phase in ("idle", "card"):
            name = sale.ticket or str(sale.id)
            collect = sale.collect(till.locale)
            till.message, till.tone = _(words).format(sale=name, collect=collect), "warn"
        return []
    till.open_sale = sale
    if till.phase in ("idle", "card"):
        till.message, till.tone = _(RESUMED), "warn"
    return []


def sale_read(till: TillState, sale: Sale | None) -> list[Effect]:
    """The open sale read again after a sale's call failed or ran out of time."""
    till.open_sale = sale if sale is not None and sale.is_open else None
    if till.open_sale is None:
        _close_sale_overlay(till)
    return []


def refused_in_sale(till: TillState, words: str, *, card_said: bool = True) -> str:
    """A card that cannot pay, scanned in a sale: what to do in the sale (the sale trial,
    findings 5 and 6: "F5 sells it", with F5 off in a sale; no word of the sale)."""
    if till.open_sale is None:
        return words
    if words in (_(UNKNOWN_CARD), _(NOT_SOLD_YET)):
        words = _(NOT_SOLD_IN_SALE)
    elif not card_said:
        return words  # not about the card (the provider cannot be reached): as said
    return sentences(words, _(SALE_UNCHANGED).format(left=sale_money(till, till.open_sale.left)))


def escaped(till: TillState) -> str:
    """The words after Esc on an overlay: on the pay overlay in a sale, that nothing was
    charged (the sale trial, finding 13: it closed with no word); else none."""
    if till.phase != "entering" or till.purpose != "pay" or till.open_sale is None:
        return ""
    card = short(till.card.code) if till.card is not None else ""
    left = sale_money(till, till.open_sale.left)
    till.tone = "ok"
    return _(NOTHING_CHARGED).format(card=card, left=left)


def _close_sale_overlay(till: TillState) -> None:
    """The sale ended while its pay overlay or its finish or cancel confirm was open (a
    late answer, or the sale read again): that overlay closes, as there is no sale for it."""
    asked = till.pending.kind if till.pending is not None else ""
    paying = till.phase == "entering" and till.purpose == "pay"
    if paying or (till.phase == "confirming" and asked in ("sale_finish", "sale_cancel")):
        till._close_overlay()
        till.phase = "card" if till.card else "idle"


def _over(till: TillState) -> list[Effect]:
    _close_sale_overlay(till)
    return till._refuse(_(SALE_OVER))


def in_sale_words(till: TillState) -> str:
    """What an action key other than F4 and F11 says in a sale."""
    return _(IN_SALE).format(left=sale_money(till, _sale(till).left))


def key_words(till: TillState) -> str:
    """F11's button: "Amount due" (its label), or in a sale what it does now."""
    if not till.in_sale:
        return ""
    left = _sale(till).left
    return _(FINISH_KEY).format(left=sale_money(till, left)) if left else _(FINISH_KEY_PAID)
