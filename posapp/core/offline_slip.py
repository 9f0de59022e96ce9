"""The customer's slip of a redemption taken offline (issue 24; trial 6B, 1), as printed and
as F9 or the preview prints it again later. Pure.

Like every receipt it carries the till's receipt number and its barcode: the customer who
paid offline and brings the goods back after the shift has the number the cashier scans or
types (the till finds the redemption by it whatever became of it). Printed first, it says
"OFFLINE: to be confirmed". Printed again once the provider answered, it says what the
customer then needs to know: confirmed, with the balance the provider left on the card (the
paper in hand is final, nothing more to wait for); or declined when sent (the store did not
collect it: the customer owes nothing more at the counter, and the card's balance is the
provider's to say). Never "to be confirmed" for ever.
"""

from __future__ import annotations

from dataclasses import replace

from posapp.core.entry import Entry
from posapp.core.offline import ON_SLIP
from posapp.core.receipt import Line, Receipt
from posapp.i18n import N_, _

TAKEN = N_("Taken offline")
CONFIRMED = N_("confirmed by the provider")
DECLINED = N_("declined by the provider")
DECLINED_NOTE = N_(
    "The gift card provider declined this redemption when the till sent it: the card did "
    "not pay it. Scan the card at the till to see its balance."
)


def offline_slip(receipt: Receipt, entry: Entry, number: str) -> Receipt:
    """`receipt`: the entry's receipt as the terminal makes it (core/receipt_lines);
    `number`: the journal's receipt number for the entry. The slip as the customer needs it
    now: queued, confirmed or declined."""
    if not entry.offline:
        return receipt
    if entry.lost:
        said = Line(_(TAKEN), _(DECLINED), bold=True)
        return replace(
            receipt,
            not_confirmed=False,
            offline=False,
            receipt_number=None,  # nothing to reverse: the card paid nothing
            lines=(said, *receipt.lines),
            notes=(_(DECLINED_NOTE), *receipt.notes),
        )
    if entry.moved_money:
        said = Line(_(TAKEN), _(CONFIRMED), bold=True)
        return replace(
            receipt,
            not_confirmed=False,
            offline=False,
            receipt_number=number,
            lines=(said, *receipt.lines),
        )
    return replace(
        receipt,
        not_confirmed=False,
        offline=True,
        receipt_number=number,
        notes=(_(ON_SLIP), *receipt.notes),
    )
