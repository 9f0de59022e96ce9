"""The trial of a till (5b #5): a scan carrying the card's PIN (a pattern's `pin` group) into
a manager screen's field left the PIN on show: the Gift cards search box, Create's Code field
and the settings' pattern tester. Each keeps the card's serial only; the tester says a PIN
was taken, never its digits."""

from __future__ import annotations

import pytest

from posapp.ui.cards import CardsScreen
from posapp.ui.settings import SettingsScreen
from tests.gui.conftest import Till, pump_until, wedge_scan
from tests.gui.test_card_pin import pin_patterns, texts  # noqa: F401 - the PIN's pattern
from tests.gui.test_screens import manager_screen

pytestmark = pytest.mark.gui


def test_a_scan_with_its_pin_searches_and_creates_by_the_serial_only(till: Till) -> None:
    cards = manager_screen(till, "cards", CardsScreen)
    assert isinstance(cards, CardsScreen)
    pump_until(till.root, lambda: len(cards.tree.get_children()) == 9, what="the demo cards")
    wedge_scan(till.window, "SVS_GC-500000000000001-4321")
    pump_until(till.root, lambda: len(cards.tree.get_children()) == 1, what="the card found")
    assert cards.query.get() == "500000000000001"
    assert cards.tree.item(cards.tree.get_children()[0])["values"][0] == 500000000000001
    assert cards.note.cget("text") == "Cards 1–1 (code 500000000000001)"
    cards.create()
    form = cards.form
    assert form is not None
    wedge_scan(till.window, "SVS_GC-700000000000042-9876")
    pump_until(till.root, lambda: form.texts["Code"].get() != "", what="the scan in Code")
    assert form.texts["Code"].get() == "700000000000042"
    assert form.ok.cget("text").startswith("Create ••0042 with $0.00")
    shown = texts(till.root)
    assert not [t for t in shown if "4321" in t or "9876" in t], shown


def test_the_pattern_tester_says_a_pin_was_taken_never_its_digits(till: Till) -> None:
    settings = manager_screen(till, "settings", SettingsScreen)
    assert isinstance(settings, SettingsScreen)
    wedge_scan(till.window, "SVS_GC-500000000000001-4321")
    pump_until(till.root, lambda: settings.result.cget("text") != "", what="the answer")
    assert settings.result.cget("text") == (
        "SVS with PIN matched: Card code 500000000000001 and the card's PIN (not shown)"
    )
    assert settings.sample.get() == "500000000000001"
    till.root.update()
    assert not [t for t in texts(till.root) if "4321" in t]
