"""F12, Calibrate the scanner (issue 25.2) through the real window under Xvfb: the code on
screen, one scan of it through the wedge as a German layout delivers it, what was learnt in
words, Enter keeps it (the wedge reads with it at once, the file keeps it, the journal has
the change); Esc drops it; Caps Lock in the keys' state is said and turned back."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from pyzbar.pyzbar import decode as zbar

from posapp.app import settings_file
from posapp.config import load_config
from posapp.config_file import write_keeping_comments
from posapp.core.keyboard_layouts import GERMAN, swapped_case, typed
from posapp.core.wedge_map import WedgeMap
from posapp.ui.calibration import CalibrationScreen
from posapp.ui.status_bar import CAPS_LOCK
from tests.gui import conftest
from tests.gui.conftest import KEYSYMS, Till, key, pump_until, wedge_scan
from tests.gui.test_screens import manager_screen

pytestmark = pytest.mark.gui
CARD = "SVS_GC-500000000000001"


@pytest.fixture(autouse=True)
def aim_keysyms(monkeypatch: pytest.MonkeyPatch) -> None:
    """An AIM identifier's "]" by its keysym's name (the widget tier sends keysyms)."""
    monkeypatch.setattr(conftest, "KEYSYMS", {**conftest.KEYSYMS, "]": "bracketright"})


def with_file(till: Till, tmp_path: Path) -> Path:
    path = tmp_path / "posapp.toml"
    config = till.window.config
    write_keeping_comments(path, dataclasses.asdict(config))
    till.window.services = dataclasses.replace(
        till.window.services_, config_path=path, settings=settings_file(config, till.engine, path)
    )
    return path


def screen_of(till: Till) -> CalibrationScreen:
    screen = manager_screen(till, "calibrate", CalibrationScreen)
    assert isinstance(screen, CalibrationScreen)
    return screen


def card_checked(till: Till) -> str:
    pump_until(till.root, lambda: till.window.till.card is not None, what=till.window.till.message)
    return str(till.window.panel.serial.cget("text"))


def test_a_scanners_aim_identifier_and_inverted_case_are_learnt_kept_saved_and_read(
    till: Till, tmp_path: Path
) -> None:
    """The widget tier sends keysyms a US keymap has; tests/gui_x types German, French and
    UK layouts through the X server."""
    path = with_file(till, tmp_path)
    screen = screen_of(till)
    assert screen.code == "XJ-0123456789CGSV_JX"
    assert int(screen.canvas.cget("width")) >= 600  # large enough to scan off the screen
    wedge_scan(till.window, "]C0" + swapped_case(screen.code))
    pump_until(till.root, lambda: screen.learnt is not None, what="the calibration")
    said = str(screen.learnt_words.cget("text"))
    assert "Arrived: ]C0xj-0123456789cgsv_jx" in said
    assert "Every letter arrives in the other case" in said
    assert "an AIM identifier (]C0" in said
    screen.enter()
    pump_until(till.root, lambda: "Saved to" in str(screen.note.cget("text")), what="the save")
    assert WedgeMap.of(load_config(path).scanner) == WedgeMap(invert_case=True, aim="]")
    changes = till.engine.journal.setting_changes(0, time.time() + 1)
    assert sorted(c.key for c in changes) == ["scanner.wedge_aim", "scanner.wedge_case"]
    while till.window.overlay is not None:
        till.window.escape()
        till.root.update()
    wedge_scan(till.window, "]E0" + swapped_case(CARD))  # another kind of barcode: its AIM too
    assert card_checked(till).endswith("0001")


def test_the_code_is_printed_on_a_slip_that_a_scanner_reads(till: Till) -> None:
    screen = screen_of(till)
    screen.print_slip()
    till.printer.wait_for_jobs(1)
    assert screen.code in {s.data.decode() for s in zbar(till.printer.picture())}
    pump_until(till.root, lambda: "Calibration slip: printed" in str(screen.note.cget("text")))


def test_esc_drops_what_was_learnt_and_a_wrong_scan_is_refused(till: Till) -> None:
    screen = screen_of(till)
    wedge_scan(till.window, "NOT THE CODE 123")
    pump_until(till.root, lambda: "not the calibration code" in str(screen.note.cget("text")))
    wedge_scan(till.window, "]C0" + screen.code)
    pump_until(till.root, lambda: screen.learnt is not None)
    assert screen.escape()
    assert screen.learnt is None
    assert "Dropped" in str(screen.note.cget("text"))
    assert till.window.keys.wedge_map.empty


def test_uncalibrated_a_layouts_scan_is_said_to_be_a_layout_problem(till: Till) -> None:
    till.window.scan(typed(GERMAN, CARD), "typed")  # as the scan field takes it and Enter
    pump_until(
        till.root,
        lambda: "keyboard layout problem" in till.window.till.message,
        what=till.window.till.message,
    )
    assert "F12, Calibrate the scanner" in till.window.till.message


def test_caps_lock_in_the_keys_state_is_said_and_its_letters_turned_back(till: Till) -> None:
    widget = till.window.scan_field
    t = 2_000_000
    for ch in CARD:  # as a scanner presses them: Shift for a capital and "_", Caps Lock on
        shift = 0x1 if ch.isupper() or ch == "_" else 0
        widget.event_generate(
            "<KeyPress>", keysym=KEYSYMS.get(ch, ch), time=t, state=0x2 | shift, when="tail"
        )
        t += 8
    widget.event_generate("<KeyPress>", keysym="Return", time=t, state=0x2, when="tail")
    pump_until(till.root, lambda: till.window.keys.caps_lock)
    assert till.window.bar["scanner"].cget("text") == CAPS_LOCK
    assert card_checked(till).endswith("0001")
    assert till.window.till.last_scan[0] == CARD  # as sent: the inverted letters turned back
    key(widget, "F1", t + 500)  # a key with Caps Lock off: said no more
    pump_until(till.root, lambda: till.window.bar["scanner"].cget("text") != CAPS_LOCK)
