"""The shift list shows the newest screenful and reads older ones as it scrolls to its end,
on the worker (issue 14): a long shift is never read or painted whole on the Tk thread."""

from __future__ import annotations

import functools
import threading

import pytest

from posapp.core import intent as intents
from posapp.core import money
from posapp.terminal.shift import SHIFT_PAGE
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

    scrollbar = till.window.shift_list.scrollbar
    assert scrollbar.winfo_ismapped()
    pump_until(till.root, lambda: scrollbar.get()[0] == 0.0 and scrollbar.get()[1] < 1.0)
    # The first older page as the cashier's scrollbar drags to the end; the next by the list.
    drag_to_end = f"{scrollbar.cget('command')} moveto 1.0"
    for shown, moved in ((2 * SHIFT_PAGE, lambda: till.root.tk.eval(drag_to_end)),
                         (count, lambda: shift.yview_moveto(1.0))):  # fmt: skip
        moved()  # the end of the list in view: the next older page
        pump_until(till.root, lambda shown=shown: len(shift.get_children()) == shown, what=shown)
        pump_until(till.root, lambda: scrollbar.get() == shift.yview(), what="the bar to follow")
    oldest = shift.item(shift.get_children()[-1])["values"]
    assert oldest[3] == "$1.00"  # the shift's first entry, at the bottom
    assert [e.id for e in till.window.entries] == sorted(e.id for e in till.window.entries)


def test_the_money_formatter_is_built_on_the_worker_not_while_painting(
    till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building a currency's formatter loads Babel's locale data (15 to 30 ms): it stalled
    the till's start when the first shift page was painted on the Tk thread."""
    built_on_tk: list[bool] = []
    build = money._formatter.__wrapped__

    @functools.lru_cache
    def recording(currency: str, locale: str):  # type: ignore[no-untyped-def]
        built_on_tk.append(threading.current_thread() is threading.main_thread())
        return build(currency, locale)

    monkeypatch.setattr(money, "_formatter", recording)  # an empty cache, as at start
    entry = till.engine.journal.intend(
        intents.redeem("1", amount=250), code="500000000077", currency="EUR", key="fmt"
    )
    till.engine.journal.record(entry.id, "completed", transaction_id="9777")
    shift = till.window.shift
    till.window.refresh_shift()
    pump_until(till.root, lambda: len(shift.get_children()) == 1, what="the entry painted")
    assert "2.50" in str(shift.item(shift.get_children()[0])["values"][3])
    assert built_on_tk == [False]


def test_the_card_column_fits_new_card(till: Till) -> None:
    """The NewStore trial (finding 12): a refund to a new card read "new car" in the list."""
    from tkinter import font as tkfont
    from tkinter import ttk

    from posapp.ui.shift_list import NEW_CARD

    shift = till.window.shift
    font = tkfont.Font(root=till.root, font=ttk.Style(till.root).lookup("Shift.Treeview", "font"))
    assert int(shift.column("card", "width")) >= font.measure(NEW_CARD) + 8
