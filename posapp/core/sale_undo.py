"""A card's payment of a finished sale reversed on its own (F7, or its receipt's barcode
scanned; the sale trial of 6 Dec 2026, finding 3): the confirm says which sale it paid and
that its receipt will no longer match, and the reversal's receipt names the sale. Pure."""

from __future__ import annotations

from posapp.core.receipt import Line
from posapp.core.sale import Sale
from posapp.i18n import N_, _

# The words a cashier reads (posapp/i18n.py: marked here, translated where said).
PART_OF = {
    "paid": N_(
        "This card paid part of sale {sale} (paid in full); its receipt will no longer match"
    ),
    "handed_over": N_(
        "This card paid part of sale {sale} (the rest by other means); its receipt will no "
        "longer match"
    ),
}
SALE = N_("Of sale")  # the reversal receipt's line: the sale the payment was part of


def name(sale: Sale) -> str:
    """The sale as the cashier knows it: its ticket, else its number."""
    return sale.ticket or str(sale.id)


def before_undo(sale: Sale | None) -> str | None:
    """The confirm's words about the sale, for a payment of a finished sale; else None."""
    if sale is None or sale.state not in PART_OF:
        return None
    return _(PART_OF[sale.state]).format(sale=name(sale))


def receipt_line(sale: Sale) -> Line:
    """The reversal receipt's line naming the sale."""
    return Line(_(SALE), name(sale))
