"""A receipt's barcode scanned at the till: the journal's transaction it names, what it is and
when, and whether it can still be undone (issue 19.13: a receipt kept from an earlier shift
read "Gift card not found").

The barcode is the journal's receipt number (or, on receipts before journal version 4, the
provider's id): both found by index, in the open shift first, then in any earlier one. A
redemption or cash-out of an earlier shift can still be reversed when the provider allows it
(it is asked first: reversed there already, or its card canceled since, is said before the
PIN is asked); the till asks the manager's PIN for it whatever the config says. A card sold
or issued is voided only in its own shift (terminal/reversal.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from posapp.core.entry import Entry
from posapp.core.gift import Gift
from posapp.core.glossary import RECEIPT_OF, day, items
from posapp.core.money import format_money
from posapp.core.serial_number import short
from posapp.core.till_request import Reversible
from posapp.i18n import N_, _
from posapp.terminal.ports import (
    CashierError,
    EntryFinder,
    GiftProvider,
    PinNeeded,
    ProviderError,
)
from posapp.terminal.reversal import REVERSED, UNDONE, VOIDED, reversible


def could_be_receipt(text: str) -> bool:
    """Only digits, as a receipt number is (a 64-bit id has at most 20): nothing else is
    looked up, so a card's scan costs the journal nothing."""
    return text.isdigit() and len(text) <= 20


def offered(entry: Entry, undone: Entry | None, *, earlier: str = "") -> Reversible | None:
    """The entry as the till offers it to undo, or None when it cannot be."""
    if entry.operation not in UNDONE or not entry.moved_money or undone is not None:
        return None
    return Reversible(
        entry.id,
        entry.operation,
        entry.code,
        entry.amount,
        entry.currency,
        f"{datetime.fromtimestamp(entry.created_at):%H:%M}",
        entry.quantity,
        entry.item_label,
        earlier=earlier,
    )


def what_it_is(entry: Entry, locale: str, *, earlier: str = "") -> str:
    """ "This is the receipt of a redemption of $5.00 on ••0001" (and when, for an earlier
    shift's)."""
    what = _(RECEIPT_OF.get(entry.operation, N_("a transaction")))
    if entry.quantity is not None:
        moved = items(entry.quantity, entry.item_label)
        what = _("{what} of {amount}").format(what=what, amount=moved)
    elif entry.amount is not None:
        moved = format_money(entry.amount, entry.currency, locale)
        what = _("{what} of {amount}").format(what=what, amount=moved)
    on_card = entry.card_code is not None
    if earlier:
        said = (
            _("This is the receipt of {what} on {card}, made {day} at {time} (an earlier shift)")
            if on_card
            else _("This is the receipt of {what}, made {day} at {time} (an earlier shift)")
        )
    else:
        said = (
            _("This is the receipt of {what} on {card}")
            if on_card
            else _("This is the receipt of {what}")
        )
    made = datetime.fromtimestamp(entry.created_at)
    return said.format(
        what=what, card=short(entry.card_code or ""), day=earlier, time=f"{made:%H:%M}"
    )


def why_not(entry: Entry, undone: Entry | None, locale: str, *, earlier: str = "") -> str:
    """What a scanned receipt is, when it cannot be undone, and why."""
    what = what_it_is(entry, locale, earlier=earlier)
    voided = entry.operation in VOIDED
    if entry.operation == "void":
        said = _("{what}; it cannot be undone")
    elif entry.operation not in UNDONE:
        said = _("{what}; it can't be reversed")
    elif undone is not None and undone.to_settle:
        said = (
            _("{what} that is being voided already")
            if voided
            else _("{what} that is being reversed already")
        )
    elif undone is not None:
        said = (
            _("{what} that was voided already") if voided else _("{what} that was reversed already")
        )
    elif entry.to_settle:
        said = (
            _("{what} that is still to settle: void it once it is settled")
            if voided
            else _("{what} that is still to settle: reverse it once it is settled")
        )
    else:
        said = _("{what} that did not go through: there is nothing to undo")
    return said.format(what=what)


def scanned_earlier(
    journal: EntryFinder, provider: GiftProvider, text: str, *, locale: str
) -> Reversible | None:
    """A receipt of an earlier shift: to reverse (the till asks the PIN), or CashierError
    saying what it is, when, and why it cannot be undone; None when the text is no receipt
    this till printed (a card, then)."""
    if not could_be_receipt(text):
        return None
    entry = journal.entry_for_receipt(None, text) or journal.entry_for_transaction(None, text)
    if entry is None:
        return None
    made = day(datetime.fromtimestamp(entry.created_at))
    undone = journal.reversal_of(entry.id)
    found = offered(entry, undone, earlier=made)
    if found is None:
        raise CashierError(why_not(entry, undone, locale, earlier=made))
    if entry.operation in VOIDED:
        said = _(
            "{what}: a card is voided only in the shift that sold it. The manager can change "
            "the card in the gift cards screen (F12)"
        )
        raise CashierError(said.format(what=what_it_is(entry, locale, earlier=made)))
    assert entry.operation in REVERSED
    _still_reversible(provider, entry, what_it_is(entry, locale, earlier=made))
    return found


def _still_reversible(provider: GiftProvider, entry: Entry, what: str) -> None:
    """The provider's word on it now: reversed there already (by another till, or the
    back office), or its card canceled since; said before the PIN is asked."""
    card: Gift | None = None
    try:
        theirs = provider.transactions(gift_id=entry.gift_id) if entry.gift_id else []
        card = provider.validate(code=entry.code)
    except PinNeeded:
        pass  # read only with the customer's PIN (Adyen): the provider refuses what it must
    except ProviderError as exc:
        said = _("{what}; the provider cannot be asked about it now: {why}")
        raise CashierError(said.format(what=what, why=exc)) from exc
    mine = next((t for t in theirs if t.id == entry.transaction_id), None)
    if mine is not None and mine.state == "reversed":
        said = _("{what}; the provider says it was reversed already")
        raise CashierError(said.format(what=what))
    if card is not None and card.status == "canceled":
        said = _("{what}; its card was canceled since, so nothing can go back to it")
        raise CashierError(said.format(what=what))


def transaction_for_barcode(
    text: str, entries: Callable[[str], list[Entry]], locale: str = "en_US"
) -> Reversible | None:
    """A receipt's transaction barcode, scanned: the shift's transaction it belongs to, to
    reverse or void; None when the text is no receipt of this shift (a card, or an earlier
    shift's receipt: `scanned_earlier`). A receipt of what cannot be undone says what it is,
    as a CashierError. `entries` gives its entry and any reversal of it, by index (the
    terminal's; text that cannot be an id is not looked up)."""
    found = entries(text)
    pick = reversible(found)
    if pick:
        return pick[0]
    if not found:
        return None
    raise CashierError(why_not(found[0], found[1] if found[1:] else None, locale))
