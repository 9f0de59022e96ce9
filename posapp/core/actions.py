"""The action table (core/till.py): name, label, key, when enabled, what it does. The window
makes its buttons and key bindings from it; adding an action is one entry. Each handler is a
function of the till's state (core/till_state.py) and returns the effects to carry out; the
steps an action leads to (an amount entered, a card scanned to sell, a transaction picked to
undo) are here too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from posapp.core import cash_out as cash_policy
from posapp.core import till_offline, till_sale, unusable
from posapp.core.activation import amount_refusal, sale_entry
from posapp.core.cash_side import after_undo, before_undo
from posapp.core.glossary import transaction
from posapp.core.keypad import AmountEntry, Refused
from posapp.core.reversal_words import reverse_words, void_words
from posapp.core.serial_number import short
from posapp.core.serials import CardRef
from posapp.core.till_events import ActionName, CheckSale, CheckUndo, Effect
from posapp.core.till_request import (
    CashOut,
    OpenManager,
    PrintBalance,
    Redeem,
    RedeemAll,
    RedeemItems,
    Refund,
    Reprint,
    Request,
    Reverse,
    Reversible,
    Sell,
    Selling,
    Void,
)
from posapp.core.till_state import TillState
from posapp.core.till_words import doing
from posapp.i18n import N_, _


@dataclass(frozen=True, slots=True)
class Action:
    """One entry of the action table: the window's button, key and enabling."""

    name: ActionName
    english: str  # the label's msgid (N_): `label` says it in the language in use
    key: str  # a Tk keysym, "F2"
    enabled: Callable[[TillState], bool]
    handler: Callable[[TillState], list[Effect]]
    words: Callable[[TillState], str] = lambda till: ""  # the label naming card and amount

    @property
    def label(self) -> str:
        return _(self.english)


# --- the handlers --------------------------------------------------------------------------


def redeem(till: TillState) -> list[Effect]:
    card = till._card()
    if card.kind == "item":  # one key moves an item: it waits for Enter
        words = _("Redeem 1 × {item} from {card}").format(
            item=card.item_label, card=short(card.code)
        )
        return till._ask(Request(RedeemItems(card, 1), words))
    till._close_overlay()
    till.phase, till.purpose = "entering", "redeem"
    till.entry = AmountEntry(card.currency, card.eligible_value, till.locale)
    till.message = ""
    return []


def use_all(till: TillState) -> list[Effect]:
    card = till._card()
    amount = till.money(card.eligible_value, card.currency)
    words = _("Redeem the full balance, {amount}, from {card}").format(
        amount=amount, card=short(card.code)
    )
    till._close_overlay()
    return till._ask(Request(RedeemAll(card, card.eligible_value), words))


def cash_out(till: TillState) -> list[Effect]:
    card = till._card()
    if refused := _cash_refusal(till):  # before any PIN
        return till._refuse(refused)
    amount = till.money(card.eligible_value, card.currency)
    words = _("Pay out {amount} in cash from {card}").format(amount=amount, card=short(card.code))
    law = till.cash_law  # the confirm names it (Request.detail); the store's policy yields
    job = CashOut(card, card.eligible_value, law.statute if law else None)
    return till._ask(Request(job, words, pin_for="cash_out"))


def balance(till: TillState) -> list[Effect]:
    card = till._card()
    words = _("Print the balance of {card}").format(card=short(card.code))
    return till._start(Request(PrintBalance(card), words))


def reprint(till: TillState) -> list[Effect]:
    return till._start(Request(Reprint(till.card), _("Reprint the last receipt")))


def sell(till: TillState) -> list[Effect]:
    if not till.currency:
        return till._refuse(_("Still connecting to the provider: try again in a moment"))
    till.phase, till.purpose = "entering", "sell"
    till.entry = sale_entry(till.currency, till.sale_limits, till.locale)
    till.message = ""
    return []


def refund(till: TillState) -> list[Effect]:
    if refused := till.offers.refusal("issue"):  # before the amount pad and the PIN
        return till._refuse(refused)
    if not till.currency:
        return till._refuse(_("Still connecting to the provider: try again in a moment"))
    till.phase, till.purpose = "entering", "refund"
    till.entry = AmountEntry(till.currency, locale=till.locale)
    till.message = ""
    return []


def reverse(till: TillState) -> list[Effect]:
    if (refused := till.offers.refusal("reversal")) and till.offers.refusal("void"):
        return till._refuse(refused)  # nothing F7 could do: said before the list and the PIN
    till.phase, till.message = "picking", ""
    return []


def manager(till: TillState) -> list[Effect]:
    return till._ask(Request(OpenManager(), _("Open the manager menu"), pin_for="cards"))


# --- the steps an action leads to ------------------------------------------------------


def amount_entered(till: TillState, email: str, ticket: str = "") -> list[Effect]:
    assert till.entry is not None
    if till.entry.doubt:  # a key was refused: the amount on show is not what was meant
        return till._refuse(till.entry.fix_first())
    minor = till.entry.minor
    if minor <= 0:
        return till._refuse(_("Enter an amount above zero"))
    if till.purpose == "due":
        return till_sale.due_entered(till, ticket)
    if till.purpose == "pay":
        return till_sale.pay_entered(till)
    if till.purpose == "redeem":
        if seen := till.selling_offline.seen_card(till.card):  # shown as last seen online
            return till_offline.redeem_entered(till, seen, minor)
        card = till._card()
        words = _("Redeem {amount} from {card}").format(
            amount=till.entry.shown(), card=short(card.code)
        )
        # The amount overlay named card and amount on its OK: it is its own confirmation.
        return till._start(Request(Redeem(card, minor), words))
    if till.purpose == "sell":
        refused = amount_refusal(minor, till.sale_limits, till.currency, till.locale)
        if refused:
            till.entry = till.entry.refuse(Refused(refused, minor))  # BackSpace first
            return till._refuse(till.entry.fix_first())
    if till.purpose == "refund":
        words = _("Refund {amount} to a new gift card").format(amount=till.entry.shown())
        request = Request(Refund(minor, email.strip() or None), words, pin_for="refund")
        if till._pin_needed(request):
            return till._ask(request)
        return till._start(request)
    return wait_for_card_to_sell(till, minor, None)


def wait_for_card_to_sell(till: TillState, amount: int, pricebook: str | None) -> list[Effect]:
    till.entry, till.purpose = None, None
    till.selling = Selling(amount, pricebook)
    till.phase = "selling"
    till.message, till.tone = (
        _("Now scan the new gift card to sell it for {amount} (Esc cancels)").format(
            amount=till.money(amount)
        ),
        "ok",
    )
    return []


def scan_to_sell(till: TillState, text: str) -> list[Effect]:
    sale = till.selling
    if sale is None:  # confirming a sale: another card scanned in its place
        assert till.pending is not None
        assert isinstance(till.pending.job, Sell)
        sale = Selling(till.pending.job.amount, till.pending.job.pricebook)
    found = till.patterns.extract(text)
    if not isinstance(found, CardRef):
        return till._refuse(_("{why}: scan the new card again").format(why=found.reason))
    words = _("Sell {card} for {amount}").format(
        card=short(found.value), amount=till.money(sale.amount)
    )
    # Looked up first (issue 19.4): a card already sold is said before the confirm.
    till.selling, till.pending, till.pin_check = sale, None, None
    till.phase = "selling"
    till.sale_check = (till._next_id(), Request(Sell(text, sale.amount, sale.pricebook), words))
    till.message, till.tone = _("Checking {card}…").format(card=short(found.value)), "muted"
    return [CheckSale(till.sale_check[0], text)]


def confirm_reversal(till: TillState, found: Reversible) -> list[Effect]:
    """A redemption or cash-out reversed, or a card sold or issued voided: named, with
    when it was made (and the day, for an earlier shift's: the PIN is then always asked)."""
    undoing = "void" if found.operation in ("activation", "issue") else "reversal"
    if refused := till.offers.refusal(undoing):  # before the words of the cash and the PIN
        return till._refuse(refused)
    amount = found.moved(till.locale)
    if found.operation in ("activation", "issue"):
        words = void_words(found.operation, short(found.code), amount, found.at)
        undo: type[Reverse | Void] = Void
    else:
        what = transaction(found.operation)
        words = reverse_words(what, amount, short(found.code), found.at, found.earlier)
        undo = Reverse
    of_items = found.quantity is not None
    job = undo(
        found.entry_id,
        found.code,
        detail=before_undo(found.operation, amount, items=of_items),
        after=after_undo(found.operation, amount, items=of_items),
    )
    request = Request(job, words, pin_for="reverse", pin_always=bool(found.earlier))
    # Its card looked up before the PIN is asked (undo_checked): one closed since is said.
    till.undo_check = (till._next_id(), request)
    till.message, till.tone = _("Checking {card}…").format(card=short(found.code)), "muted"
    return [CheckUndo(till.undo_check[0], found.entry_id, pin=till.card_pin_for(request))]


def why_not(till: TillState, act: Action) -> str:
    """Why an action's key does nothing here, in words."""
    if till.phase == "busy":
        assert till.in_flight is not None
        return _("Wait: {doing}").format(doing=doing(till.in_flight))
    if till.phase == "checking":
        return _("Wait: the card is being checked")
    if till.phase not in ("idle", "card"):
        return _("{action} is not open here: finish this first, or Esc to cancel").format(
            action=act.label
        )
    if till.in_sale:  # F4 and F11 serve a sale; every other key waits for its end
        return till_sale.in_sale_words(till)
    spends = act.name in ("redeem", "use_all")
    if spends and (refused := till.offers.refusal("redemption")):
        return refused  # the key refused in the API's words, with or without a card
    if till.card is None:
        return _("{action}: scan a gift card first").format(action=act.label)
    if act.name == "cash_out" and (refused := _cash_refusal(till)):
        return refused
    return till.card.why_not_redeemable() or _("{action} does not apply to this card").format(
        action=act.label
    )


# --- the action table ----------------------------------------------------------------------


def _open(till: TillState) -> bool:
    """Nothing open over the cashier screen (a sale may be: F4 and F11 serve it)."""
    return till.phase in ("idle", "card")


def _free(till: TillState) -> bool:
    """Nothing open, and no sale: in a sale every other key says to finish or cancel it."""
    return _open(till) and not till.in_sale


def _with_card(till: TillState) -> bool:
    return _open(till) and till.card is not None


def _can_pay(till: TillState) -> bool:
    return _free(till) and till.card is not None and till.card.is_redeemable


def _can_spend(till: TillState) -> bool:
    """Redeem's and Use all's: a card that can pay, on an API that redeems."""
    return _can_pay(till) and till.offers.refusal("redemption") is None


def _can_spend_money(till: TillState) -> bool:
    return _can_spend(till) and _can_pay_money(till)


def _not_here(till: TillState, label: str) -> str | None:
    """A greyed key's words where the API has no call for redeeming ("Redeem: at the
    NewStore checkout"), as a card that cannot pay greys it."""
    if till.offers.refusal("redemption") is None:
        return None
    return f"{label}: {_(till.offers.where)}"


def _can_pay_money(till: TillState) -> bool:
    return _can_pay(till) and till.card is not None and till.card.kind == "monetary"


def _cash_refusal(till: TillState) -> str | None:
    """Why the store does not pay this card out in cash, as it last said (the trial of a
    till, 5b #8: after the limit refused it, F8 still offered "Cash out $25.00"); none where
    a law entitles the holder to the balance in cash (issue 25.3: the law wins)."""
    card = till.card
    if card is None or till.cash_law is not None:
        return None
    return cash_policy.refusal(card, till.cash_out, till.locale)


def _can_cash_out(till: TillState) -> bool:
    return _can_pay_money(till) and _cash_refusal(till) is None


def _cash_out_words(till: TillState) -> str:
    """F8 names card and amount, or, off, why: the store's switch or its limit."""
    if not _can_pay_money(till) or till.cash_out is None or _cash_refusal(till) is None:
        return _money_words(N_("Cash out {amount} from {card}"), N_("Cash out"))(till)
    if not till.cash_out.allowed:
        return _("Cash out: not at this store")
    return _("Cash out: above the limit")


def _redeem_words(till: TillState) -> str:
    """Redeem names the card, and on an item gift the item one key takes ("1 × Coffee")."""
    card = till.card
    if card is None or not _can_pay(till):
        return (_with_card(till) and unusable.label(_("Redeem"), card)) or _("Redeem")
    if not_here := _not_here(till, _("Redeem")):
        return not_here
    if card.kind == "item":
        return _("Redeem 1 × {item} from {card}").format(
            item=card.item_label or _("item"), card=short(card.code)
        )
    return _("Redeem from {card}").format(card=short(card.code))


def _money_words(doing: str, english: str, spends: bool = False) -> Callable[[TillState], str]:
    """A money-only action names card and amount (`doing`: the msgid, "Use all {amount} from
    {card}"); on an item gift, which holds no money ("Use all $0.00" before), it says it is
    for money cards and stays off."""

    def words(till: TillState) -> str:
        card, label = till.card, _(english)
        if card is None or not _can_pay(till):
            return (_with_card(till) and unusable.label(label, card)) or label
        if card.kind != "monetary":
            return _("{action}: money cards only").format(action=label)
        if spends and (not_here := _not_here(till, label)):
            return not_here
        amount = till.money(card.eligible_value, card.currency)
        return _(doing).format(amount=amount, card=short(card.code))

    return words


ACTIONS: tuple[Action, ...] = (
    Action("redeem", N_("Redeem"), "F2", _can_spend, redeem, _redeem_words),
    Action(
        "use_all",
        N_("Use full balance"),
        "F3",
        _can_spend_money,
        use_all,
        _money_words(N_("Use all {amount} from {card}"), N_("Use full balance"), spends=True),
    ),
    Action("balance", N_("Print balance"), "F4", _with_card, balance),
    Action("sell", N_("Sell card"), "F5", _free, sell),
    Action("refund", N_("Refund to card"), "F6", _free, refund),
    Action("reverse", N_("Reverse"), "F7", _free, reverse),
    Action(
        "cash_out",
        N_("Cash out"),
        "F8",
        _can_cash_out,
        cash_out,
        _cash_out_words,
    ),
    Action("reprint", N_("Reprint"), "F9", _free, reprint),
    Action("reports", N_("Reports"), "F10", _free, lambda till: till._open("reports")),
    Action("sale", N_("Amount due"), "F11", _open, till_sale.sale_key, till_sale.key_words),
    Action("manager", N_("Manager"), "F12", _free, manager),
)
ACTION_BY_NAME = {a.name: a for a in ACTIONS}
