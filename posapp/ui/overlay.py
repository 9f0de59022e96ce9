"""Overlays: every dialog and manager screen is a frame inside the one window (no second X
window, which a till with no window manager would open at 0,0 over everything).

An overlay covers the whole window, so the till below takes no clicks, and shows its panel
in the middle. Its `first_field` takes the keyboard focus once the overlay is mapped; Esc
and Enter reach it through the window (`escape`, `enter`).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from posapp.core.entry import Entry
from posapp.core.keypad import AmountEntry
from posapp.core.money import AmountError
from posapp.ui import theme

PANEL_WIDTH = 760  # a dialog's width on a 1024 px till; wider where its content needs it
NOTE_LINES = 3  # the room kept for an overlay's note (why a key was refused; three: a
# refusal and "fix the amount first" in German, trial 6B shot 51)


class Overlay(ttk.Frame):
    def __init__(
        self, master: tk.Misc, fonts: theme.Fonts, title: str, *, large: bool = False
    ) -> None:
        super().__init__(master, style="Overlay.TFrame")
        self.fonts = fonts
        self.place(x=0, y=0, relwidth=1, relheight=1)
        self.panel = ttk.Frame(self, style="Card.TFrame", padding=20)
        if large:  # manager screens: the window's size, whatever their content asks
            self.panel.place(relx=0.5, rely=0.5, anchor="center", relwidth=0.96, relheight=0.94)
            self.panel.grid_propagate(False)
        else:
            self.panel.place(relx=0.5, rely=0.5, anchor="center")
        self.title = ttk.Label(self.panel, text=title, style="Card.TLabel", font=fonts["big"])
        self.title.grid(row=0, column=0, columnspan=4, sticky="w", pady=(0, 10))
        self.note = ttk.Label(
            self.panel, text="", style="Card.TLabel", wraplength=560, justify="left"
        )
        self.first_field: tk.Misc | None = None
        # Letters that press a button wherever the focus is but a field (shown on it: "(X)").
        self.shortcuts: dict[str, Callable[[], None]] = {}
        self.large = large
        self._sized = large  # a manager screen has the window's size already
        self.lift()

    def say(self, words: str, tone: str = "bad") -> None:
        colour = theme.COLOURS.get(tone, theme.COLOURS["text"])
        self.note.configure(text=words, foreground=colour)

    def fix_size(self) -> None:
        """Fix the panel's size once its content is built (issue 10: nothing resizes with
        its content): wide enough for the longest OK words an amount makes, high enough
        for its note's words on NOTE_LINES lines, so typing and refusals never move it."""
        if self._sized:
            return
        self._sized = True
        panel, note = self.panel, self.note
        window_width = self.winfo_toplevel().winfo_width()
        if window_width <= 1:  # not drawn yet: the size it asked for
            window_width = self.winfo_toplevel().winfo_reqwidth()
        panel.update_idletasks()
        width = max(panel.winfo_reqwidth(), min(PANEL_WIDTH, window_width - 40))
        if note.winfo_manager():
            said = note.cget("text")
            note.configure(text="\n".join("M" * NOTE_LINES), wraplength=width - 40)
            panel.update_idletasks()
            height = panel.winfo_reqheight()
            note.configure(text=said)
        else:
            height = panel.winfo_reqheight()
        # The room left goes to the columns a widget starts in (not those a title spans).
        for column in {int(w.grid_info()["column"]) for w in panel.grid_slaves()}:
            panel.columnconfigure(column, weight=1)
        panel.place_configure(width=width, height=height)

    def focus_first(self) -> None:
        """Focus to the first field now and again once it is mapped: Tk keeps a focus asked
        for an unmapped widget only while its toplevel has the X focus. The first focus
        comes once the overlay is built: its size is fixed then."""
        self.fix_size()
        field = self.first_field or self
        field.focus_set()
        if not field.winfo_ismapped():
            field.bind("<Map>", lambda _e: field.focus_set(), add="+")

    def enter(self) -> None:
        """Enter: the overlay's OK."""

    def escape(self) -> bool:
        """Esc: True when the overlay handled it itself (a form open inside a screen)."""
        return False

    def take_scan(self, text: str) -> bool:
        """A scan while this is open: True when it took it (a screen's search, a form's
        field); False, the window says to close it first."""
        return False

    def refresh(self) -> None:
        """The till's state changed: draw what this shows of it again."""

    def shift_changed(self, entries: list[Entry]) -> None:
        """The shift list was read again (the pick overlay lists its transactions)."""

    def button(self, text: str, command: Callable[[], None], **grid: Any) -> ttk.Button:
        button = ttk.Button(self.panel, text=text, command=command)
        button.grid(sticky="nsew", padx=3, pady=3, **grid)
        return button


class AmountField(ttk.Entry):
    """The one amount entry (posapp.core.keypad) as a field: it shows the amount, takes digits,
    the decimal mark and BackSpace, and refuses other keys with the bad-key sound.

    `on_key` sends each key elsewhere (the till, which keeps the entry); without it the field
    keeps its own entry (the manager's forms)."""

    def __init__(
        self,
        master: tk.Misc,
        fonts: theme.Fonts,
        entry: AmountEntry,
        *,
        on_key: Callable[[str], None] | None = None,
        on_refused: Callable[[str], None] | None = None,
    ) -> None:
        # No Tk variable: overlays come and go, and a variable freed by a collection on
        # another thread would call Tcl from there.
        super().__init__(master, font=fonts["huge"], justify="right", width=11)
        self.insert(0, entry.shown())
        self.entry = entry
        self.on_key = on_key
        self.on_refused = on_refused or (lambda _words: None)
        self.bind("<KeyPress>", self._key)

    def _key(self, event: tk.Event[Any]) -> str | None:
        if event.keysym in ("Tab", "ISO_Left_Tab", "Return", "KP_Enter", "Escape"):
            return None  # focus moves, the overlay confirms or cancels
        if event.keysym.startswith("F") and event.keysym[1:].isdigit():
            return None  # action keys reach the window
        if event.keysym in ("BackSpace", "Delete"):
            self.take_char("BackSpace")
        elif event.char and event.char.isprintable():
            self.take_char(event.char)
        return "break"

    def take_char(self, char: str) -> None:
        """One key (also from the window's key catcher, which held it until it knew)."""
        if self.on_key is not None:
            self.on_key(char)
            return
        try:
            self.entry = self.entry.press(char)
        except AmountError as exc:
            self.bell()
            self.entry = self.entry.refuse(exc)  # in doubt until BackSpace
            self.show(self.entry)
            self.on_refused(self.entry.fix_first())  # the way on, from the first refusal
            return
        self.on_refused("")
        self.show(self.entry)

    def show(self, entry: AmountEntry) -> None:
        """The amount, or while in doubt the amount refused, in the refusal's colour."""
        self.entry = entry
        text = entry.on_show()
        if self.get() != text:
            self.delete(0, "end")
            self.insert(0, text)
        colour = theme.COLOURS["bad" if entry.doubt else "text"]
        if str(self.cget("foreground")) != colour:
            self.configure(foreground=colour)
        self.icursor("end")

    @property
    def minor(self) -> int:
        return self.entry.minor


def labelled_entry(
    master: tk.Misc, label: str, row: int, *, show: str = "", width: int = 30
) -> tuple[ttk.Entry, tk.StringVar]:
    ttk.Label(master, text=label, style="Card.TLabel").grid(row=row, column=0, sticky="w", pady=4)
    var = tk.StringVar(master)
    field = ttk.Entry(master, textvariable=var, width=width, show=show)
    field.grid(row=row, column=1, columnspan=3, sticky="ew", pady=4)
    return field, var
