"""The status bar (product.md, "Screens" 1): the provider, the scanner, the printer and what
is not confirmed yet, in words and colours; looked at every 10 s off the Tk thread."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from tkinter import ttk

from posapp.core import till_events as ev
from posapp.i18n import N_, _
from posapp.terminal.ports import CashierError, ProviderError
from posapp.ui.cash_out import store_said
from posapp.ui.host import Services
from posapp.ui.worker import Worker

EVERY_MS = 10_000
GAP = 8  # pixels between the boxes
# Said while the keys show Caps Lock on (ui/keys.py): a wedge scanner's letters come inverted.
CAPS_LOCK = N_("Caps Lock is on: the scanner's letters arrive inverted")


@dataclass
class Status:
    """The status bar's words and colours."""

    provider: str = field(default_factory=lambda: _("provider: connecting…"))
    provider_colour: str = "muted"
    scanner: str = field(default_factory=lambda: _("scanner: {state}").format(state="wedge"))
    scanner_colour: str = "ok"
    printer: str = field(default_factory=lambda: _("printer: checking…"))
    printer_colour: str = "muted"
    to_settle: int = 0
    caps_lock: bool = False


def scanner_words(said: str) -> str:
    """The serial reader's words (hardware/scanners/serial.py, which speaks no language of
    ours: "connected", "disconnected (OSError): waiting for it to come back") on screen."""
    if said == "connected":
        return _("connected")
    error = re.fullmatch(r"disconnected \((\w+)\): waiting for it to come back", said)
    if error:
        return _("disconnected ({error}): waiting for it to come back").format(error=error[1])
    return said


class StatusBar:
    def __init__(
        self, frame: ttk.Frame, worker: Worker, scanner: str, waiting: Callable[[], bool]
    ) -> None:
        """`scanner`: its connection in words ("USB keyboard"); `waiting`: the window is
        closing with a call in flight."""
        self.worker = worker
        self.waiting = waiting
        self.status = Status(scanner=_("scanner: {state}").format(state=scanner))
        self.job: str | None = None  # the next look's after() job
        self.labels: dict[str, ttk.Label] = {}
        for i, name in enumerate(("provider", "scanner", "printer", "to_settle")):
            label = ttk.Label(frame, text="", style="muted.Status.TLabel")
            label.grid(row=0, column=i, padx=(0, GAP), sticky="w")
            self.labels[name] = label
        self.frame, self.rows = frame, 1
        # Its four boxes on one line where they fit, else on two (trial 6B, 11: at 1024 px
        # a German bar cut "not confirmed yet: 2" at the window's edge).
        frame.bind("<Configure>", lambda _e: self.reflow(), add="+")
        self.look_now: Callable[[], None] = lambda: None  # set by watch
        self.count_now: Callable[[], None] = lambda: None  # set by watch
        self.paint()

    def reflow(self) -> None:
        """One row when the boxes fit the bar's width, else two (two boxes a row)."""
        width = self.frame.winfo_width()
        if width <= 1:  # not drawn yet: its <Configure> comes
            return
        need = sum(label.winfo_reqwidth() + GAP for label in self.labels.values())
        rows = 1 if need + 24 <= width else 2  # 24: the frame's padding, both sides
        if rows == self.rows:
            return
        self.rows = rows
        for i, label in enumerate(self.labels.values()):
            row, column = (0, i) if rows == 1 else divmod(i, 2)
            label.grid_configure(row=row, column=column)

    def heard(self, event: ev.TillEvent) -> None:
        """An event the till handled: a scan that found the provider unreachable has the bar
        look again at once, not at its next look; a call's answer, its count of what is not
        confirmed (trial 6B, 6: "all confirmed" beside an offline redemption unsent;
        "provider: online" while the panel said it could not be reached). Not the provider's
        health after every answer: the answer just said it."""
        if isinstance(event, ev.CardSeen | ev.CheckFailed):
            self.look_now()
        elif isinstance(event, ev.Answered):  # the provider answered: only the count is news
            self.count_now()

    def paint(self) -> None:
        s, bar = self.status, self.labels
        bar["provider"].configure(text=s.provider, style=f"{s.provider_colour}.Status.TLabel")
        if s.caps_lock:
            bar["scanner"].configure(text=_(CAPS_LOCK), style="warn.Status.TLabel")
        else:
            bar["scanner"].configure(text=s.scanner, style=f"{s.scanner_colour}.Status.TLabel")
        bar["printer"].configure(text=s.printer, style=f"{s.printer_colour}.Status.TLabel")
        # Closing with a call in flight: it waits for its answer, not "all confirmed" (the
        # retrial of a till, 8).
        waiting = self.waiting()
        confirmed = _("a call waits for its answer") if waiting else _("all confirmed")
        to_settle = _("not confirmed yet: {count}").format(count=s.to_settle)
        bar["to_settle"].configure(
            text=to_settle if s.to_settle else confirmed,
            style=f"{'warn' if s.to_settle or waiting else 'ok'}.Status.TLabel",
        )
        self.reflow()

    def set_scanner_status(self, words: str) -> None:
        """From the serial reader's thread."""

        def paint() -> None:
            self.status.scanner = _("scanner: {state}").format(state=scanner_words(words))
            self.status.scanner_colour = "ok" if words == "connected" else "bad"
            self.paint()

        self.worker.post(paint)

    def set_caps_lock(self, on: bool) -> None:
        """On the Tk thread: Caps Lock seen on or off in a key's state."""
        self.status.caps_lock = on
        self.paint()

    def set_to_settle(self, count: int, then: Callable[[], None]) -> None:
        """From the settler's thread; `then` on the Tk thread once painted."""

        def paint() -> None:
            self.status.to_settle = count
            self.paint()
            then()

        self.worker.post(paint)

    def watch(self, services: Services, send: Callable[[ev.TillEvent], None]) -> None:
        """Every 10 s, off the Tk thread: the provider's health and the printer's status."""
        printer, terminal, post = services.printer, services.terminal, self.worker.post

        def look() -> tuple[str, str, str, str, int]:
            try:
                latency = services.health()
                ms = f"{latency * 1000:.0f}"
                provider, pc = _("provider: online, {ms} ms").format(ms=ms), "ok"
                store_said(terminal, post, send)  # ui/cash_out.py
                post(lambda: send(ev.ProviderBack()))  # "cannot be reached"?
            except (ProviderError, CashierError):
                provider, pc = _("provider: OFFLINE"), "bad"
                post(lambda: send(ev.ProviderOffline()))  # said before a PIN
                # Selling offline (issue 24): said in its place, amber, not red.
                store = terminal.known_store_config()
                if line := store and terminal.offline.status_line(store.currency):
                    provider, pc = line, "warn"
            if terminal.offline.rules.on:  # the shift's offline total, the manager's switch
                known = ev.OfflineKnown(
                    terminal.offline.taken_this_shift(), terminal.offline.off_for_shift
                )
                post(lambda: send(known))
            words, ready = printer.status_words()
            printer_said = _("printer: {state}").format(state=words)
            return provider, pc, printer_said, "ok" if ready else "bad", services.to_settle()

        def paint(found: tuple[str, str, str, str, int]) -> None:
            s = self.status
            s.provider, s.provider_colour, s.printer, s.printer_colour, s.to_settle = found
            self.paint()

        self.worker.submit(look, paint, lambda _e: None)
        self.job = self.worker.root.after(EVERY_MS, lambda: self.watch(services, send))
        self.look_now = lambda: self._again(services, send)

        def count_now() -> None:  # the journal's count, off the Tk thread
            self.worker.submit(services.to_settle, self._counted, lambda _e: None)

        self.count_now = count_now

    def _counted(self, count: int) -> None:
        self.status.to_settle = count
        self.paint()

    def _again(self, services: Services, send: Callable[[ev.TillEvent], None]) -> None:
        """Look now, the next look 10 s after this one."""
        if self.job is not None:
            self.worker.root.after_cancel(self.job)
        self.watch(services, send)

    def close(self) -> None:
        self.look_now = lambda: None  # an answer after closing looks no more
        self.count_now = lambda: None
        if self.job is not None:
            self.worker.root.after_cancel(self.job)
