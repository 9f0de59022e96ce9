"""The card PIN overlay (issue 21 point 3): a card whose brand needs its own PIN asks for it on
a masked keypad, for keyboard or touch. It draws the till's view model
(core/card_pin.py PinPadView): a dot per digit, never the digits, which live only in the
till; keys go to the till as events (CardPinKey), Enter checks the card with the PIN, Esc
cancels. The card is not shown meanwhile and nothing moves."""

from __future__ import annotations

import functools
import tkinter as tk
from tkinter import ttk

from posapp.core.till_events import CardPinKey, Confirm
from posapp.i18n import _
from posapp.ui import theme
from posapp.ui.host import TillHost
from posapp.ui.overlay import Overlay

KEYPAD = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "0"]


class PinDots(ttk.Label):
    """The PIN as dots; it takes the keyboard's digits (ui/keys.py gives held keys to a field
    that `take_char`s) and BackSpace, and sends each to the till."""

    def __init__(self, master: tk.Misc, overlay: CardPinOverlay) -> None:
        super().__init__(
            master, text="", style="Card.TLabel", font=overlay.fonts["huge"], anchor="center"
        )
        # A field's box, so the place the dots go shows before the first digit.
        self.configure(takefocus=True, width=12, relief="solid", borderwidth=1, padding=(8, 4))
        self.to_till = overlay.window.send
        self.bind("<BackSpace>", self._backspace)

    def take_char(self, char: str) -> None:
        self.to_till(CardPinKey(char))

    def _backspace(self, _event: tk.Event[tk.Misc]) -> str:
        self.to_till(CardPinKey("BackSpace"))
        return "break"


class CardPinOverlay(Overlay):
    def __init__(self, window: TillHost) -> None:
        view = window.till.pin_pad_view
        assert view is not None
        super().__init__(window.root, window.fonts, view.title)
        self.window = window
        self.asked = ttk.Label(
            self.panel,
            text=view.asked,
            style="Card.TLabel",
            font=window.fonts["big"],
            wraplength=560,
            justify="left",
        )
        self.asked.grid(row=1, column=0, columnspan=4, sticky="w")
        self.how = ttk.Label(
            self.panel, text=view.how, style="Card.TLabel", wraplength=560, justify="left"
        )
        self.how.grid(row=2, column=0, columnspan=4, sticky="w", pady=(0, 8))
        self.dots = PinDots(self.panel, self)
        self.dots.grid(row=3, column=0, columnspan=4, sticky="ew", pady=8)
        self.pad_keys: dict[str, ttk.Button] = {}
        for i, key in enumerate(KEYPAD):
            self.pad_keys[key] = self.button(
                key,
                functools.partial(window.send, CardPinKey(key)),
                row=4 + i // 3,
                column=i % 3 if i < 9 else 1,
            )
        self.pad_keys["BackSpace"] = self.button(
            "⌫", functools.partial(window.send, CardPinKey("BackSpace")), row=4, column=3
        )
        self.button(_("Cancel (Esc)"), window.escape, row=8, column=0)
        self.ok = self.button(view.ok, self.enter, row=8, column=1, columnspan=3)
        self.note.grid(row=9, column=0, columnspan=4, sticky="w")
        self.first_field = self.dots
        self.refresh()

    def refresh(self) -> None:
        view = self.window.till.pin_pad_view
        if view is None:  # closing: the till moved on
            return
        for widget, text in (
            (self.title, view.title),
            (self.asked, view.asked),
            (self.dots, view.dots),
            (self.ok, view.ok),
        ):
            if str(widget.cget("text")) != text:
                widget.configure(text=text)
        colour = theme.COLOURS.get(view.asked_tone, theme.COLOURS["text"])
        if str(self.asked.cget("foreground")) != colour:
            self.asked.configure(foreground=colour)
        self.ok.state(["!disabled"] if view.ok_enabled else ["disabled"])
        self.say(view.note, view.tone if view.tone != "ok" else "text")

    def enter(self) -> None:
        self.window.send(Confirm())
