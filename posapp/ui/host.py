"""What an overlay or a manager screen may use of the window: two narrow protocols, so that
no overlay or screen imports ui/window.py (only app.py does; redesign §4.5).

`TillHost` is what the cashier's overlays (amount, confirm, pick) use: the till to draw, a
way to give it an event, Esc. `ScreenHost` adds what the manager screens use: the worker,
the config, the services (`Services`: the engine's parts as terminal use cases and ports,
built by app.py) and the window's shared state (the last print job, the shift list).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from tkinter import ttk
from typing import TYPE_CHECKING, Protocol

# Names for the annotations only: the window is drawn before the engine's modules load
# (benchmarks/ui_latency.py's cold start).
if TYPE_CHECKING:
    from posapp.config import Config
    from posapp.config_form import SettingsStore
    from posapp.core.entry import Entry
    from posapp.core.receipt import Receipt
    from posapp.core.till import Till
    from posapp.core.till_events import ActionName, TillEvent
    from posapp.terminal.adjustment import CardChanges
    from posapp.terminal.last_receipt import LastReceipt
    from posapp.terminal.ports import GiftCardAdmin, PrintJob
    from posapp.terminal.service import Terminal
    from posapp.terminal.till_calls import TillCalls
    from posapp.ui.keys import KeyRouter
    from posapp.ui.theme import Fonts
    from posapp.ui.worker import Worker


class Printer(Protocol):
    """The receipt printer as the window uses it (posapp/adapters/printer.py's ReceiptPrinter)."""

    @property
    def transport(self) -> object | None:
        """None: the till has no printer (a receipt is then "not printed", never "printed")."""
        ...

    def print(self, receipt: Receipt) -> PrintJob:
        """One job at a time; its bytes and what became of it, in the cashier's words."""
        ...

    def encode(self, receipt: Receipt) -> bytes: ...
    def print_calibration(self, code: str) -> PrintJob: ...
    def status_words(self) -> tuple[str, bool]: ...


class PinCheck(Protocol):
    """The manager PIN (posapp/adapters/secrets.py's ManagerPin): checked on a worker; its
    stored hash replaced when the config file's changes (ui/pin_watch.py)."""

    stored_hash: str

    def check(self, pin: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Services:
    """What the window works with once the engine is built (app.py's services_for)."""

    config: Config
    terminal: Terminal
    printer: Printer
    pin: PinCheck
    last: LastReceipt  # F9's receipt (after a restart, the one the journal kept unprinted)
    calls: TillCalls  # the till's requests, run on the worker (ui/calls.py schedules them)
    health: Callable[[], float]  # the provider's latency in seconds, or ProviderError
    to_settle: Callable[[], int]  # calls not confirmed yet (the settler's count)
    settings: SettingsStore  # the settings file (or none, in the demo)
    admin: GiftCardAdmin | None = None
    config_path: Path | None = None
    changes: CardChanges | None = None  # a manager's money changes (the admin calls' journal)


class TillHost(Protocol):
    """What the amount, confirm and pick overlays use of the window."""

    root: tk.Tk
    fonts: Fonts
    locale: str

    @property
    def entries(self) -> list[Entry]:
        """The shift, as last read."""
        ...

    @property
    def till(self) -> Till:
        """Read for drawing; changed only through `send`."""
        ...

    def send(self, event: TillEvent) -> None: ...
    def act(self, name: ActionName) -> None: ...
    def escape(self) -> None: ...


class ScreenHost(TillHost, Protocol):
    """What screen.py, menu.py and every manager screen use of the window."""

    worker: Worker
    config: Config
    shift: ttk.Treeview  # the shift list (F9 reprints the row chosen there)
    last_job: bytes | None
    on_painted: Callable[[str], None]
    keys: KeyRouter  # the wedge's keys: the calibration reads and sets its map

    @property
    def services_(self) -> Services: ...
    @property
    def terminal(self) -> Terminal: ...
    def tag_keys(self, widget: tk.Misc) -> None: ...
    def words_for(self, error: BaseException) -> str: ...
    def say(self, words: str, tone: str = "ok") -> None: ...
    def close_requested(self, then: Callable[[], None] | None = None) -> None: ...
    def refresh_shift(self) -> None: ...
    def render(self) -> None: ...
