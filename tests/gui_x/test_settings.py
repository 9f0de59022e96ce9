"""The settings screen through the real X server: text typed by xdotool (a person, or a
scanner with no Enter) in the pattern tester gets its answer as it is typed."""

from __future__ import annotations

from tkinter import ttk

import pytest

from tests.gui_x.conftest import Till
from tests.gui_x.steps import manager_menu

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
