"""A payment of a finished sale reversed on its own (F7; the sale trial, finding 3): the
sale it paid, read from the journal, and its reversal's receipt naming it
(core/sale_undo.py)."""

from __future__ import annotations

from dataclasses import replace

from posapp.core import sale_undo
from posapp.core.receipt import Receipt
from posapp.core.sale import Sale
from posapp.terminal.service import Terminal


def sale_of(terminal: Terminal, sale_id: int | None) -> Sale | None:
    """The sale a payment was made for, or None."""
    return None if sale_id is None else terminal.journal.sale(sale_id)


def of_sale(terminal: Terminal, entry_id: int, receipt: Receipt) -> Receipt:
    """The reversal's receipt of entry `entry_id`, naming the sale it was part of."""
    sale = sale_of(terminal, terminal.journal.entry(entry_id).sale_id)
    if sale is None:
        return receipt
    return replace(receipt, lines=(sale_undo.receipt_line(sale), *receipt.lines))
