"""F9: the receipt of the row chosen in the shift list, else the last one, marked DUPLICATE
(the second trial, till #7/G: a row chosen in the list was ignored and F9 always reprinted
the last receipt, so a customer's refund slip from earlier could not be printed again). The row is read here, on the Tk thread, and passed to
terminal/till_calls.py as a value; the last receipt is terminal/last_receipt.py's."""

from __future__ import annotations

from tkinter import ttk

ROW = "entry-"  # the shift list's rows are named by their journal entry (ui/shift_list.py)


def chosen_entry(tree: ttk.Treeview) -> int | None:
    """On the Tk thread: the journal entry of the row chosen in the shift list, if any."""
    picked = tree.selection()
    if len(picked) != 1 or not str(picked[0]).startswith(ROW):
        return None
    return int(str(picked[0])[len(ROW) :])
