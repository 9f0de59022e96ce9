"""Looks: large type, touch-sized targets, status in words and colour together."""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk

COLOURS = {
    "background": "#f4f5f7",
    "panel": "#ffffff",
    "text": "#1d2330",
    "muted": "#5b6475",
    "ok": "#1e7d32",
    "warn": "#b26a00",
    "bad": "#b3261e",
    "accent": "#1f5fbf",
}


Fonts = dict[str, tkfont.Font]  # by role: body, small, big, huge, mono


def apply(root: tk.Tk, scale: float = 1.0, width: int = 1024) -> Fonts:
    """Fonts sized for a counter screen: readable from arm's length. `width` is the window's:
    action buttons wrap their words to their share of it rather than widen the window."""
    base = max(11, round(14 * scale))
    fonts = {
        "body": tkfont.Font(root, family="DejaVu Sans", size=base),
        "small": tkfont.Font(root, family="DejaVu Sans", size=base - 2),
        "big": tkfont.Font(root, family="DejaVu Sans", size=base + 6, weight="bold"),
        "huge": tkfont.Font(root, family="DejaVu Sans", size=base * 3, weight="bold"),
        "mono": tkfont.Font(root, family="DejaVu Sans Mono", size=base),
    }
    root.configure(background=COLOURS["background"])
    # Typed fields in the body's size: a ttk entry takes no font from its style, and the
    # manager's fields (search, code, reason) were in Tk's small default (the second trial).
    root.option_add("*TEntry.font", fonts["body"])
    root.option_add("*TCombobox.font", fonts["body"])
    style = ttk.Style(root)
    style.theme_use("clam")
    style.configure(
        ".", font=fonts["body"], background=COLOURS["background"], foreground=COLOURS["text"]
    )
    style.configure("TButton", padding=(14, 14), font=fonts["body"])  # 44+ px: a finger fits
    style.configure(
        "Action.TButton",
        padding=(4, 8),
        font=fonts["small"],
        anchor="center",
        justify="center",
        wraplength=int(width * 0.4 / 2) - 30,
    )
    # Behind an overlay: the till is covered, so it takes no clicks while the overlay is open.
    style.configure("Overlay.TFrame", background="#2b303b")
    # Settings' sections as tabs down the side: a row of a dozen tabs would pass 1024 px.
    style.configure("Side.TNotebook", tabposition="wn")
    # One width for every tab, its words at the left: a ragged column otherwise (the second
    # trial); 18 characters fit the longest section name ("Gift card provider").
    style.configure(
        "Side.TNotebook.Tab", font=fonts["small"], padding=(10, 4), width=18, anchor="w"
    )
    style.configure("Card.TFrame", background=COLOURS["panel"], relief="solid", borderwidth=1)
    style.configure("Card.TLabel", background=COLOURS["panel"])
    style.configure("Panel.TFrame", background=COLOURS["panel"])
    style.configure("Status.TLabel", padding=(10, 6), font=fonts["small"])
    style.configure("Treeview", rowheight=round(32 * scale), font=fonts["body"])
    style.configure("Treeview.Heading", font=fonts["small"])
    style.configure("Big.TEntry", padding=10)
    for name, colour in COLOURS.items():
        style.configure(f"{name}.Status.TLabel", foreground="white", background=colour)
    return fonts
