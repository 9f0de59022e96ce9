"""A manager screen that is one list (refund cards, offline losses): its rows in a tree with a
scroll bar, Close under it, the screen's note below; and a row's time said the one way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from tkinter import ttk

from posapp.core import glossary
from posapp.i18n import _, language
from posapp.ui.screen import Screen


def list_on(
    screen: Screen, columns: Sequence[tuple[str, str, int]], stretch: str, style: str = "Treeview"
) -> ttk.Treeview:
    """The screen's list: `columns` as (name, heading words, width); `stretch` the column
    that takes the room left. Close (Esc) and the note under it; the list has the keys."""
    panel = screen.panel
    panel.columnconfigure(0, weight=1)
    panel.rowconfigure(1, weight=1)
    tree = ttk.Treeview(
        panel,
        columns=[name for name, _words, _width in columns],
        show="headings",
        height=10,
        selectmode="browse",
        style=style,
    )
    for name, words, width in columns:
        tree.heading(name, text=words, anchor="w")
        tree.column(name, width=width, anchor="w", stretch=name == stretch)
    tree.grid(row=1, column=0, sticky="nsew")
    scroll = ttk.Scrollbar(panel, orient="vertical", command=tree.yview)
    scroll.grid(row=1, column=1, sticky="ns")
    tree.configure(yscrollcommand=scroll.set)
    ttk.Button(panel, text=_("Close (Esc)"), command=screen.window.escape).grid(
        row=2, column=0, sticky="w", pady=6
    )
    screen.note.grid(row=3, column=0, columnspan=2, sticky="w")
    screen.first_field = tree
    return tree


def when(at: datetime) -> str:
    """ "5 Dec 21:26", as dates are said everywhere else (not "05 Dec", the demo trial 12);
    the day in the screen's language where it is not English."""
    if language() != "en":
        return f"{glossary.day(at)} {at:%H:%M}"
    return f"{at.day} {at:%b %H:%M}"
