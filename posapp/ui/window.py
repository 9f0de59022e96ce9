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
from datetime import date
from tkinter import ttk
from types import TracebackType
from typing import TYPE_CHECKING, Any, assert_never

from posapp.config import Config
from posapp.core import glossary
from posapp.core import till_events as ev
from posapp.core import till_offline as offline_steps
from posapp.core.actions import ACTIONS
from posapp.core.cash_out_law import StoreLaw
from posapp.core.entry import Entry
from posapp.core.offers import offers_for
from posapp.core.serials import CardRef, SerialPatterns
from posapp.core.till import Till
from posapp.core.wedge_map import WedgeMap
from posapp.deadline import deadline_s
from posapp.i18n import N_, _
from posapp.ui import theme
from posapp.ui.calls import Calls
from posapp.ui.heard import heard
from posapp.ui.host import Services
from posapp.ui.keys import ALT, CONTROL, KeyRouter
from posapp.ui.layout import build, place_window
from posapp.ui.overlay import Overlay
from posapp.ui.quit import closing
from posapp.ui.scans import Scans
from posapp.ui.shift_list import ShiftList
from posapp.ui.status_bar import StatusBar
from posapp.ui.worker import Worker

if TYPE_CHECKING:  # the use cases load with the engine, after the window is drawn
    from posapp.terminal.service import Terminal

log = logging.getLogger("posapp.ui")

# A scan that is no card, on a manager screen: it pressed nothing (a garbled card, a book's
# barcode; the trial's quit the till through the focused button).
NOT_A_CARD_HERE = N_("That scan is not a gift card this store knows; nothing was done")


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
        self.last_job: bytes | None = None
        self.on_painted: Callable[[str], None] = lambda _what: None  # tests and benchmarks
        # What closing does once nothing is in flight; the composition root adds its parts.
        self.on_close: Callable[[], None] = self._close_and_destroy
        self.overlay: Overlay | None = None
        self._overlay_key: tuple[object, ...] | None = None
        self._closing = False
        patterns = SerialPatterns.load(config.patterns)
        self.till = Till(
            patterns,
            locale=self.locale,
            pin_for=frozenset(config.manager.require_pin_for),
            pin_set=bool(config.manager.pin_hash),
            denominations=tuple((d.pricebook, d.amount) for d in config.denominations),
            sale_limits=(config.sale.min_amount, config.sale.max_amount),
            offers=offers_for(config.provider.api),
            law=StoreLaw(config.store.jurisdiction, date.today),  # the store's local day
            selling_offline=offline_steps.selling(config.offline.rules),
        )
        self.worker = Worker(root)
        # Every scanner's scans, bounded and paced (posapp/ui/scans.py, issue 18.7).
        self.scans = Scans(root, self.worker.post, lambda text: self.scan(text, "scanner"))
        self.calls = Calls(self)
        width, height = place_window(root, config.window)
        self.fonts = theme.apply(root, 1.25 if width >= 1600 and height >= 1000 else 1.0, width)
        root.title(f"posapp — {config.store.name}, {config.store.location_name}")
        root.report_callback_exception = self._callback_error
        self._build(width, glossary.choice("scanner.mode", config.scanner.mode))
        self.keys = KeyRouter(
            root,
            config.scanner.max_key_gap_ms,
            lambda text: isinstance(patterns.extract(text), CardRef),
            self.scans.put,
            self._key_target,
            self.scan_field,
        )
        self.keys.wedge_map = WedgeMap.of(config.scanner)
        self.keys.on_caps_lock = self.status_bar.set_caps_lock
        self._bind_keys()
        self.render()

    def attach(self, services: Services) -> None:
        """The engine is ready: a scan that came while it was built is checked now."""
        self.services = services
        # Its first look asks the provider for the store's currency and cash-out policy,
        # once (ui/cash_out.py), and tells the till.
        self.status_bar.watch(services, self.send)
        self.refresh_shift()
        self.send(ev.Attached())
        self.calls.read_sale(resumed=True)  # a sale open when the till stopped (issue 23)

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

    def _build(self, width: int, scanner: str) -> None:
        layout = build(self.root, self.fonts, width, ACTIONS, self.act)
        self.scan_text = layout.scan_text
        self.scan_field: ttk.Entry = layout.scan_field
        self.busy_box = layout.busy
        self.busy, self.busy_label = layout.busy.bar, layout.busy.label
        self.panel, self.buttons = layout.panel, layout.buttons
        self.shift_list = ShiftList(
            layout.shift,
            self.fonts["small"],
            self.worker,
            self.locale,
            read=lambda before: self.terminal.shift.shift_page(before),
            changed=self._shift_changed,
            failed=lambda error: self.say(self.words_for(error), "bad"),
        )
        self.shift = self.shift_list.tree  # F9 reprints the row chosen here
        # A tap on the list (a row stays selected) leaves the keys with the scan field: a
        # voucher typed next went nowhere, without a word (the first day's trial).
        self.shift.bind("<FocusIn>", lambda _e: self._keys_to_scan_field(), add="+")
        self.status_bar: StatusBar = StatusBar(
            layout.bar,
            self.worker,
            scanner,
            lambda: self._closing and self.till.in_flight is not None,
        )
        self.status, self.bar = self.status_bar.status, self.status_bar.labels
        self.scan_field.focus_set()

    @property
    def entries(self) -> list[Entry]:
        """The shift, as last read (the pick overlay's rows)."""
        return self.shift_list.entries

    def refresh_shift(self) -> None:
        if self.services is not None:
            self.shift_list.refresh()

    def set_to_settle(self, count: int) -> None:
        """From the settler's thread."""
        self.status_bar.set_to_settle(count, self.refresh_shift)

    def _shift_changed(self, entries: list[Entry]) -> None:
        if self.overlay is not None:
            self.overlay.shift_changed(entries)

    def _keys_to_scan_field(self) -> None:
        if self.overlay is None:
            self.scan_field.focus_set()

    def _key_target(self, widget: tk.Misc) -> tk.Misc:
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
        """Give the till an event, carry out its effects, draw its state; then ui/heard.py."""
        for effect in (effects := self.till.handle(event)):
            self._carry_out(effect)
        self.render()
        heard(self, event, effects)

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
            case ev.Check() | ev.CheckSale() | ev.CheckUndo() | ev.ReadSale():
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
                        _("Close this screen (Esc) to check a card")
                        if isinstance(self.till.patterns.extract(text), CardRef)
                        else _(NOT_A_CARD_HERE)
                    )
            case _:
                assert_never(effect)

    def words_for(self, error: BaseException) -> str:
        """House rule 6, through posapp.terminal.words: words a person can act on as they are; the
        rest logged with its traceback and shown as "Something went wrong"."""
        from posapp.terminal.words import words_for  # loaded by the first failure, once

        return words_for(error)[0]

    # --- drawing the till's state ---------------------------------------------------------

    def render(self) -> None:
        till = self.till
        card_before = self.panel.shown
        self.panel.paint(till.card, till.view, till.phase == "checking", till.sale_view)
        self.panel.say(till.message, till.tone, till.aside)
        for action in ACTIONS:
            button = self.buttons[action.name]
            enabled = till.ready and offline_steps.allows(till, action.name, action.enabled(till))
            words = action.words(till) or action.label
            text = f"{words}\n{action.key}"
            if button.cget("text") != text:
                button.configure(text=text)
            if button.instate(["disabled"]) == enabled:
                button.state(["!disabled"] if enabled else ["disabled"])
        self.busy_box.paint(till.waiting())
        self._render_overlay()
        if till.card is not None and self.panel.shown != card_before:
            self.on_painted("card")

    def _render_overlay(self) -> None:
        from posapp.ui.menu import open_overlay, overlay_key

        key = overlay_key(self.till)
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
        self.overlay = open_overlay(self, key)
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

    def _callback_error(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        """Tk's report_callback_exception: every error of a callback is logged and shown."""
        from posapp.terminal.words import words_for

        self.say(words_for(error, tb)[0], "bad")

    # --- the shift list and the status bar --------------------------------------------------

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
        self.say(closing(call.words, wait), "warn")
        self.status_bar.paint()  # the bar says a call waits
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
        self.status_bar.close()
        if self.services is not None and self.services.admin is not None:
            self.services.admin.close()
        self.keys.close()
        self.scans.close()
        self.worker.close()
