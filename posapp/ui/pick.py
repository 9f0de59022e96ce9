"""Pick one of the shift's transactions to reverse (product.md, "Flows": Reverse)."""

from __future__ import annotations

from tkinter import ttk

from posapp.core.entry import Entry
from posapp.core.glossary import transaction
from posapp.core.serial_number import short
from posapp.core.till_events import Confirm
from posapp.core.till_request import Reversible
from posapp.i18n import _
from posapp.terminal.reversal import UNDONE, reversible
from posapp.ui.host import TillHost
from posapp.ui.overlay import Overlay


class PickOverlay(Overlay):
    def __init__(self, window: TillHost) -> None:
        super().__init__(window.root, window.fonts, _("Reverse or void which transaction?"))
        self.window = window
        columns = ("time", "what", "card", "amount")
        self.tree = ttk.Treeview(
            self.panel, columns=columns, show="headings", height=8, selectmode="browse"
        )
        # "What" as wide as its longest words ("Refund to car" was cut), the list the width
        # of the overlay (it used two thirds of it).
        what = max(window.fonts["body"].measure(transaction(op)) for op in UNDONE) + 24
        headings = (_("Time"), _("What"), _("Card"), _("Amount"))
        widths = (90, max(140, what), 110, 130)
        for column, heading, width in zip(columns, headings, widths, strict=True):
            self.tree.heading(column, text=heading)
            self.tree.column(column, width=width, stretch=True)
        self.tree.grid(row=1, column=0, columnspan=2, sticky="nsew")
        self.button(_("Cancel (Esc)"), window.escape, row=2, column=0)
        self.button(_("Choose (Enter)"), self.enter, row=2, column=1)
        self.note.grid(row=3, column=0, columnspan=2, sticky="w")
        self.first_field = self.tree
        self.rows: dict[str, Reversible] = {}
        self.shift_changed(window.entries)

    def shift_changed(self, entries: list[Entry]) -> None:
        """The shift as last read; the window reads it again after every call."""
        self.rows = {str(r.entry_id): r for r in reversible(entries)}
        chosen = self.tree.selection()
        self.tree.delete(*self.tree.get_children())
        for key, row in self.rows.items():  # each above the last: the newest first
            self.tree.insert(
                "",
                0,
                iid=key,
                values=(
                    row.at,
                    transaction(row.operation),
                    short(row.code),
                    row.moved(self.window.locale),
                ),
            )
        children = self.tree.get_children()
        keep = [key for key in chosen if key in self.rows]
        if children:  # the newest first, chosen
            self.tree.selection_set(keep or children[0])
            self.tree.focus(keep[0] if keep else children[0])
        self.say("" if children else _("Nothing in this shift can be reversed"), "warn")

    def refresh(self) -> None:
        till = self.window.till
        if till.message:
            self.say(till.message, till.tone)

    def enter(self) -> None:
        chosen = self.tree.selection()
        self.window.send(Confirm(pick=self.rows.get(chosen[0]) if chosen else None))
