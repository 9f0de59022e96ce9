"""A fixed layout that fits 1024x768: nothing grows with its content, every overlay and
manager screen fits, and config.md's `[window] fullscreen` fills the screen with no window
manager (pytest-xvfb runs none)."""

from __future__ import annotations

import dataclasses
import tkinter as tk
from collections.abc import Iterator
from dataclasses import replace

import pytest

from posapp.config import Config, WindowConfig
from posapp.core.gift import Gift
from posapp.ui.menu import ManagerMenu
from posapp.ui.overlay import Overlay
from posapp.ui.panel import BADGE_CHARS, DETAIL_LINES
from posapp.ui.window import CashierWindow
from tests.gui.conftest import Till, key, person_types, pump_until, wedge_scan
from tests.gui.test_screens import manager_screen

pytestmark = pytest.mark.gui


def small_till(till: Till) -> Till:
    till.root.geometry("1024x768+0+0")
    pump_until(till.root, lambda: till.root.winfo_width() == 1024, what="1024 px")
    return till


def needs(widget: tk.Misc) -> tuple[int, int]:
    """The size the widget's content asks for, with its own size fixed or not."""
    frame = widget
    assert isinstance(frame, tk.Frame | tk.ttk.Frame)  # type: ignore[attr-defined]
    propagates = frame.grid_propagate()
    frame.grid_propagate(True)
    frame.update_idletasks()
    size = frame.winfo_reqwidth(), frame.winfo_reqheight()
    frame.grid_propagate(propagates)
    return size


def fits(overlay: Overlay) -> None:
    width, height = needs(overlay.panel)
    assert width <= 1024, (type(overlay).__name__, width)
    assert height <= 768, (type(overlay).__name__, height)


def test_a_long_badge_and_description_do_not_grow_the_window(till: Till) -> None:
    till = small_till(till)
    wedge_scan(till.window, "SVS_GC-500000000000001")
    pump_until(till.root, lambda: till.window.till.card is not None)
    gift = till.window.till.card
    assert isinstance(gift, Gift)
    panel_width = till.window.panel.winfo_width()
    long = replace(
        gift,
        status="not_valid_at_this_location_on_sundays_or_public_holidays",
        is_redeemable=False,
        not_redeemable_reason="not_valid_at_this_location_on_sundays_or_public_holidays",
        present_value_description="A very long description " * 20,
    )
    till.window.till.card = long
    till.window.render()
    till.root.update()
    assert till.root.winfo_width() == 1024
    assert till.window.panel.winfo_width() == panel_width
    assert len(till.window.panel.status.cget("text")) <= BADGE_CHARS
    assert len(till.window.panel.details.cget("text").splitlines()) <= DETAIL_LINES


def test_every_overlay_fits_1024x768(till: Till) -> None:
    till = small_till(till)
    pump_until(till.root, lambda: till.window.till.currency, what="the store's currency")
    wedge_scan(till.window, "SVS_GC-500000000000001")
    pump_until(till.root, lambda: till.window.till.card is not None)
    for name in ("F2", "F3", "F5", "F6", "F7", "F8", "F10"):
        key(till.window.scan_field, name, 1)
        overlay = pump_until(till.root, lambda: till.window.overlay)
        fits(overlay)
        till.window.escape()
        pump_until(till.root, lambda: till.window.overlay is None)
    for name, kind in (("settings", Overlay), ("cards", Overlay), ("preview", Overlay)):
        screen = manager_screen(till, name, kind)  # type: ignore[type-abstract]
        fits(screen)
        assert till.root.winfo_width() == 1024
        till.window.escape()  # back to the manager menu it was opened from
        pump_until(till.root, lambda: isinstance(till.window.overlay, ManagerMenu))
        fits(till.window.overlay)  # type: ignore[arg-type]
        till.window.escape()
        pump_until(till.root, lambda: till.window.overlay is None)


def test_overlays_keep_their_size_while_typing_and_refusing(till: Till) -> None:
    """The trial: overlays grew wider as the amount (and its OK words) grew, and taller
    when a refusal's words appeared."""
    till = small_till(till)
    pump_until(till.root, lambda: till.window.till.currency, what="the store's currency")
    wedge_scan(till.window, "SVS_GC-500000000000001")
    pump_until(till.root, lambda: till.window.till.card is not None)

    def size(overlay: Overlay) -> tuple[int, int]:
        till.root.update()
        return overlay.panel.winfo_width(), overlay.panel.winfo_height()

    for action, keys in (("F2", "7499,x.99999"), ("F5", "99999999999x,"), ("F6", "1234567.8x")):
        key(till.window.scan_field, action, 1)
        overlay = pump_until(till.root, lambda: till.window.overlay)
        first = size(overlay)
        for char in keys:
            person_types(till.window, overlay.field, char)  # type: ignore[attr-defined]
            assert size(overlay) == first, (action, char, overlay.note.cget("text"))
        assert overlay.note.cget("text")  # the last key was refused: its words are shown
        till.window.escape()
        pump_until(till.root, lambda: till.window.overlay is None)
    key(till.window.scan_field, "F8", 1)  # cash-out: the manager PIN, a wrong one refused
    overlay = pump_until(till.root, lambda: till.window.overlay)
    first = size(overlay)
    overlay.pin = "0000"  # type: ignore[attr-defined]
    overlay.enter()
    pump_until(till.root, lambda: till.window.till.tone == "bad", what="the PIN refused")
    assert overlay.note.cget("text")
    assert size(overlay) == first


@pytest.fixture
def kiosk(xvfb: object) -> Iterator[tuple[tk.Tk, CashierWindow]]:
    root = tk.Tk()
    config = dataclasses.replace(Config(), window=WindowConfig(fullscreen=True))
    window = CashierWindow(root, config, sound=lambda _kind: None)
    yield root, window
    window.close()
    root.destroy()


def test_fullscreen_fills_the_screen_without_a_window_manager(
    kiosk: tuple[tk.Tk, CashierWindow],
) -> None:
    root, _window = kiosk
    screen = root.winfo_screenwidth(), root.winfo_screenheight()
    pump_until(root, lambda: (root.winfo_width(), root.winfo_height()) == screen, what="full")
    assert (root.winfo_rootx(), root.winfo_rooty()) == (0, 0)


def test_one_entry_in_the_action_table_makes_a_button_a_key_and_its_enabling(
    xvfb: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from posapp.core import actions as actions_module
    from posapp.core.till_events import Effect
    from posapp.core.till_state import TillState
    from posapp.ui import window as window_module

    said: list[str] = []

    def note(till: TillState) -> list[Effect]:
        said.append(till.phase)
        return []

    extra = actions_module.Action("note", "Note", "F11", lambda t: t.card is None, note)  # type: ignore[arg-type]
    actions = (*actions_module.ACTIONS, extra)
    monkeypatch.setattr(window_module, "ACTIONS", actions)
    monkeypatch.setattr(actions_module, "ACTION_BY_NAME", {a.name: a for a in actions})
    root = tk.Tk()
    try:
        window = CashierWindow(root, Config(), sound=lambda _kind: None)
        window.till.ready = True
        window.render()
        assert window.buttons["note"].cget("text") == "Note\nF11"
        assert window.buttons["note"].instate(["!disabled"])
        root.update()
        window.scan_field.focus_force()
        pump_until(root, lambda: root.focus_get() is window.scan_field, what="focus")
        key(window.scan_field, "F11", 1)
        pump_until(root, lambda: said == ["idle"], what="the handler")
        window.close()
    finally:
        root.destroy()
