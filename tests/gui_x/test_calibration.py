"""Scanner calibration through the real X server (issue 25.2): a USB wedge scanner sends a
US keyboard's keys (tests/gui_x/scanner.py: us_keys, press) and the till reads them through
the display's layout, switched with setxkbmap to German, French and UK, and with Caps Lock
on (a real Caps_Lock key press). Uncalibrated, a German or French scan of the demo's card
is said to be a keyboard layout problem; calibrated (F12, Calibrate the scanner, the code
scanned once, Enter), the same keys read SVS_GC-500000000000001, with Caps Lock on too.
With POSAPP_SHOTS=DIR each layout's calibration screen is saved to look at."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from PIL import ImageGrab
from pyzbar.pyzbar import decode as zbar

from posapp.core.keyboard_layouts import FRENCH, GERMAN, UK, typed
from posapp.core.serials import LAYOUT_PROBLEM
from posapp.ui.status_bar import CAPS_LOCK
from tests.gui_x import scanner
from tests.gui_x.conftest import DEADLINE, Till, XServer
from tests.gui_x.steps import closed, menu_screen
from tests.helpers import wait_for

CARD = "SVS_GC-500000000000001"
# The UK layout moves none of the demo card's characters (only @ " # \ | ~ and £).
LAYOUTS = {layout.code: layout for layout in (GERMAN, FRENCH, UK)}


@pytest.fixture
def layout(request: pytest.FixtureRequest, xserver: XServer) -> Iterator[str]:
    """The display's keyboard layout for one test (the display is the session's: US after)."""
    if shutil.which("setxkbmap") is None:
        pytest.fail("setxkbmap is missing: .ci/run installs x11-xkb-utils and xkb-data")
    name = str(request.param)
    subprocess.run(["setxkbmap", "-display", xserver.display, name], check=True, timeout=10)
    try:
        yield name
    finally:
        subprocess.run(["setxkbmap", "-display", xserver.display, "us"], check=True, timeout=10)


def scan_us(till: Till, keys: list[tuple[int, bool]]) -> None:
    scanner.press(till.x.display, keys)
    till.pump_until(lambda: not till.held(), "the keys held back to be given")


def arrived(till: Till) -> str:
    return str(till.window.till.last_scan[0])


@pytest.mark.parametrize("layout", ["de", "fr", "gb"], indirect=True)
def test_a_layout_is_said_calibrated_and_read(till: Till, layout: str) -> None:
    display = till.x.display
    subprocess.run(["setxkbmap", "-display", display, "us"], check=True, timeout=10)
    card_keys = scanner.us_keys(display, CARD)
    code_keys = scanner.us_keys(display, "XJ-0123456789CGSV_JX")
    subprocess.run(["setxkbmap", "-display", display, layout], check=True, timeout=10)

    scan_us(till, card_keys)  # uncalibrated
    if layout == "gb":
        till.pump_until(lambda: till.window.till.card is not None, "the card read as it is")
    else:
        till.pump_until(lambda: LAYOUT_PROBLEM in till.says(), f"the layout problem: {till.says()}")
        assert arrived(till) == typed(LAYOUTS[layout], CARD)  # "SVS?GCß5..." in German
    till.key("Escape")
    till.settle()

    screen = menu_screen(till, "calibrate")
    assert screen.code == "XJ-0123456789CGSV_JX"
    scan_us(till, code_keys)
    till.pump_until(
        lambda: screen.learnt is not None, f"the calibration: {screen.note.cget('text')}"
    )
    said = str(screen.learnt_words.cget("text"))
    till.shot(f"calibration-{layout}")
    # The barcode on the screen as a scanner sees it: zbar reads the code off the display.
    till.root.update()
    shown = ImageGrab.grab(xdisplay=display)
    assert screen.code in {s.data.decode() for s in zbar(shown)}
    print(f"\n[{layout}] {said}")
    till.key("Return")
    till.pump_until(lambda: "Kept" in str(screen.note.cget("text")), "kept")
    till.key("Escape")
    till.key("Escape")
    closed(till)

    scan_us(till, card_keys)  # calibrated
    till.pump_until(lambda: till.window.till.card is not None, f"the card: {till.says()}")
    assert arrived(till) == CARD

    till.key("Escape")
    till.settle()
    till.key("Caps_Lock")
    try:
        scan_us(till, card_keys)
        till.pump_until(lambda: till.window.till.card is not None, f"the card: {till.says()}")
        assert arrived(till) == CARD
        assert till.window.bar["scanner"].cget("text") == CAPS_LOCK
        till.shot(f"caps-lock-{layout}")
    finally:
        till.key("Caps_Lock")


CHECK_SCAN = """
import io, sys
from dataclasses import replace
from posapp.check import listen_for_scans
from posapp.config import Config
class Terminal(io.StringIO):  # a person at a terminal: the scan comes through a window
    def isatty(self): return True
sys.stdin = Terminal("")
config = Config()
listen_for_scans(replace(config, scanner=replace(config.scanner, wedge_map="?_ ß-")), 1)
"""


@pytest.mark.parametrize("layout", ["de"], indirect=True)
def test_check_scan_reads_a_wedge_scan_in_its_window(xserver: XServer, layout: str) -> None:
    """`posapp check --scan` on a terminal: a small window takes the scan; it prints the
    scan as it arrived through the German layout and as the calibration reads it."""
    display = xserver.display
    subprocess.run(["setxkbmap", "-display", display, "us"], check=True, timeout=10)
    card_keys = scanner.us_keys(display, CARD)
    subprocess.run(["setxkbmap", "-display", display, layout], check=True, timeout=10)
    check = subprocess.Popen(
        [sys.executable, "-c", CHECK_SCAN], env=xserver.env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert check.stdout is not None
        assert check.stdout.readline().startswith("Scan into the window")
        window = wait_for(
            lambda: xserver.output("xdotool", "search", "--name", "posapp check --scan").split(),
            DEADLINE,
            "the check's window",
        )[0]
        xserver.output("xdotool", "windowfocus", "--sync", window)
        scanner.press(display, card_keys)
        out, _ = check.communicate(timeout=DEADLINE)
    finally:
        if check.poll() is None:
            check.kill()
            check.wait()
        if xserver.mode == "kiosk":
            scanner.focus_pointer_root(display)
    assert out == (
        f"arrived 'SVS?GCß500000000000001', read '{CARD}': "
        "SVS gift card -> card code 500000000000001\n"
    )
