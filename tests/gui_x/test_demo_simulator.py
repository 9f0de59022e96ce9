"""The demo's scanner simulator beside the till, through the real X server, with and without
a window manager: it fits the screen and covers none of the till's keys and fields, a click
scans through the real pty and serial reader, and the keyboard is the till's right after (F2
opens the amount); hidden by its own button or closed, F1 brings it back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest

from hardware.scanners.simulator import ScannerSimulator
from posapp.app import start_scanner
from posapp.demo import cards_now
from posapp.demo_simulator import SimulatorStrip
from tests.gui_x.conftest import HEIGHT, POINTER_ROOT, WIDTH, Till

pytestmark = pytest.mark.gui
FIRST = "SVS_GC-500000000000001"  # $75.00


@pytest.fixture
def strip(till: Till) -> Iterator[SimulatorStrip]:
    """The strip as `posapp demo` opens it, its buttons scanning into the till's serial
    reader through a real pseudo-terminal."""
    simulator = ScannerSimulator()
    config = till.engine.config
    config = replace(config, scanner=replace(config.scanner, mode="both", terminator="CR"))
    scanner = start_scanner(config, till.window, port=simulator.path)
    provider = till.provider  # not `till`: the labels' thread must hold nothing of Tk
    made = SimulatorStrip(
        till.root,
        lambda: [(s, f"{last}  {words}") for s, last, words in cards_now(provider)],
        simulator.scan,
        "Manager PIN",
    )
    try:
        till.pump_until(made.panel.winfo_viewable, "the simulator on the screen")
        yield made
    finally:
        scanner.stop()
        made.panel.destroy()
        simulator.close()
        if till.x.mode == "kiosk":
            # The strip gave the till the X focus explicitly; the next test's till expects
            # the X server's own "to the window under the pointer" (PointerRoot is 1).
            till.x.output("xdotool", "windowfocus", str(POINTER_ROOT))


def outermost(till: Till, window: int) -> int:
    """The window's frame as the screen shows it: its ancestor just below the root window
    (a window manager's frame with its title bar; with none, Tk's own wrapper)."""
    while True:
        tree = till.x.output("xwininfo", "-children", "-id", str(window))
        root = re.search(r"Root window id: (0x[0-9a-f]+)", tree)
        parent = re.search(r"Parent window id: (0x[0-9a-f]+)", tree)
        assert root, tree
        assert parent, tree
        if parent.group(1) == root.group(1):
            return window
        window = int(parent.group(1), 16)


def button(strip: SimulatorStrip, scan: str) -> object:
    return strip.buttons[next(text for text in strip.buttons if text.strip() == scan)]


def frame_of(till: Till, strip: SimulatorStrip) -> tuple[int, int, int, int]:
    till.settle()
    return till.x.geometry(outermost(till, till.x.wrapper(strip.panel)))


def test_the_simulator_fits_the_screen(till: Till, strip: SimulatorStrip) -> None:
    for listed in (False, True):
        if strip.listed != listed:
            till.click(strip.list_button)
            till.pump_until(lambda listed=listed: strip.listed == listed, "the cards listed")
        x, y, width, height = frame_of(till, strip)
        assert x >= 0
        assert y >= 0
        assert x + width <= WIDTH
        assert y + height <= HEIGHT
    # Every button on the screen too (the window's content, not only its frame).
    for each in strip.buttons.values():
        assert each.winfo_rootx() + each.winfo_width() <= WIDTH
        assert each.winfo_rooty() + each.winfo_height() <= HEIGHT


def overlaps(a: tuple[int, int, int, int], widget: object) -> bool:
    x, y, width, height = a
    w = widget  # a Tk widget on the till
    wx, wy = w.winfo_rootx(), w.winfo_rooty()  # type: ignore[attr-defined]
    ww, wh = w.winfo_width(), w.winfo_height()  # type: ignore[attr-defined]
    return x < wx + ww and wx < x + width and y < wy + wh and wy < y + height


def test_the_simulator_covers_none_of_the_tills_keys_and_fields(
    till: Till, strip: SimulatorStrip
) -> None:
    """The trial: at start it sat over F2-F9 (openbox) and over the amount overlay (kiosk)."""
    frame = frame_of(till, strip)
    window = till.window
    covered = [a for a, b in window.buttons.items() if overlaps(frame, b)]
    assert covered == []
    assert not overlaps(frame, window.scan_field)
    till.click(button_listed(till, strip, FIRST))
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the scanned card's balance")
    frame = frame_of(till, strip)  # the list folded away after the scan
    assert [a for a, b in window.buttons.items() if overlaps(frame, b)] == []
    till.key("F2")
    till.pump_until(lambda: type(window.overlay).__name__ == "AmountOverlay", "the amount overlay")
    till.settle()
    overlay = window.overlay
    assert overlay is not None
    shown = [w for w in overlay.panel.winfo_children() if w.winfo_ismapped()]
    assert [str(w) for w in shown if overlaps(frame, w)] == []


def test_made_before_the_till_is_on_the_screen_it_waits_and_still_covers_nothing(
    till: Till,
) -> None:
    """`posapp demo` makes the strip before the till is mapped: shown at once, a window
    manager put it where it liked (openbox: over the middle of the till)."""
    simulator = ScannerSimulator()
    till.root.withdraw()
    till.pump_until(lambda: not till.root.winfo_viewable(), "the till withdrawn")
    made = SimulatorStrip(till.root, lambda: [(FIRST, "••0001  $75.00")], simulator.scan, "")
    try:
        till.root.update()
        assert not made.panel.winfo_viewable()  # not before the till
        till.root.deiconify()
        till.pump_until(made.panel.winfo_viewable, "the simulator once the till is shown")
        till.pump_until(till.root.winfo_viewable, "the till shown")
        frame = frame_of(till, made)
        assert [a for a, b in till.window.buttons.items() if overlaps(frame, b)] == []
        assert not overlaps(frame, till.window.scan_field)
    finally:
        made.panel.destroy()
        simulator.close()
        if till.x.mode == "kiosk":
            till.x.output("xdotool", "windowfocus", str(POINTER_ROOT))


def button_listed(till: Till, strip: SimulatorStrip, scan: str) -> object:
    """A card's button, its list shown first where it is folded away."""
    if not strip.listed:
        till.click(strip.list_button)
        till.pump_until(lambda: strip.listed, "the cards listed")
        till.settle()
    return button(strip, scan)


def test_a_click_scans_and_the_till_keeps_the_keyboard(till: Till, strip: SimulatorStrip) -> None:
    first = button_listed(till, strip, FIRST)
    assert first.cget("text") == "••0001  $75.00"  # type: ignore[attr-defined]
    till.click(first)  # type: ignore[arg-type]
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the scanned card's balance")
    till.settle()
    till.key("F2")  # through the X server, right after the click on the simulator
    till.pump_until(
        lambda: (
            type(till.window.overlay).__name__ == "AmountOverlay"
            and till.root.focus_get() is till.window.overlay.first_field
        ),
        "the amount overlay with the keyboard",
    )
    till.type("1250", 120, 160)
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == "$62.50", "the new balance")
    # The simulator's button says what the card holds now, not what it held at start.
    till.pump_until(
        lambda: first.cget("text") == "••0001  $62.50",  # type: ignore[attr-defined]
        "the button's new label",
    )


def test_closing_the_simulator_hides_it_and_f1_shows_it_again(
    till: Till, strip: SimulatorStrip
) -> None:
    till.root.tk.call(strip.panel.protocol("WM_DELETE_WINDOW"))  # a window manager's close
    till.pump_until(lambda: not strip.panel.winfo_viewable(), "the simulator hidden")
    till.key("F1")
    till.pump_until(strip.panel.winfo_viewable, "the simulator shown again")
    till.pump_until(lambda: till.root.focus_get() is till.window.scan_field, "the till's focus")
    till.click(button_listed(till, strip, FIRST))  # type: ignore[arg-type]
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the scanned card's balance")
    # Its own Hide button: with no window manager there is no close button but this one.
    till.settle()
    till.click(strip.hide_button)
    till.pump_until(lambda: not strip.panel.winfo_viewable(), "hidden by its own button")
    till.pump_until(lambda: till.root.focus_get() is till.window.scan_field, "the till's focus")
    till.key("F1")
    till.pump_until(strip.panel.winfo_viewable, "the simulator shown again")
