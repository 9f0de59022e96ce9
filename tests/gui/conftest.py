from __future__ import annotations

import gc
import time
import tkinter as tk
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from hardware.printers.transports import NetworkTransport
from hardware.printers.virtual import VirtualPrinter
from posapp.adapters.secrets import hash_pin
from posapp.app import Engine, build_engine, build_window
from posapp.config import Config
from posapp.ui.window import CashierWindow
from tests.helpers import wait_for
from tests.terminal.conftest import Provider, api, provider, terminal_config  # noqa: F401

PIN = "2468"

KEYSYMS = {
    "_": "underscore",
    "-": "minus",
    " ": "space",
    ".": "period",
    ",": "comma",
    "\b": "BackSpace",
}


def pump_until(
    root: tk.Tk,
    condition: Callable[[], Any],
    timeout: float = 15.0,
    what: str = "",
    pause: float = 0.002,
) -> Any:
    """Run the real Tk loop until the condition holds (never a bare sleep)."""

    def pumped() -> Any:
        root.update()
        return condition()

    return wait_for(pumped, timeout, what or str(condition), pause)


def key(widget: tk.Misc, keysym: str, when: int) -> None:
    widget.event_generate("<KeyPress>", keysym=keysym, time=when, when="tail")


def wedge_scan(window: CashierWindow, text: str, gap_ms: int = 8) -> None:
    """Keys at scanner speed, as a USB wedge types them, then Enter."""
    widget = window.root.focus_get() or window.scan_field
    t = 1_000_000 + int(time.monotonic() * 1000) % 1_000_000
    for ch in text:
        key(widget, KEYSYMS.get(ch, ch), t)
        t += gap_ms
    key(widget, "Return", t)


def person_types(window: CashierWindow, widget: tk.Misc, text: str) -> None:
    """Keys at a person's speed: each one handed to the field once the catcher knows."""
    t = 5_000_000
    for ch in text:
        t += 250
        key(widget, KEYSYMS.get(ch, ch), t)
        pump_until(window.root, lambda: not window.keys.held, what="the held key to be given back")


@pytest.fixture(autouse=True)
def collect_tk_garbage() -> None:
    """Automatic collection is off during a test: overlays come and go, and a collection
    that a worker thread's allocation happened to trigger would free their Tk objects
    there (Tcl refuses calls from other threads while no mainloop runs; under mainloop
    Tkinter hands them to the Tk thread, but the tests pump the loop with update()).
    tests/conftest.py collects and turns it back on after the test, on this thread."""
    gc.disable()


@dataclass
class Till:
    root: tk.Tk
    window: CashierWindow
    engine: Engine
    provider: Provider
    printer: VirtualPrinter


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    """Where the till's journal is (a module overrides it: on a small disk, say)."""
    return tmp_path / "journal.db"


@pytest.fixture
def jurisdiction() -> str:
    """The store's `[store] jurisdiction` (a module overrides it: a store in California)."""
    return ""


@pytest.fixture
def till_config(provider: Provider, jurisdiction: str) -> Config:  # noqa: F811
    """The till's config (a module overrides it: offline selling on, say)."""
    config = terminal_config(provider.proxy.url, timeout_s=5.0)  # a 2 s provider is slow, not down
    return replace(
        config,
        manager=replace(config.manager, pin_hash=hash_pin(PIN)),
        store=replace(config.store, jurisdiction=jurisdiction),
    )


@pytest.fixture
def till(
    provider: Provider,  # noqa: F811
    journal_path: Path,
    xvfb: Any,
    till_config: Config,
) -> Iterator[Till]:
    config = till_config
    engine = build_engine(
        config,
        token=provider.made["terminal_token"],
        journal=journal_path,
        start_settler=False,
    )
    engine.client.backoff = (0.01, 0.02)
    engine.settler.backoff = (0.05, 0.1)
    printer = VirtualPrinter()
    gc.collect()
    root = tk.Tk()
    root.geometry("1280x800+0+0")
    window = build_window(
        root,
        config,
        engine,
        admin_token=provider.made["admin_token"],
        transport=NetworkTransport("127.0.0.1", printer.port),
        sound=lambda _kind: None,
    )
    engine.settler.start()
    root.update()
    root.focus_force()
    window.scan_field.focus_set()
    pump_until(root, lambda: root.focus_get() is not None, what="focus")
    yield Till(root, window, engine, provider, printer)
    window.close()
    window.worker.close(wait=True)
    engine.close()
    printer.close()
    root.destroy()
    # Dialogs hold Tk variables in reference cycles; collect them here, on the Tk thread,
    # before a worker thread's allocation triggers the collector and frees them there.
    gc.collect()
