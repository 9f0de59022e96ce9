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


@dataclass(frozen=True, slots=True)
class Action:
    """One entry of the action table: the window's button, key and enabling."""

    name: ActionName
    label: str
    key: str  # a Tk keysym, "F2"
    enabled: Callable[[TillState], bool]
    handler: Callable[[TillState], list[Effect]]
    words: Callable[[TillState], str] = lambda till: ""  # the label naming card and amount


# --- the handlers --------------------------------------------------------------------------


def redeem(till: TillState) -> list[Effect]:
    card = till._card()
    if card.kind == "item":  # one key moves an item: it waits for Enter
        words = f"Redeem 1 × {card.item_label} from {short(card.code)}"
        return till._ask(Request(RedeemItems(card, 1), words))
    till._close_overlay()
    till.phase, till.purpose = "entering", "redeem"
    till.entry = AmountEntry(card.currency, card.eligible_value, till.locale)
    till.message = ""
    return []


def use_all(till: TillState) -> list[Effect]:
    card = till._card()
    words = f"Redeem the full balance, {till.money(card.eligible_value, card.currency)}, from {short(card.code)}"
    till._close_overlay()
    return till._ask(Request(RedeemAll(card, card.eligible_value), words))


def cash_out(till: TillState) -> list[Effect]:
    card = till._card()
    if refused := _cash_refusal(till):  # before any PIN
        return till._refuse(refused)
    amount = till.money(card.eligible_value, card.currency)
    words = f"Pay out {amount} in cash from {short(card.code)}"
    law = till.cash_law  # the confirm names it (Request.detail); the store's policy yields
    job = CashOut(card, card.eligible_value, law.statute if law else None)
    return till._ask(Request(job, words, pin_for="cash_out"))


def balance(till: TillState) -> list[Effect]:
    card = till._card()
    words = f"Print the balance of {short(card.code)}"
    return till._start(Request(PrintBalance(card), words))


def reprint(till: TillState) -> list[Effect]:
    return till._start(Request(Reprint(till.card), "Reprint the last receipt"))


def sell(till: TillState) -> list[Effect]:
    if not till.currency:
        return till._refuse("Still connecting to the provider: try again in a moment")
    till.phase, till.purpose = "entering", "sell"
    till.entry = sale_entry(till.currency, till.sale_limits, till.locale)
    till.message = ""
    return []


def refund(till: TillState) -> list[Effect]:
    if refused := till.offers.refusal("issue"):  # before the amount pad and the PIN
        return till._refuse(refused)
    if not till.currency:
        return till._refuse("Still connecting to the provider: try again in a moment")
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
    return till._ask(Request(OpenManager(), "Open the manager menu", pin_for="cards"))


# --- the steps an action leads to ------------------------------------------------------


def amount_entered(till: TillState, email: str, ticket: str = "") -> list[Effect]:
    assert till.entry is not None
    if till.entry.doubt:  # a key was refused: the amount on show is not what was meant
        return till._refuse(till.entry.fix_first())
    minor = till.entry.minor
    if minor <= 0:
        return till._refuse("Enter an amount above zero")
    if till.purpose == "due":
        return till_sale.due_entered(till, ticket)
    if till.purpose == "pay":
        return till_sale.pay_entered(till)
    if till.purpose == "redeem":
        if seen := till.selling_offline.seen_card(till.card):  # shown as last seen online
            return till_offline.redeem_entered(till, seen, minor)
        card = till._card()
        words = f"Redeem {till.entry.shown()} from {short(card.code)}"
        # The amount overlay named card and amount on its OK: it is its own confirmation.
        return till._start(Request(Redeem(card, minor), words))
    if till.purpose == "sell":
        refused = amount_refusal(minor, till.sale_limits, till.currency, till.locale)
        if refused:
            till.entry = till.entry.refuse(Refused(refused, minor))  # BackSpace first
            return till._refuse(till.entry.fix_first())
    if till.purpose == "refund":
        words = f"Refund {till.entry.shown()} to a new gift card"
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
        f"Now scan the new gift card to sell it for {till.money(amount)} (Esc cancels)",
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
        return till._refuse(f"{found.reason}: scan the new card again")
    words = f"Sell {short(found.value)} for {till.money(sale.amount)}"
    # Looked up first (issue 19.4): a card already sold is said before the confirm.
    till.selling, till.pending, till.pin_check = sale, None, None
    till.phase = "selling"
    till.sale_check = (till._next_id(), Request(Sell(text, sale.amount, sale.pricebook), words))
    till.message, till.tone = f"Checking {short(found.value)}…", "muted"
    return [CheckSale(till.sale_check[0], text)]


def confirm_reversal(till: TillState, found: Reversible) -> list[Effect]:
    """A redemption or cash-out reversed, or a card sold or issued voided: named, with
    when it was made (and the day, for an earlier shift's: the PIN is then always asked)."""
    undoing = "void" if found.operation in ("activation", "issue") else "reversal"
    if refused := till.offers.refusal(undoing):  # before the words of the cash and the PIN
        return till._refuse(refused)
    amount = found.moved(till.locale)
    at = f" made at {found.at}" if found.at else ""
    if found.earlier:
        at = f" made {found.earlier}{' at ' + found.at if found.at else ''}"
    if found.operation in ("activation", "issue"):
        # Short: the words are the confirm's OK button too, which must fit 1024 px.
        card = "card sold" if found.operation == "activation" else "refund card"
        when = f", {found.at}" if found.at else ""
        words = f"Void the {card} {short(found.code)} ({amount}{when}) and close it"
        undo: type[Reverse | Void] = Void
    else:
        what = transaction(found.operation).lower()
        words = f"Reverse the {what} of {amount} on {short(found.code)}{at}"
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
    till.message, till.tone = f"Checking {short(found.code)}…", "muted"
    return [CheckUndo(till.undo_check[0], found.entry_id, pin=till.card_pin_for(request))]


def why_not(till: TillState, act: Action) -> str:
    """Why an action's key does nothing here, in words."""
    if till.phase == "busy":
        assert till.in_flight is not None
        return f"Wait: {doing(till.in_flight)}"
    if till.phase == "checking":
        return "Wait: the card is being checked"
    if till.phase not in ("idle", "card"):
        return f"{act.label} is not open here: finish this first, or Esc to cancel"
    if till.in_sale:  # F4 and F11 serve a sale; every other key waits for its end
        return till_sale.in_sale_words(till)
    spends = act.name in ("redeem", "use_all")
    if spends and (refused := till.offers.refusal("redemption")):
        return refused  # the key refused in the API's words, with or without a card
    if till.card is None:
        return f"{act.label}: scan a gift card first"
    if act.name == "cash_out" and (refused := _cash_refusal(till)):
        return refused
    return till.card.why_not_redeemable() or f"{act.label} does not apply to this card"


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
    return f"{label}: {till.offers.where}"


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
        return _money_words("Cash out", "Cash out")(till)
    return (
        "Cash out: not at this store" if not till.cash_out.allowed else "Cash out: above the limit"
    )


def _redeem_words(till: TillState) -> str:
    """Redeem names the card, and on an item gift the item one key takes ("1 × Coffee")."""
    card = till.card
    if card is None or not _can_pay(till):
        return (_with_card(till) and unusable.label("Redeem", card)) or "Redeem"
    if not_here := _not_here(till, "Redeem"):
        return not_here
    if card.kind == "item":
        return f"Redeem 1 × {card.item_label or 'item'} from {short(card.code)}"
    return f"Redeem from {short(card.code)}"


def _money_words(verb: str, label: str, spends: bool = False) -> Callable[[TillState], str]:
    """A money-only action names card and amount; on an item gift, which holds no money
    ("Use all $0.00" before), it says it is for money cards and stays off."""

    def words(till: TillState) -> str:
        card = till.card
        if card is None or not _can_pay(till):
            return (_with_card(till) and unusable.label(label, card)) or label
        if card.kind != "monetary":
            return f"{label}: money cards only"
        if spends and (not_here := _not_here(till, label)):
            return not_here
        return f"{verb} {till.money(card.eligible_value, card.currency)} from {short(card.code)}"

    return words


ACTIONS: tuple[Action, ...] = (
    Action("redeem", "Redeem", "F2", _can_spend, redeem, _redeem_words),
    Action(
        "use_all",
        "Use full balance",
        "F3",
        _can_spend_money,
        use_all,
        _money_words("Use all", "Use full balance", spends=True),
    ),
    Action("balance", "Print balance", "F4", _with_card, balance),
    Action("sell", "Sell card", "F5", _free, sell),
    Action("refund", "Refund to card", "F6", _free, refund),
    Action("reverse", "Reverse", "F7", _free, reverse),
    Action(
        "cash_out",
        "Cash out",
        "F8",
        _can_cash_out,
        cash_out,
        _cash_out_words,
    ),
    Action("reprint", "Reprint", "F9", _free, reprint),
    Action("reports", "Reports", "F10", _free, lambda till: till._open("reports")),
    Action("sale", "Amount due", "F11", _open, till_sale.sale_key, till_sale.key_words),
    Action("manager", "Manager", "F12", _free, manager),
)
ACTION_BY_NAME = {a.name: a for a in ACTIONS}
