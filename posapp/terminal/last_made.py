"""F9 after a restart (the sale trial of 6 Dec 2026, findings 1 and 11): the shift's last
receipt read back from the journal, where the till kept no receipt in memory.

A sale that ended when the till stopped before its receipt went to the printer (journal
version 15 marks each printed one) comes first, printed as the original, not a copy: there
was none. Otherwise the shift's newest movement, or the sale it ended, again as a copy."""

from __future__ import annotations

from posapp.core.adjustment import is_change
from posapp.core.receipt import Receipt
from posapp.terminal.offline_calls import as_made
from posapp.terminal.service import Terminal

NEWEST = 20  # entries read from the end of the shift for its newest with a receipt


def lost_sale(terminal: Terminal) -> Receipt | None:
    """The receipt of the sale that ended unprinted, marked printed now (a second F9 says
    DUPLICATE); None when there is none."""
    sales = terminal.sales
    lost = sales.ended_unprinted()
    if lost is None:
        return None
    sales.printed(lost.id)
    return sales.receipt(lost)


def last_made(terminal: Terminal) -> Receipt | None:
    """The shift's last receipt, marked DUPLICATE; None when the shift made none."""
    journal = terminal.journal
    shift = journal.current_shift()
    newest = [e for e in journal.shift_page(shift, limit=NEWEST) if not is_change(e)]
    ended = journal.last_closed_sale()
    if ended is not None and (not newest or newest[-1].sale_id == ended[0].id):
        in_shift = {s.id for s in journal.sales_in_shift(shift)}
        if ended[0].id in in_shift:
            return terminal.sales.receipt(terminal.sales.sale(ended[0].id)).reprint()
    if not newest:
        return None
    return as_made(terminal, newest[-1]).reprint()
