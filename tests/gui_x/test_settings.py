"""The settings screen through the real X server: text typed by xdotool (a person, or a
scanner with no Enter) in the pattern tester gets its answer as it is typed; a change saved
by keys leaves its trace (journal, X report, the file as it was)."""

from __future__ import annotations

import time
import tkinter as tk
from pathlib import Path
from tkinter import ttk

import pytest

from tests.gui_x.conftest import Till
from tests.gui_x.steps import manager_menu
from tests.gui_x.test_manager_setup import field_of, filed_till, manager_screen  # noqa: F401
from tests.terminal.conftest import provider  # noqa: F401

CASH_OUT = "Pay a card out in cash"

pytestmark = pytest.mark.gui


def test_the_pattern_testers_answer_follows_what_xdotool_types(till: Till) -> None:
    """The trial: "The scan was empty: scan the card again" stayed beside "SVS_GC-50000"
    until Enter."""
    manager_menu(till)
    till.key("Tab", "Return")  # the menu's second button: Settings
    settings = till.pump_until(
        lambda: till.window.till.screen == "settings" and till.window.overlay, "settings"
    )
    settings.book.select(str(settings.tester))
    till.settle()
    field = next(w for w in settings.tester.winfo_children() if isinstance(w, ttk.Entry))
    till.click(field)
    till.pump_until(lambda: till.root.focus_get() is field, "the tester's field")
    till.type("SVS_GC-50000", 80, 110)
    till.pump_until(lambda: field.get() == "SVS_GC-50000", "the typed text in the field")
    till.pump_until(
        lambda: (
            settings.result.cget("text")
            == "No pattern matches. Closest: SVS gift card: needs 15 digits after SVS_GC-, got 5"
        ),
        "the answer for what was typed, with no Enter",
    )


def test_the_pin_taken_off_cash_outs_by_keys_is_journaled_and_on_the_x_report(
    filed_till: Till,  # noqa: F811
) -> None:
    """The store trial of 6 Dec 2026 (finding 2), by a person's keys on a till started from
    its config file: the manager takes "Pay a card out in cash" off the PIN's list and
    saves; the journal keeps who and when, F10's X report lists it, the file as it was is
    kept beside it."""
    till = filed_till
    path = till.window.services_.config_path
    before = path.read_text(encoding="utf-8")
    till.window.services_.terminal.shift.sign_in("Ann")
    settings = manager_screen(till, "settings", 1)
    manager_tab = settings.book.tabs()[7]
    settings.book.select(manager_tab)
    asked = settings.vars["manager"]["require_pin_for"]
    field = field_of(settings.book.nametowidget(manager_tab), asked)
    till.click(field)
    till.pump_until(lambda: till.root.focus_get() is field, "the PIN list's field")
    first = "Reverse a transaction, "
    assert asked.get().startswith(first + CASH_OUT + ", ")
    till.key("Home", *["Right"] * len(first), *["Delete"] * len(CASH_OUT + ", "))
    till.pump_until(lambda: CASH_OUT not in asked.get(), "the cash-out taken off the list")
    till.click(button(settings.panel, "Save"))
    till.pump_until(lambda: "Saved to" in settings.note.cget("text"), "the file saved")
    assert "“Ask for the manager PIN to” takes effect" in settings.note.cget("text")
    till.shot("settings-trace-saved")
    assert Path(f"{path}.previous").read_text(encoding="utf-8") == before
    (change,) = till.engine.journal.setting_changes(0, time.time() + 1)
    assert (change.key, change.who) == ("manager.require_pin_for", "manager PIN, cashier Ann")
    assert CASH_OUT in (change.before or "")
    assert CASH_OUT not in (change.after or "")
    till.key("Escape", "Escape")
    till.pump_until(lambda: till.window.overlay is None, "back at the till")
    till.key("F10")
    reports = till.pump_until(
        lambda: till.window.till.screen == "reports" and till.window.overlay, "the reports"
    )
    till.pump_until(
        lambda: "Settings changes (1)" in reports.text.get("1.0", "end"), "the X report"
    )
    assert "by manager PIN, cashier Ann" in reports.text.get("1.0", "end")
    till.shot("settings-trace-x-report")


def button(frame: tk.Misc, text: str) -> ttk.Button:
    return next(
        w for w in frame.winfo_children() if isinstance(w, ttk.Button) and w.cget("text") == text
    )
