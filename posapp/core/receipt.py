"""The receipt model: what happened, in the words a receipt prints. No layout, no bytes:
hardware.printers lays it out for 58 or 80 mm and encodes it to ESC/POS."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from posapp.core.glossary import RECEIPT_TITLE
from posapp.core.intent import TillOperation
from posapp.core.serial_number import mask

# "settled": a movement left not confirmed, settled since (core/settled.py); "sale" and
# "sale_cancelled": a sale paid card by card, finished or cancelled (core/sale_receipt.py).
ReceiptKind = Literal[
    TillOperation, "balance", "x_report", "z_report", "settled", "sale", "sale_cancelled"
]

# The card's proof of value: the customer needs the whole number (product.md, Printing).
# A sold card's number is on the card in the customer's hand; its receipt masks it like the
# others, so a lost receipt does not give the card away.
PROOF_OF_VALUE = frozenset({"issue"})


@dataclass(frozen=True, slots=True)
class Line:
    """A label and its value, already in words and formatted money."""

    label: str
    value: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Receipt:
    kind: ReceiptKind
    store_name: str
    header: tuple[str, ...]
    location: str
    cashier: str
    when: datetime
    lines: tuple[Line, ...] = ()
    serial_number: str | None = None
    mask_serial: bool = True
    transaction_id: str | None = None  # the provider's, as it gives it
    # The barcode: the terminal's own number for the transaction (the journal's), digits
    # whatever the provider's ids look like; scanned, it finds the transaction to reverse.
    receipt_number: str | None = None
    # The new card's code, printed as a barcode on a refund to a new card.
    new_card_code: str | None = None
    footer: tuple[str, ...] = ()
    duplicate: bool = False
    not_confirmed: bool = False
    # Taken while the provider could not be reached (issue 24): "OFFLINE: to be confirmed".
    offline: bool = False
    signature_line: bool = False
    open_drawer: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return RECEIPT_TITLE[self.kind]

    @property
    def shown_serial(self) -> str | None:
        """The serial as this receipt prints it: whole on a proof of value (the refund card),
        else masked as everywhere (core.serial_number.mask: a short code is hidden whole)."""
        if self.serial_number is None:
            return None
        if self.kind in PROOF_OF_VALUE or not self.mask_serial:
            return self.serial_number
        return mask(self.serial_number, "*")

    @property
    def barcode(self) -> str | None:
        """What the transaction's barcode carries: the receipt number, or on a receipt kept
        before receipt numbers (journal version 4) the provider's id where it is digits."""
        if self.receipt_number:
            return self.receipt_number
        old = self.transaction_id
        return old if old and old.isdigit() and len(old) <= 20 else None

    @property
    def picture_name(self) -> str:
        """Its file's name where receipts are saved as pictures (the virtual printer's
        folder): its receipt number, which the till reads back (receipt-307744000004); a
        slip with none is named by what it is and when, never like a numbered one
        (balance-slip-20261205-231503). The retrial of a till, L."""
        copy = "-duplicate" if self.duplicate else ""
        if self.receipt_number:
            return f"receipt-{self.receipt_number}{copy}"
        what = "not-confirmed" if self.not_confirmed else self.kind.replace("_", "-")
        slip = "" if what.endswith("report") else "-slip"
        return f"{what}{slip}-{self.when:%Y%m%d-%H%M%S}{copy}"

    def reprint(self) -> Receipt:
        """The same receipt, marked DUPLICATE (a reprint never opens the drawer)."""
        return replace(self, duplicate=True, open_drawer=False)
