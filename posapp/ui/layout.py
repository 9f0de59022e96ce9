"""The cashier screen's place and widgets (product.md, "Screens" 1): one window of fixed
layout that fits 1024x768, with the scan field and the busy box on top, the card panel and
the shift list on the left, the action buttons on the right and the status bar below."""

from __future__ import annotations

import functools
import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from tkinter import ttk

from posapp.config import WindowConfig
from posapp.core.actions import Action
from posapp.core.till_events import ActionName
from posapp.i18n import _
from posapp.ui.panel import CardPanel
from posapp.ui.theme import Fonts

SIZE = (1024, 768)  # the smallest till screen every screen must fit


def place_window(root: tk.Tk, window: WindowConfig) -> tuple[int, int]:
    """config.md [window]: fullscreen fills the screen, with or without a window manager
    (the geometry does it alone where there is none); else 1024x768. Either way the size
    is set, so the window never grows with what it shows."""
    if window.fullscreen:
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


class BusyBox:
    """The busy indicator and its word, side by side in a box of fixed size: shown only
    while a call is waiting, and nothing moves when it comes and goes."""

    def __init__(self, top: ttk.Frame, fonts: Fonts, width: int) -> None:
        box = ttk.Frame(top, width=int(width * 0.3), height=fonts["big"].metrics("linespace"))
        box.grid(row=0, column=1, padx=(12, 0), sticky="ns")
        box.grid_propagate(False)
        box.rowconfigure(0, weight=1)
        self.bar = ttk.Progressbar(box, mode="indeterminate", length=int(width * 0.1))
        self.label = ttk.Label(box, text="", font=fonts["small"])
        self.bar.grid(row=0, column=0)
        self.label.grid(row=0, column=1, padx=(8, 0))
        self.bar.grid_remove()
        self.shown = False  # not winfo_ismapped: it is False until Tk has drawn it

    def paint(self, words: str) -> None:
        """The busy indicator runs while a call is waiting, and stops as its answer is
        painted. Whether it shows is kept here: winfo_ismapped stays False until Tk has
        drawn it, so an answer painted before that left it running until the next event."""
        if words and not self.shown:
            self.bar.grid()
            self.bar.start(12)
        elif not words and self.shown:
            self.bar.stop()
            self.bar.grid_remove()
        self.shown = bool(words)
        if self.label.cget("text") != words:
            self.label.configure(text=words)


@dataclass(frozen=True, slots=True)
class Layout:
    scan_text: tk.StringVar
    scan_field: ttk.Entry
    busy: BusyBox
    panel: CardPanel
    buttons: dict[str, ttk.Button]  # one per action of posapp.core.actions.ACTIONS
    shift: ttk.Frame  # the shift list's place (posapp/ui/shift_list.py)
    bar: ttk.Frame  # the status bar's place (posapp/ui/status_bar.py)


def build(
    root: tk.Tk,
    fonts: Fonts,
    width: int,
    actions: Sequence[Action],
    act: Callable[[ActionName], None],
) -> Layout:
    """The widgets, a button for each of the till's `actions`."""
    # Fixed proportions (uniform groups): no column or row grows with its content.
    root.columnconfigure(0, weight=3, uniform="columns")
    root.columnconfigure(1, weight=2, uniform="columns")
    root.rowconfigure(1, weight=3, uniform="rows")
    root.rowconfigure(2, weight=2, uniform="rows")
    top = ttk.Frame(root, padding=(12, 12, 12, 0))
    top.grid(row=0, column=0, columnspan=2, sticky="ew")
    top.columnconfigure(0, weight=1)
    scan_text = tk.StringVar(root)
    scan_field = ttk.Entry(top, textvariable=scan_text, font=fonts["big"], style="Big.TEntry")
    scan_field.grid(row=0, column=0, sticky="ew")
    ttk.Label(top, text=_("Scan or type a gift card, then Enter"), font=fonts["small"]).grid(
        row=1, column=0, sticky="w"
    )
    busy = BusyBox(top, fonts, width)

    panel = CardPanel(root, fonts, wrap=int(width * 0.6) - 60)
    panel.grid(row=1, column=0, sticky="nsew", padx=12, pady=12)

    pad = ttk.Frame(root, padding=(0, 12, 12, 12))
    pad.grid(row=1, column=1, rowspan=2, sticky="nsew")
    pad.grid_propagate(False)
    buttons: dict[str, ttk.Button] = {}
    for i, action in enumerate(actions):
        button = ttk.Button(
            pad,
            text=f"{action.label}\n{action.key}",
            style="Action.TButton",
            command=functools.partial(act, action.name),
        )
        button.grid(row=i // 2, column=i % 2, sticky="nsew", padx=4, pady=4)
        buttons[action.name] = button
    for c in (0, 1):
        pad.columnconfigure(c, weight=1, uniform="buttons")
    for r in range((len(actions) + 1) // 2):
        pad.rowconfigure(r, weight=1, uniform="buttons")

    shift = ttk.Frame(root, padding=(12, 0, 12, 0))
    shift.grid(row=2, column=0, sticky="nsew")
    shift.grid_propagate(False)

    bar = ttk.Frame(root, padding=(12, 6))
    bar.grid(row=3, column=0, columnspan=2, sticky="ew")
    return Layout(scan_text, scan_field, busy, panel, buttons, shift, bar)
