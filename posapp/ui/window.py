"""The cashier screen (product.md, "Screens" 1): scan field, card panel, actions, the shift's
transactions and the status bar, in one window of fixed layout that fits 1024x768.

The window decides nothing: `till` (posapp.core.till.Till) does. Keys, scans and answers are
sent to it as typed events (`send`, posapp.core.till_events); its effects are carried out
(`posapp.ui.calls`); then its state
is drawn (`render`). Every dialog and manager screen is an overlay inside this window.

What a test reads (the names stay):
- `window.till.phase`: "idle", "checking", "card", "entering", "selling", "picking",
  "confirming", "busy" or "screen"; `window.till.card` is the card on screen (a Gift or
  None), `window.till.in_flight` the call in flight, `window.till.message` the words shown.
- `window.panel.serial / .balance / .status` (labels), `window.scan_field` (the entry),
  `window.buttons[name]` (one per action of posapp.core.actions.ACTIONS), `window.bar[name]`.
- `window.overlay`: the overlay open (None when none), an AmountOverlay, ConfirmOverlay,
  PickOverlay or a manager screen; `overlay.first_field` has the focus once it is mapped,
  `overlay.note` says why a key was refused. AmountOverlay: `.field` (the amount, its text
  is the amount shown), `.ok` (its words name card and amount), `.denominations[pricebook]`,
  `.email`; ConfirmOverlay: `.words`, `.ok`, `.pin_field` and `.pin` (its text) when a PIN
  is asked; PickOverlay: `.tree`, `.rows`; a manager screen (posapp.ui.screen.Screen):
  `.form` (a form open on it), ManagerMenu `.choices[name]`.
- `window.sounds`: the sounds played ("good", "bad"); `window.on_painted(what)` is called
  when a card ("card") or a receipt ("receipt") has been drawn.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from tkinter import ttk
from typing import Any, assert_never

from posapp.config import Config
from posapp.core import glossary
from posapp.core import till_events as ev
from posapp.core.actions import ACTIONS
from posapp.core.adjustment import CHANGES, is_change, shift_list_amount, shift_list_what
from posapp.core.entry import Entry
from posapp.core.money import format_money
from posapp.core.receipt import Receipt
from posapp.core.serial_number import short
from posapp.core.serials import CardRef, SerialPatterns
from posapp.core.till import Till
from posapp.deadline import deadline_s
from posapp.terminal.ports import CashierError, ProviderError
from posapp.terminal.service import SHIFT_PAGE, Terminal
from posapp.ui import errors, theme
from posapp.ui.calls import Calls
from posapp.ui.cash_out import store_said
from posapp.ui.host import Services
from posapp.ui.keys import ALT, CONTROL, KeyRouter
from posapp.ui.overlay import Overlay
from posapp.ui.panel import CardPanel
from posapp.ui.scans import Scans
from posapp.ui.worker import Worker

log = logging.getLogger("posapp.ui")

SIZE = (1024, 768)  # the smallest till screen every screen must fit
# A scan that is no card, on a manager screen: it pressed nothing (a garbled card, a book's
# barcode; the trial's quit the till through the focused button).
NOT_A_CARD_HERE = "That scan is not a gift card this store knows; nothing was done"


@dataclass
class Status:
    """The status bar's words and colours."""

    provider: str = "provider: connecting…"
    provider_colour: str = "muted"
    scanner: str = "scanner: wedge"
    scanner_colour: str = "ok"
    printer: str = "printer: checking…"
    printer_colour: str = "muted"
    to_settle: int = 0


class CashierWindow:
    def __init__(
        self, root: tk.Tk, config: Config, *, sound: Callable[[str], None] | None = None
    ) -> None:
        """The window, drawn at once; `attach` gives it the engine when that is built (the
        network stack takes longer to load than the window takes to show)."""
        self.root = root
        self.config = config
        self.locale = config.store.locale
        self._sound = sound
        self.services: Services | None = None
        self.sounds: list[str] = []
        self.entries: list[Entry] = []  # the shift, as last read (the pick overlay's rows)
        self.last_receipt: Receipt | None = None
        self.last_job: bytes | None = None
        self.on_painted: Callable[[str], None] = lambda _what: None  # tests and benchmarks
        # What closing does once nothing is in flight; the composition root adds its parts.
        self.on_close: Callable[[], None] = self._close_and_destroy
        self.overlay: Overlay | None = None
        self._overlay_key: tuple[Any, ...] | None = None
        self._closing = False
        self._watch_job: str | None = None
        patterns = SerialPatterns.load(config.patterns)
        self.till = Till(
            patterns,
            locale=self.locale,
            pin_for=frozenset(config.manager.require_pin_for),
            pin_set=bool(config.manager.pin_hash),
            denominations=tuple((d.pricebook, d.amount) for d in config.denominations),
            sale_limits=(config.sale.min_amount, config.sale.max_amount),
        )
        self.worker = Worker(root)
        # Every scanner's scans, bounded and paced (posapp/ui/scans.py, issue 18.7).
        self.scans = Scans(root, self.worker.post, lambda text: self.scan(text, "scanner"))
        self.calls = Calls(self)
        self.status = Status(
            scanner=f"scanner: {glossary.choice('scanner.mode', config.scanner.mode)}"
        )
        width, height = self._place_window()
        self.fonts = theme.apply(root, 1.25 if width >= 1600 and height >= 1000 else 1.0, width)
        root.title(f"posapp — {config.store.name}, {config.store.location_name}")
        root.report_callback_exception = self._callback_error
        self._build(width)
        self.keys = KeyRouter(
            root,
            config.scanner.max_key_gap_ms,
            lambda text: isinstance(patterns.extract(text), CardRef),
            self.scans.put,
            self._key_target,
            self.scan_field,
        )
        self._bind_keys()
        self.render()

    def _place_window(self) -> tuple[int, int]:
        """config.md [window]: fullscreen fills the screen, with or without a window manager
        (the geometry does it alone where there is none); else 1024x768. Either way the size
        is set, so the window never grows with what it shows."""
        root = self.root
        if self.config.window.fullscreen:
            width, height = root.winfo_screenwidth(), root.winfo_screenheight()
            root.geometry(f"{width}x{height}+0+0")
            root.attributes("-fullscreen", True)
        else:
            width = min(SIZE[0], root.winfo_screenwidth())
            height = min(SIZE[1], root.winfo_screenheight())
            root.geometry(f"{width}x{height}")
            if (width, height) == (root.winfo_screenwidth(), root.winfo_screenheight()):
                # The window is the screen: a window manager's title bar and borders take
                # some of it, so it is asked to maximize the window into what is left (its
                # work area); with no window manager this does nothing and the geometry
                # fills the screen. No minimum size: it would keep the bottom (the status
                # bar) below the screen's edge.
                root.attributes("-zoomed", True)
        return width, height

    def attach(self, services: Services) -> None:
        """The engine is ready: a scan that came while it was built is checked now."""
        self.services = services
        self._watch()
        self.refresh_shift()
        self.worker.submit(
            self._store_currency,
            lambda currency: self.send(ev.CurrencyKnown(currency)),
            lambda _e: None,
        )
        self.send(ev.Attached())

    def _store_currency(self) -> str:
        """On the worker: the store's currency, and its money formatter built here, not by
        the first card's balance on the Tk thread (see _read_shift_page)."""
        currency = self.terminal.store_config().currency
        format_money(0, currency, self.locale)
        return currency

    @property
    def ready(self) -> bool:
        return self.services is not None

    @property
    def services_(self) -> Services:
        assert self.services is not None, "used before attach"
        return self.services

    @property
    def terminal(self) -> Terminal:
        return self.services_.terminal

    def tag_keys(self, widget: tk.Misc) -> None:
        """A form or overlay's keys pass the scan catcher first, as the window's do."""
        self.keys.tag(widget)

    # --- layout ---------------------------------------------------------------------------

    def _build(self, width: int) -> None:
        root, fonts = self.root, self.fonts
        # Fixed proportions (uniform groups): no column or row grows with its content.
        root.columnconfigure(0, weight=3, uniform="columns")
        root.columnconfigure(1, weight=2, uniform="columns")
        root.rowconfigure(1, weight=3, uniform="rows")
        root.rowconfigure(2, weight=2, uniform="rows")
        top = ttk.Frame(root, padding=(12, 12, 12, 0))
        top.grid(row=0, column=0, columnspan=2, sticky="ew")
        top.columnconfigure(0, weight=1)
        self.scan_text = tk.StringVar(root)
        self.scan_field: ttk.Entry = ttk.Entry(
            top, textvariable=self.scan_text, font=fonts["big"], style="Big.TEntry"
        )
        self.scan_field.grid(row=0, column=0, sticky="ew")
        ttk.Label(top, text="Scan or type a gift card, then Enter", font=fonts["small"]).grid(
            row=1, column=0, sticky="w"
        )
        # The busy indicator and its word, side by side in a box of fixed size: shown only
        # while a call is waiting (`_paint_busy`), and nothing moves when it comes and goes.
        waiting = ttk.Frame(top, width=int(width * 0.3), height=fonts["big"].metrics("linespace"))
        waiting.grid(row=0, column=1, padx=(12, 0), sticky="ns")
        waiting.grid_propagate(False)
        waiting.rowconfigure(0, weight=1)
        self.busy = ttk.Progressbar(waiting, mode="indeterminate", length=int(width * 0.1))
        self.busy_label = ttk.Label(waiting, text="", font=fonts["small"])
        self.busy.grid(row=0, column=0)
        self.busy_label.grid(row=0, column=1, padx=(8, 0))
        self.busy.grid_remove()
        self._busy_shown = False  # not winfo_ismapped: it is False until Tk has drawn it

        self.panel = CardPanel(root, fonts, wrap=int(width * 0.6) - 60)
        self.panel.grid(row=1, column=0, sticky="nsew", padx=12, pady=12)

        actions = ttk.Frame(root, padding=(0, 12, 12, 12))
        actions.grid(row=1, column=1, rowspan=2, sticky="nsew")
        actions.grid_propagate(False)
        self.buttons: dict[str, ttk.Button] = {}
        for i, action in enumerate(ACTIONS):
            button = ttk.Button(
                actions,
                text=f"{action.label}\n{action.key}",
                style="Action.TButton",
                command=functools.partial(self.act, action.name),
            )
            button.grid(row=i // 2, column=i % 2, sticky="nsew", padx=4, pady=4)
            self.buttons[action.name] = button
        for c in (0, 1):
            actions.columnconfigure(c, weight=1, uniform="buttons")
        for r in range((len(ACTIONS) + 1) // 2):
            actions.rowconfigure(r, weight=1, uniform="buttons")

        shift = ttk.Frame(root, padding=(12, 0, 12, 0))
        shift.grid(row=2, column=0, sticky="nsew")
        shift.grid_propagate(False)
        shift.rowconfigure(1, weight=1)
        shift.columnconfigure(0, weight=1)
        ttk.Label(shift, text="This shift", font=fonts["small"]).grid(row=0, column=0, sticky="w")
        columns = ("time", "what", "card", "amount", "state")
        # Each column as wide as its longest words in the list's font, so nothing is cut at
        # 1024x768 ("settled: not charged", "Refund to card"); the small font makes them fit.
        style = ttk.Style(root)
        style.configure("Shift.Treeview", font=fonts["small"])
        self.shift = ttk.Treeview(
            shift, columns=columns, show="headings", height=4, style="Shift.Treeview"
        )
        longest = {
            "time": "00:00",
            "what": max(
                [
                    *(glossary.transaction(op) for op in glossary.TRANSACTION_PLURAL),
                    *CHANGES.values(),
                ],
                key=fonts["small"].measure,
            ),
            "card": "••0000",
            # Written out, not formatted: Babel's first format loads its locale data, 70 ms
            # the window would wait for before it shows (benchmarks/ui_latency.py, cold start).
            "amount": "+$100,000.00",  # a manager change is signed
            "state": max(
                [
                    *glossary.JOURNAL_STATE.values(),
                    *glossary.SETTLED.values(),
                    *glossary.REVERSED.values(),
                ],
                key=fonts["small"].measure,
            ),
        }
        for column in columns:
            self.shift.heading(column, text=column.capitalize(), anchor="w")
            self.shift.column(
                column, width=fonts["small"].measure(longest[column]) + 8, anchor="w", stretch=True
            )
        self.shift.grid(row=1, column=0, sticky="nsew")
        # A tap on the list (a row stays selected) leaves the keys with the scan field: a
        # voucher typed next went nowhere, without a word (the first day's trial).
        self.shift.bind("<FocusIn>", lambda _e: self._keys_to_scan_field(), add="+")
        self.shift_scrollbar = ttk.Scrollbar(shift, orient="vertical", command=self.shift.yview)
        self.shift_scrollbar.grid(row=1, column=1, sticky="ns")
        self.shift.configure(yscrollcommand=self._shift_scrolled)
        self._older: bool | None = False  # more of the shift to page in; None: reading

        bar = ttk.Frame(root, padding=(12, 6))
        bar.grid(row=3, column=0, columnspan=2, sticky="ew")
        self.bar: dict[str, ttk.Label] = {}
        for i, name in enumerate(("provider", "scanner", "printer", "to_settle")):
            label = ttk.Label(bar, text="", style="muted.Status.TLabel")
            label.grid(row=0, column=i, padx=(0, 8), sticky="w")
            self.bar[name] = label
        self._paint_status()
        self.scan_field.focus_set()

    def _keys_to_scan_field(self) -> None:
        if self.overlay is None:
            self.scan_field.focus_set()

    def _key_target(self, widget: Any) -> Any:
        """Keys typed right after F2 reach Tk before the amount overlay is mapped and has the
        focus (a fast cashier, a busy machine): the scan field got them. They are the
        overlay's, given to its first field."""
        overlay = self.overlay
        if overlay is not None and widget is self.scan_field and overlay.first_field is not None:
            return overlay.first_field
        return widget

    def _bind_keys(self) -> None:
        for action in ACTIONS:
            self.root.bind(f"<{action.key}>", functools.partial(self._key_action, action.name))
        self.root.bind("<Escape>", lambda _e: self.escape())
        self.root.bind("<Return>", self._enter_key)
        self.root.bind("<KP_Enter>", self._enter_key)
        # Ctrl+A selects all, as everywhere else a person types; Tk's X11 default is Emacs'
        # line start (the trial's "BeaBeaAnn" on the sign-in, the search kept its text).
        with contextlib.suppress(tk.TclError):
            self.root.event_delete("<<LineStart>>", "<Control-a>")
        self.root.event_add("<<SelectAll>>", "<Control-a>")
        self.root.protocol("WM_DELETE_WINDOW", self.close_requested)

    def _key_action(self, name: ev.ActionName, event: tk.Event[Any]) -> str | None:
        """An action key, only on its own: Alt+F4 is the window manager's close, and Ctrl or
        Alt with an F-key is a shortcut of someone else's (Tk's <F4> matches them too)."""
        modifiers = event.state if isinstance(event.state, int) else 0
        if modifiers & (CONTROL | ALT):
            return None
        self.act(name)
        return "break"

    def _enter_key(self, event: tk.Event[Any]) -> str | None:
        if self.overlay is not None:
            if isinstance(event.widget, tk.Text):
                return None  # a new line in a text (the settings' tables)
            self.overlay.enter()
            return "break"
        if event.widget is self.scan_field:
            text = self.scan_text.get()
            self.scan_text.set("")
            self.scan(text, "typed")
        return "break"

    # --- events to the till, effects back -----------------------------------------------

    def send(self, event: ev.TillEvent) -> None:
        """Give the till an event, carry out its effects, draw its state."""
        for effect in self.till.handle(event):
            self._carry_out(effect)
        self.render()

    def scan(self, text: str, source: str) -> None:
        """A scan from the wedge, the serial reader, or typed then Enter."""
        log.debug("scan from %s", source)
        self.send(ev.Scan(text, time.monotonic()))

    def act(self, name: ev.ActionName) -> None:
        self.send(ev.ActionKey(name))

    def escape(self) -> None:
        if self.overlay is not None and self.overlay.escape():
            return
        self.send(ev.Cancel())

    def _carry_out(self, effect: ev.Effect) -> None:
        match effect:
            case ev.Check() | ev.CheckSale() | ev.CheckUndo():
                self.calls.look(effect)
            case ev.Move():
                self.calls.move(effect)
            case ev.CheckPin():
                self.calls.pin(effect)
            case ev.Sound(kind):
                self.sound(kind)
            case ev.RefreshShift():
                self.refresh_shift()
            case ev.ToScreen(text):
                if self.overlay is not None and not self.overlay.take_scan(text):
                    self.sound("bad")
                    self.overlay.say(
                        "Close this screen (Esc) to check a card"
                        if isinstance(self.till.patterns.extract(text), CardRef)
                        else NOT_A_CARD_HERE
                    )
            case _:
                assert_never(effect)

    def words_for(self, error: BaseException) -> str:
        """House rule 6, through posapp.ui.errors: words a person can act on as they are; the
        rest logged with its traceback and shown as "Something went wrong"."""
        return errors.words_for(error)[0]

    # --- drawing the till's state ---------------------------------------------------------

    def render(self) -> None:
        till = self.till
        card_before = self.panel.shown
        self.panel.paint(till.card, till.view, till.phase == "checking")
        self.panel.say(till.message, till.tone, till.aside)
        for action in ACTIONS:
            button = self.buttons[action.name]
            enabled = till.ready and action.enabled(till)
            words = action.words(till) or action.label
            text = f"{words}\n{action.key}"
            if button.cget("text") != text:
                button.configure(text=text)
            if button.instate(["disabled"]) == enabled:
                button.state(["!disabled"] if enabled else ["disabled"])
        self._paint_busy(till.waiting())
        self._render_overlay()
        if till.card is not None and self.panel.shown != card_before:
            self.on_painted("card")

    def _paint_busy(self, words: str) -> None:
        """The busy indicator runs while a call is waiting, and stops as its answer is
        painted. Whether it shows is kept here: winfo_ismapped stays False until Tk has
        drawn it, so an answer painted before that left it running until the next event."""
        if words and not self._busy_shown:
            self.busy.grid()
            self.busy.start(12)
        elif not words and self._busy_shown:
            self.busy.stop()
            self.busy.grid_remove()
        self._busy_shown = bool(words)
        if self.busy_label.cget("text") != words:
            self.busy_label.configure(text=words)

    def _render_overlay(self) -> None:
        from posapp.ui.amount import AmountOverlay
        from posapp.ui.confirm import ConfirmOverlay
        from posapp.ui.pick import PickOverlay

        till = self.till
        makers: dict[str, Callable[[], Overlay]] = {
            "entering": lambda: AmountOverlay(self),
            "confirming": lambda: ConfirmOverlay(self),
            "picking": lambda: PickOverlay(self),
        }
        key: tuple[Any, ...] | None = None
        if till.phase == "entering":
            key = ("entering", till.purpose)
        elif till.phase == "confirming":
            key = ("confirming", id(till.pending))
        elif till.phase == "picking":
            key = ("picking",)
        elif till.phase == "screen":
            key = ("screen", till.screen)
        if key == self._overlay_key:
            if self.overlay is not None:
                self.overlay.refresh()
            return
        if self.overlay is not None:
            self.overlay.destroy()
            self.overlay = None
        self._overlay_key = key
        if key is None:
            self.scan_field.focus_set()
            return
        if key[0] == "screen":
            from posapp.ui.menu import open_screen

            self.overlay = open_screen(self, str(key[1]))
        else:
            self.overlay = makers[key[0]]()
        self.keys.tag(self.overlay)
        self.overlay.focus_first()

    def sound(self, kind: str) -> None:
        """A good scan beeps once; a bad one three times (different, as a cashier hears)."""
        self.sounds.append(kind)
        if self._sound is not None:
            self._sound(kind)
            return
        self.root.bell()
        if kind == "bad":
            self.root.after(150, self.root.bell)
            self.root.after(300, self.root.bell)

    def say(self, words: str, tone: str = "ok") -> None:
        """Words outside the till's own (the engine failing to start)."""
        self.panel.say(words, tone)

    def _callback_error(self, kind: type[BaseException], error: BaseException, tb: Any) -> None:
        """Tk's report_callback_exception: every error of a callback is logged and shown."""
        self.say(errors.words_for(error, tb)[0], "bad")

    # --- the shift list and the status bar --------------------------------------------------

    def refresh_shift(self) -> None:
        """The newest screenful of the shift; older ones are read as the list scrolls down
        to its end (issue 14: a long shift is never read or painted whole)."""
        if self.services is not None:
            self.worker.submit(
                self._read_shift_page,
                self._paint_shift,
                lambda error: self.say(self.words_for(error), "bad"),
            )

    def _shift_scrolled(self, first: float | str, last: float | str) -> None:
        """The list moved: its scrollbar follows, and at its end the next older page is read."""
        self.shift_scrollbar.set(first, last)
        if float(last) >= 1.0 and self._older and self.entries:
            self._older = None
            oldest = self.entries[0].id
            self.worker.submit(
                lambda: self._read_shift_page(oldest),
                lambda entries: self._paint_shift(entries, older=True),
                lambda error: self.say(self.words_for(error), "bad"),
            )

    def _read_shift_page(self, before: int | None = None) -> list[Entry]:
        """On the worker: a page of the shift, and the money formatter of its currencies
        built here too, so that painting it on the Tk thread only formats. The first build
        loads Babel's locale data, 15 to 30 ms that stalled the till's start (issue 14)."""
        entries = self.terminal.shift_page(before)
        for currency in {e.currency for e in entries if e.amount is not None}:
            format_money(0, currency, self.locale)
        return entries

    def _paint_shift(self, entries: list[Entry], *, older: bool = False) -> None:
        """The shift, newest first, in the cashier's words (posapp.core.glossary); a Z report
        closes the shift, so the list is empty after it (the journal and reports keep it).
        `older`: a page of older entries, below the rows shown."""
        self._older = len(entries) == SHIFT_PAGE
        at = 0  # the newest on top; an older page goes below the rows shown
        if older:
            self.entries = entries + self.entries
            at = len(self.shift.get_children())
        else:
            self.entries = entries
            self.shift.delete(*self.shift.get_children())
        if self.overlay is not None:
            self.overlay.shift_changed(self.entries)
        # A reversal is newer than what it reverses: it is on this page or on one shown.
        reversals = {e.reverses_entry: e for e in self.entries if e.reverses_entry is not None}
        for e in entries:
            if is_change(e):  # a manager's: how it changed the card, signed
                value = shift_list_amount(e, self.locale)
            elif e.amount is not None:
                value = format_money(e.amount, e.currency, self.locale)
            else:
                value = glossary.items(e.quantity or 0, e.item_label)  # "1 × Coffee"
            self.shift.insert(
                "",
                at,
                iid=f"entry-{e.id}",  # F9 reprints the row chosen (ui/reprint.py)
                values=(
                    time.strftime("%H:%M", time.localtime(e.created_at)),
                    shift_list_what(e) if is_change(e) else glossary.transaction(e.operation),
                    "new card" if e.card_code is None else short(e.card_code),
                    value,
                    glossary.entry_state(e, reversals.get(e.id)),
                ),
            )

    def _paint_status(self) -> None:
        s = self.status
        self.bar["provider"].configure(text=s.provider, style=f"{s.provider_colour}.Status.TLabel")
        self.bar["scanner"].configure(text=s.scanner, style=f"{s.scanner_colour}.Status.TLabel")
        self.bar["printer"].configure(text=s.printer, style=f"{s.printer_colour}.Status.TLabel")
        # Closing with a call in flight: it waits for its answer, not "all confirmed" (the
        # retrial of a till, 8).
        waiting = self._closing and self.till.in_flight is not None
        confirmed = "a call waits for its answer" if waiting else "all confirmed"
        self.bar["to_settle"].configure(
            text=f"not confirmed yet: {s.to_settle}" if s.to_settle else confirmed,
            style=f"{'warn' if s.to_settle or waiting else 'ok'}.Status.TLabel",
        )

    def set_scanner_status(self, words: str) -> None:
        """From the serial reader's thread."""

        def paint() -> None:
            self.status.scanner = f"scanner: {words}"
            self.status.scanner_colour = "ok" if words == "connected" else "bad"
            self._paint_status()

        self.worker.post(paint)

    def set_to_settle(self, count: int) -> None:
        """From the settler's thread."""

        def paint() -> None:
            self.status.to_settle = count
            self._paint_status()
            self.refresh_shift()

        self.worker.post(paint)

    def _watch(self) -> None:
        """Every 10 s, off the Tk thread: the provider's health and the printer's status."""
        services = self.services_
        printer, terminal = services.printer, services.terminal

        def look() -> tuple[str, str, str, str, int]:
            try:
                latency = services.health()
                provider, pc = f"provider: online, {latency * 1000:.0f} ms", "ok"
                store_said(terminal, self.worker.post, self.send)  # ui/cash_out.py
                self.worker.post(lambda: self.send(ev.ProviderBack()))  # "cannot be reached"?
            except (ProviderError, CashierError):
                provider, pc = "provider: OFFLINE", "bad"
                self.worker.post(lambda: self.send(ev.ProviderOffline()))  # said before a PIN
            words, ready = printer.status_words()
            return provider, pc, f"printer: {words}", "ok" if ready else "bad", services.to_settle()

        def paint(found: tuple[str, str, str, str, int]) -> None:
            s = self.status
            s.provider, s.provider_colour, s.printer, s.printer_colour, s.to_settle = found
            self._paint_status()

        self.worker.submit(look, paint, lambda _e: None)
        self._watch_job = self.root.after(10_000, self._watch)

    # --- closing ------------------------------------------------------------------------------

    def close_requested(self, then: Callable[[], None] | None = None) -> None:
        """The window's close button or SIGTERM: with a money call in flight, say so and wait
        for its answer, up to its deadline; what stays unknown is settled on the next start."""
        finish = then or self.on_close
        call = self.till.in_flight
        if call is None or self._closing:
            if call is None:
                finish()
            return
        self._closing = True
        wait = deadline_s(self.config.provider)
        self.say(
            f"Closing: waiting for the answer to {call.words} (at most {wait:.0f} s). What "
            "has no answer by then is settled when posapp starts again.",
            "warn",
        )
        self._paint_status()  # the bar says a call waits
        deadline = time.monotonic() + wait

        def check() -> None:
            if self.till.in_flight is None or time.monotonic() > deadline:
                finish()
            else:
                self.root.after(50, check)

        self.root.after(50, check)

    def _close_and_destroy(self) -> None:
        self.close()
        self.root.destroy()

    def close(self) -> None:
        if self._watch_job is not None:
            self.root.after_cancel(self._watch_job)
        if self.services is not None and self.services.admin is not None:
            self.services.admin.close()
        self.keys.close()
        self.scans.close()
        self.worker.close()
