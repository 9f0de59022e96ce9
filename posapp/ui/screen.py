"""A manager screen: an overlay the size of the window (it never grows with its content),
whose calls go to the window's Worker. A form opened on it (a new gift card, the PIN for a
Z report) is an overlay above it: Esc and Enter go to the form first."""

from __future__ import annotations

from collections.abc import Callable
from tkinter import ttk
from typing import TypeVar

from posapp.ui.host import ScreenHost
from posapp.ui.overlay import Overlay

T = TypeVar("T")


class Screen(Overlay):
    def __init__(self, window: ScreenHost, title: str) -> None:
        super().__init__(window.root, window.fonts, title, large=True)
        self.window = window
        self.form: Overlay | None = None
        self.note.configure(wraplength=int(window.root.winfo_width() * 0.8) or 800)

    def call(self, doing: str, fn: Callable[[], T], then: Callable[[T], None]) -> None:
        self.say(doing, "muted")

        def done(result: T) -> None:
            if self.winfo_exists():  # the screen may have closed while the call ran
                then(result)

        def failed(error: BaseException) -> None:
            words = self.window.words_for(error)
            if self.winfo_exists():
                self.say(words, "bad")

        self.window.worker.submit(fn, done, failed)

    def open_form(self, form: Overlay) -> None:
        self.close_form()
        self.form = form
        self.window.tag_keys(form)
        form.focus_first()

    def close_form(self) -> None:
        if self.form is not None:
            self.form.destroy()
            self.form = None
            self.focus_first()

    def refresh(self) -> None:
        till = self.window.till
        if till.tone in ("bad", "warn") and till.message:  # warn: wrong PINs before this one
            (self.form or self).say(till.message, till.tone)

    def enter(self) -> None:
        """Enter: the form's OK, else the focused button (Tab moves the focus to one; the
        trial's Reports buttons took Tab and then neither Return nor Space)."""
        if self.form is not None:
            self.form.enter()
            return
        focused = self.focus_get()
        if isinstance(focused, ttk.Button) and focused.winfo_toplevel() is self.winfo_toplevel():
            focused.invoke()

    def escape(self) -> bool:
        if self.form is not None:
            self.close_form()
            return True
        return False

    def destroy(self) -> None:
        if self.form is not None:
            self.form.destroy()
            self.form = None
        super().destroy()
