"""F9: the receipt of the row chosen in the shift list, else the last one, marked DUPLICATE
(the second trial, till #7/G: a row chosen in the list was ignored and F9 always reprinted
the last receipt, so a customer's refund slip from earlier could not be printed again)."""

from __future__ import annotations

from tkinter import ttk

from posapp.core.adjustment import is_change
from posapp.core.receipt import Receipt
from posapp.terminal.ports import CashierError
from posapp.ui.host import ScreenHost

ROW = "entry-"  # the shift list's rows are named by their journal entry (ui/shift_list.py)


def chosen_entry(tree: ttk.Treeview) -> int | None:
    """On the Tk thread: the journal entry of the row chosen in the shift list, if any."""
    picked = tree.selection()
    if len(picked) != 1 or not str(picked[0]).startswith(ROW):
        return None
    return int(str(picked[0])[len(ROW) :])


def reprint(window: ScreenHost, chosen: int | None) -> Receipt:
    """On a worker: the chosen entry's receipt again, or the last receipt; after a
    restart, the one the journal kept because the printer could not take it."""
    terminal = window.terminal
    if chosen is not None:
        entry = terminal.journal.entry(chosen)
        if is_change(entry):
            raise CashierError(
                "A manager's change to a card has no receipt: the X and Z reports list it"
            )
        return terminal.entry_receipt(entry, as_made=True).reprint()
    receipt = window.last_receipt
    if receipt is None:
        receipt = window.services_.kept()
        if receipt is None:
            raise CashierError("Nothing to reprint yet")
    return receipt.reprint()
