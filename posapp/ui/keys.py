"""Which keys are a scan: the window side of the keyboard wedge (product.md, "Scanners").

Every key of the window passes here first (a bindtag in front of each widget's own). A
printable key is held back until it is known: a scanner's next key comes within
`max_key_gap_ms` (hardware.scanners.wedge times them). When the burst ends with Enter:
- it is a scan if it is fast AND its text matches one of the card patterns; then it is
  checked wherever the focus is and never lands in a field;
- a fast burst that matches no pattern (a scratched card, a book's barcode, a receipt) is a
  scan too where nobody types a code (a confirm, a PIN, a button, a list): the till checks
  it and its Enter presses nothing (`takes_typing`);
- otherwise (a person, a fast cashier, a burst into a code or amount field) every held key
  is given to the field it was typed in, in order, and Enter goes on to that field as usual.
Typing is never lost: held keys are handed over on any other key and after a short pause.
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any, Protocol, runtime_checkable

from hardware.scanners.wedge import ENDS, MAX_LENGTH, Key, WedgeClassifier
from posapp.core.wedge_map import WedgeMap

log = logging.getLogger("posapp.keys")

TAG = "Wedge"
CONTROL, ALT = 0x4, 0x8
LOCK = 0x2  # Tk's event.state: Caps Lock on (X's LockMask)
# A wedge scanner presses Shift before each capital or "_", as a keyboard does: a modifier on
# its own is part of the burst, not a key that ends it (tests/gui_x sends real Shift presses).
MODIFIER_PREFIXES = ("Shift_", "Control_", "Alt_", "Meta_", "Super_", "ISO_Level3_", "Caps_Lock")


class KeyRouter:
    def __init__(
        self,
        root: tk.Tk,
        max_key_gap_ms: int,
        is_card: Callable[[str], bool],
        on_scan: Callable[[str], None],
        retarget: Callable[[tk.Misc], tk.Misc] = lambda widget: widget,
        home: tk.Misc | None = None,
    ) -> None:
        """`home`: the till's scan field, where a scanner's Tab does not move the focus."""
        self.root = root
        self.home = home
        self.retarget = retarget  # where a key typed in a widget is to go now
        self.gap_ms = max_key_gap_ms
        self.is_card = is_card
        self.on_scan = on_scan
        self.wedge = WedgeClassifier(max_key_gap_ms)
        self.held: list[tuple[Any, str]] = []
        # What the wedge's keys become on this till (F12, Calibrate the scanner), undone on a
        # burst before it is asked whether it is a card; Caps Lock as the keys' state says.
        self.wedge_map = WedgeMap()
        self.caps_lock = False
        self.on_caps_lock: Callable[[bool], None] = lambda _on: None
        self._job: str | None = None
        root.bind_class(TAG, "<KeyPress>", self._key)
        self.tag(root)

    def tag(self, widget: tk.Misc) -> None:
        """Put the catcher in front of this widget and all below it (new overlays too)."""
        tags = widget.bindtags()
        if TAG not in tags:
            widget.bindtags((TAG, *tags))
        for child in widget.winfo_children():
            self.tag(child)

    def _key(self, event: tk.Event[Any]) -> str | None:
        key = Key(event.keysym, event.char or "", int(event.time))
        modifiers = event.state if isinstance(event.state, int) else 0
        if bool(modifiers & LOCK) != self.caps_lock and key.keysym != "Caps_Lock":
            self.caps_lock = not self.caps_lock
            self.on_caps_lock(self.caps_lock)
        if key.keysym in ENDS:
            text = self.wedge.feed(key)
            if text is not None:
                text = self.wedge_map.read(text, self.caps_lock)
            typed_in = self.retarget(self.held[0][0] if self.held else event.widget)
            if text is not None and (
                self.is_card(text) or not takes_typing(typed_in) or no_amount(typed_in, text)
            ):
                # A scan: checked wherever the focus is. A burst that is no card is a scan
                # too where nobody types a code (a confirm, a PIN, the amount, a button):
                # its Enter must never press OK there (trials: a garbled card or a book's
                # ISBN confirmed "Redeem the full balance" and quit the till).
                self._cancel()
                self.held.clear()
                self.on_scan(text)
                if key.keysym == "Tab" and takes_typing(typed_in) and typed_in is not self.home:
                    return None  # a scanner ending in Tab, in a form: on to the next field
                return "break"
            self.flush()  # a person's keys (or a burst typed into a code field): to their field
            return None
        if key.keysym.startswith(MODIFIER_PREFIXES):
            return None
        if not (key.char and key.char.isprintable()) or modifiers & (CONTROL | ALT):
            self.flush()  # BackSpace, F2, arrows, shortcuts: after the keys typed before them
            return None
        self.wedge.feed(key)
        if self.wedge.overlong:  # no person types this many keys this fast: a scanner gone wrong
            if self.held:
                log.warning(
                    "keyboard scanner: a burst of keys longer than any card (%d) is dropped",
                    MAX_LENGTH,
                )
            self._cancel()
            self.held.clear()
            return "break"
        self.held.append((event.widget, key.char))
        self._cancel()
        self._job = self.root.after(self.gap_ms + 15, self.flush)
        return "break"

    def _cancel(self) -> None:
        if self._job is not None:
            self.root.after_cancel(self._job)
            self._job = None

    def flush(self) -> None:
        """Give the held keys to the widgets they were typed in."""
        self._cancel()
        held, self.held = self.held, []
        for widget, char in held:
            try:
                give(self.retarget(widget), char)
            except tk.TclError:  # the widget went away meanwhile (an overlay closed)
                continue

    def close(self) -> None:
        self._cancel()


@runtime_checkable
class TakesChars(Protocol):
    """A field that takes typed characters itself (the amount field: its keypad decides)."""

    def take_char(self, char: str) -> None: ...


@runtime_checkable
class HasShortcuts(Protocol):
    """An overlay whose buttons answer a letter (its `shortcuts`, by lower-case letter)."""

    shortcuts: dict[str, Callable[[], None]]


def takes_typing(widget: object) -> bool:
    """A field where a burst of keys is typing (a code in the scan field, a search, a new
    card's code; an amount, whose keypad refuses what is no amount and keeps Enter until it
    is fixed: a fast cashier's "2500" and Enter are bunched up as a burst on a busy
    machine). Not a PIN (shown as dots), a button, a list or a report: there a burst is a
    scan, and its Enter presses nothing."""
    if isinstance(widget, TakesChars):
        return True
    try:
        if isinstance(widget, tk.Entry | ttk.Entry):
            return not str(widget.cget("show"))
        if isinstance(widget, tk.Text):  # the settings' tables, not a report on show
            return str(widget.cget("state")) == "normal"
    except tk.TclError:  # gone meanwhile
        pass
    return False


# The longest amount a cashier types: "10,000.00". A burst into an amount field that is
# longer, or holds other keys, is a scan (the retrial of a till, 5: a book's ISBN became
# digits in F2's amount).
AMOUNT_KEYS, AMOUNT_MAX_KEYS = frozenset("0123456789.,"), 9


def no_amount(widget: object, text: str) -> bool:
    """A burst ended by Enter in an amount field that no amount is: a scan there too."""
    if not isinstance(widget, TakesChars):
        return False
    return len(text) > AMOUNT_MAX_KEYS or any(c not in AMOUNT_KEYS for c in text)


def give(widget: Any, char: str) -> None:
    if isinstance(widget, TakesChars):  # the amount field
        widget.take_char(char)
    elif isinstance(widget, tk.Entry | ttk.Entry):
        if widget.selection_present():
            widget.delete("sel.first", "sel.last")
        widget.insert("insert", char)
    elif isinstance(widget, tk.Text) and str(widget.cget("state")) == "normal":
        widget.insert("insert", char)
    elif char == " " and isinstance(widget, ttk.Button | tk.Button):
        widget.invoke()  # Space presses the focused button, as Tk's own binding would
    else:  # a letter where nothing is typed: the overlay's key for one of its buttons
        owner = widget
        while owner is not None and not (isinstance(owner, HasShortcuts) and owner.shortcuts):
            owner = owner.master
        press = owner.shortcuts.get(char.lower()) if isinstance(owner, HasShortcuts) else None
        if press is not None:
            press()
