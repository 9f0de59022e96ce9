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
from posapp.terminal.ports import (
    CashierError,
    EntryFinder,
    GiftProvider,
    PinNeeded,
    ProviderError,
)
from posapp.terminal.reversal import REVERSED, UNDONE, VOIDED, reversible, verb


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
    what = f"This is the receipt of {RECEIPT_OF.get(entry.operation, 'a transaction')}"
    if entry.quantity is not None:
        what += f" of {items(entry.quantity, entry.item_label)}"
    elif entry.amount is not None:
        what += f" of {format_money(entry.amount, entry.currency, locale)}"
    if entry.card_code is not None:
        what += f" on {short(entry.card_code)}"
    if earlier:
        made = datetime.fromtimestamp(entry.created_at)
        what += f", made {earlier} at {made:%H:%M} (an earlier shift)"
    return what


def why_not(entry: Entry, undone: Entry | None, locale: str, *, earlier: str = "") -> str:
    """What a scanned receipt is, when it cannot be undone, and why."""
    what = what_it_is(entry, locale, earlier=earlier)
    done = "voided" if entry.operation in VOIDED else "reversed"
    if entry.operation == "void":
        return f"{what}; it cannot be undone"
    if entry.operation not in UNDONE:
        return f"{what}; it can't be reversed"
    if undone is not None and undone.to_settle:
        return f"{what} that is being {done} already"
    if undone is not None:
        return f"{what} that was {done} already"
    if entry.to_settle:
        return f"{what} that is still to settle: {verb(entry.operation)} it once it is settled"
    return f"{what} that did not go through: there is nothing to undo"


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
        raise CashierError(
            f"{what_it_is(entry, locale, earlier=made)}: a card is voided only in the shift that "
            "sold it. The manager can change the card in the gift cards screen (F12)"
        )
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
        raise CashierError(f"{what}; the provider cannot be asked about it now: {exc}") from exc
    mine = next((t for t in theirs if t.id == entry.transaction_id), None)
    if mine is not None and mine.state == "reversed":
        raise CashierError(f"{what}; the provider says it was reversed already")
    if card is not None and card.status == "canceled":
        raise CashierError(f"{what}; its card was canceled since, so nothing can go back to it")


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
