"""The shift list shows the newest screenful and reads older ones as it scrolls to its end,
on the worker (issue 14): a long shift is never read or painted whole on the Tk thread."""

from __future__ import annotations

from posapp.core import intent as intents
from posapp.terminal.service import SHIFT_PAGE
from tests.gui.conftest import Till, pump_until


def test_the_shift_list_pages_in_older_entries_as_it_scrolls(till: Till) -> None:
    journal = till.engine.journal
    count = 2 * SHIFT_PAGE + 5
    for i in range(count):
        entry = journal.intend(
            intents.redeem("1", amount=100 + i), code=f"5000000000{i:05d}", currency="USD",
            key=f"list-{i}",
        )  # fmt: skip
        journal.record(entry.id, "completed", transaction_id=str(9000 + i))
    shift = till.window.shift
    till.window.refresh_shift()
    pump_until(till.root, lambda: len(shift.get_children()) == SHIFT_PAGE, what="a screenful")
    newest = shift.item(shift.get_children()[0])["values"]
    assert newest[3] == f"${(100 + count - 1) / 100:.2f}"  # the newest on top

    for shown in (2 * SHIFT_PAGE, count):
        shift.yview_moveto(1.0)  # the end of the list in view: the next older page
        pump_until(till.root, lambda shown=shown: len(shift.get_children()) == shown, what=shown)
    oldest = shift.item(shift.get_children()[-1])["values"]
    assert oldest[3] == "$1.00"  # the shift's first entry, at the bottom
    assert [e.id for e in till.window.entries] == sorted(e.id for e in till.window.entries)
