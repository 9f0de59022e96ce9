"""A refund slip scanned at the till: its card, not a void of it (the second trial, demo #2).

A refund to a new card prints two barcodes on one slip: the receipt's and the new card's.
A customer back to spend it hands over the slip; a cashier scanning the first barcode got
"Void the refund card ••1332 ($15.99) and close it", one habitual PIN from wiping the
customer's card. The receipt's barcode of a refund to a card now shows that card, to spend;
voiding it is the manager's explicit choice in F7's list."""

from __future__ import annotations

from posapp.core.serial_number import short
from posapp.i18n import _
from posapp.terminal.ports import EntryFinder
from posapp.terminal.receipt_lookup import could_be_receipt


def refund_card_of(journal: EntryFinder, text: str) -> tuple[str, str] | None:
    """The code of the card a refund slip's receipt barcode names, and words for the
    cashier; None when the text is no receipt of a refund to a card (by index, any shift)."""
    if not could_be_receipt(text):
        return None
    entry = journal.entry_for_receipt(None, text) or journal.entry_for_transaction(None, text)
    if entry is None or entry.operation != "issue" or entry.card_code is None:
        return None
    if not entry.moved_money:
        return None
    said = _(
        "This is the refund slip of card {card}: its card is shown, to spend. To void that "
        "card instead, the manager picks it in F7."
    )
    return entry.code, said.format(card=short(entry.code))
