"""Issue 19, the manager's side of a till's first day, through the real X server: a till
started from the example config file (assets/posapp.example.toml), as a store sets one up,
not the demo's settings."""

from __future__ import annotations

import gc
import tkinter as tk
from collections.abc import Iterator
from pathlib import Path
from tkinter import ttk
from typing import Any

import pytest

from posapp.config import example_config_text, load_config
from posapp.ui.menu import ENTRIES
from tests.gui_x.conftest import PIN, Till, XServer, close_till, open_till, pin_hash
from tests.gui_x.steps import manager_menu
from tests.gui_x.test_posapp import Posapp
from tests.terminal.conftest import Provider, provider  # noqa: F401

pytestmark = pytest.mark.gui


def example_file(
    folder: Path, url: str, *edits: tuple[str, str], fullscreen: bool, pin: str = ""
) -> Path:
    """The example config with this test's provider, journal and PIN, and `edits`, edited
    as a person edits it: the values between the comments, nothing else."""
    text = example_config_text()
    for old, new in (
        ('url = "http://127.0.0.1:8765"', f'url = "{url}"'),
        ('pin_hash = ""', f'pin_hash = "{pin}"'),
        ('path = ""', f'path = "{folder / "journal.db"}"'),
        ("fullscreen = false", f"fullscreen = {'true' if fullscreen else 'false'}"),
        *edits,
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = folder / "posapp.toml"
    path.write_text(text, encoding="utf-8")
    return path


def open_filed(
    xserver: XServer,
    provider: Provider,  # noqa: F811
    folder: Path,
    *edits: tuple[str, str],
    pin: str = "",
) -> Till:
    """A till as `posapp --config FILE` builds it from the example config: its printer too."""
    path = example_file(
        folder, provider.proxy.url, *edits, fullscreen=xserver.mode == "kiosk", pin=pin
    )
    gc.disable()  # as the till fixture: no collection on a worker thread while Tk lives
    return open_till(
        xserver, provider, load_config(path), folder / "journal.db", path, printer_from_config=True
    )


@pytest.fixture
def filed_till(xserver: XServer, provider: Provider, tmp_path: Path) -> Iterator[Till]:  # noqa: F811
    made = open_filed(xserver, provider, tmp_path, pin=pin_hash())
    yield made
    close_till(made)


def manager_screen(till: Till, name: str, tabs: int) -> Any:
    """F12, the PIN typed, then the manager menu's button `tabs` Tabs down."""
    manager_menu(till)
    till.key(*["Tab"] * tabs, "Return")
    screen = till.pump_until(
        lambda: till.window.till.screen == name and till.window.overlay, f"the {name} screen"
    )
    till.settle()
    return screen


def field_of(frame: tk.Misc, variable: tk.Variable) -> ttk.Entry:
    return next(
        w
        for w in frame.winfo_children()
        if isinstance(w, ttk.Entry) and str(w.cget("textvariable")) == str(variable)
    )


def test_settings_save_changes_the_value_and_keeps_every_comment(filed_till: Till) -> None:
    """The trial: Save rewrote [[patterns]] and [[denominations]] without their comments,
    '^SVS_GC-(\\d{15})$' as "^SVS_GC-(\\\\d{15})$", and added the printer keys the file
    leaves out."""
    till = filed_till
    path = till.window.services_.config_path
    before = path.read_text(encoding="utf-8")
    settings = manager_screen(till, "settings", 1)
    variable = settings.vars["store"]["location_name"]
    field = field_of(settings.book.nametowidget(settings.book.tabs()[0]), variable)
    till.click(field)
    till.pump_until(lambda: till.root.focus_get() is field, "the till name's field")
    till.key("End", *["BackSpace"] * len(variable.get()))
    till.type("Till 2")
    save = next(
        w
        for w in settings.panel.winfo_children()
        if isinstance(w, ttk.Button) and w.cget("text") == "Save"
    )
    till.click(save)
    till.pump_until(lambda: "Saved to" in settings.note.cget("text"), "the file saved")
    after = path.read_text(encoding="utf-8")
    assert after == before.replace('location_name = "Till 1"', 'location_name = "Till 2"')
    assert load_config(path).store.location_name == "Till 2"


def test_settings_name_the_providers_api_in_words(filed_till: Till) -> None:
    """The trial: "Provider's API: posapp (api.md)", a file name where a manager looks for
    what kind of provider the till talks to."""
    settings = manager_screen(filed_till, "settings", 1)
    shown = settings.vars["provider"]["api"].get()
    assert "api.md" not in shown
    assert shown == "posapp's own API"


def test_the_manager_quits_posapp_with_no_window_manager(
    xserver: XServer,
    provider: Provider,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The trial: on a bare X session nothing closed posapp (no close button, no Quit;
    Ctrl+Q and Alt+F4 do nothing). The manager's Quit, behind the PIN, ends the process
    as SIGTERM does (exit 0), and the kiosk's session with it."""
    app = Posapp(xserver, provider, tmp_path)
    example_file(tmp_path, provider.proxy.url, fullscreen=True, pin=pin_hash())
    try:
        app.start()
        # A person's pace: look, press, type the PIN, find Quit (the menu's last button; the
        # offline losses' entry shows only where [offline] is on, not here).
        quit_tabs = [name for name, _words in ENTRIES if name != "losses"].index("quit")
        app.keys("sleep", "0.5", "key", "F12", "sleep", "0.5")
        app.keys(*[a for k in PIN for a in ("key", k, "sleep", "0.08")], "key", "Return")
        app.keys("sleep", "1", *["key", "Tab", "sleep", "0.08"] * quit_tabs, "key", "Return")
        app.keys("sleep", "0.5", "key", "Return")  # "Quit posapp (Enter)"
        assert app.process is not None
        assert app.process.wait(20) == 0
    finally:
        if app.process is not None and app.process.poll() is None:
            app.process.kill()
            app.process.wait()
