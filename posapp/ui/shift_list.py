"""The shift's transactions on the cashier screen, newest first, in the cashier's words; a
long shift is read a page at a time as the list scrolls to its end (issue 14: never read or
painted whole)."""

from __future__ import annotations

import time
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk

from posapp.core import glossary
from posapp.core.adjustment import CHANGES, is_change, shift_list_amount, shift_list_what
from posapp.core.entry import Entry
from posapp.core.money import format_money
from posapp.core.offline_card import SHIFT_STATES, shift_state
from posapp.core.serial_number import short
from posapp.i18n import N_, _
from posapp.ui.worker import Worker

COLUMNS = ("time", "what", "card", "amount", "state")
HEADINGS = {
    "time": N_("Time"),
    "what": N_("What"),
    "card": N_("Card"),
    "amount": N_("Amount"),
    "state": N_("State"),
}


NEW_CARD = N_("new card")  # the card column of a refund to a new card, before it has one


class ShiftList:
    def __init__(
        self,
        frame: ttk.Frame,
        font: tkfont.Font,
        worker: Worker,
        locale: str,
        *,
        read: Callable[[int | None], list[Entry]],
        changed: Callable[[list[Entry]], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """`read` a page of the shift before an entry id (None: the newest), on the worker;
        `changed` is told the rows shown; `failed` says a read that failed."""
        self.worker, self.locale = worker, locale
        self.read, self.changed, self.failed = read, changed, failed
        self.entries: list[Entry] = []  # the shift, as last read (the pick overlay's rows)
        self._older: bool | None = False  # more of the shift to page in; None: reading
        frame.rowconfigure(1, weight=1)
        frame.columnconfigure(0, weight=1)
        ttk.Label(frame, text=_("This shift"), font=font).grid(row=0, column=0, sticky="w")
        # Each column as wide as its longest words in the list's font, so nothing is cut at
        # 1024x768 ("settled: not charged", "Refund to card"); the small font makes them fit.
        ttk.Style(frame).configure("Shift.Treeview", font=font)
        self.tree = ttk.Treeview(
            frame, columns=COLUMNS, show="headings", height=4, style="Shift.Treeview"
        )
        longest = {
            "time": "00:00",
            "what": max(
                [
                    *(glossary.transaction(op) for op in glossary.TRANSACTION_PLURAL),
                    *CHANGES.values(),
                ],
                key=font.measure,
            ),
            # A refund to a new card names no card yet (the NewStore trial, 12: "new car").
            "card": max(("••0000", _(NEW_CARD)), key=font.measure),
            # Written out, not formatted: Babel's first format loads its locale data, 70 ms
            # the window would wait for before it shows (benchmarks/ui_latency.py, cold start).
            "amount": "+$100,000.00",  # a manager change is signed
            "state": max(
                [
                    *glossary.JOURNAL_STATE.values(),
                    *glossary.SETTLED.values(),
                    *glossary.REVERSED.values(),
                    *SHIFT_STATES,  # a redemption taken offline (issue 24)
                ],
                key=font.measure,
            ),
        }
        for column in COLUMNS:
            heading = _(HEADINGS[column])
            self.tree.heading(column, text=heading, anchor="w")
            wide = max(longest[column], heading, key=font.measure)
            self.tree.column(column, width=font.measure(wide) + 8, anchor="w", stretch=True)
        self.tree.grid(row=1, column=0, sticky="nsew")
        self.scrollbar = ttk.Scrollbar(frame, orient="vertical", command=self.tree.yview)
        self.scrollbar.grid(row=1, column=1, sticky="ns")
        self.tree.configure(yscrollcommand=self._scrolled)

    def refresh(self) -> None:
        """The newest screenful of the shift; older ones are read as the list scrolls down
        to its end."""
        self.worker.submit(self._read_page, self.paint, self.failed)

    def _scrolled(self, first: float | str, last: float | str) -> None:
        """The list moved: its scrollbar follows, and at its end the next older page is read."""
        self.scrollbar.set(first, last)
        if float(last) >= 1.0 and self._older and self.entries:
            self._older = None
            oldest = self.entries[0].id
            self.worker.submit(
                lambda: self._read_page(oldest),
                lambda entries: self.paint(entries, older=True),
                self.failed,
            )

    def _read_page(self, before: int | None = None) -> list[Entry]:
        """On the worker: a page of the shift, and the money formatter of its currencies
        built here too, so that painting it on the Tk thread only formats. The first build
        loads Babel's locale data, 15 to 30 ms that stalled the till's start (issue 14)."""
        entries = self.read(before)
        for currency in {e.currency for e in entries if e.amount is not None}:
            format_money(0, currency, self.locale)
        return entries

    def paint(self, entries: list[Entry], *, older: bool = False) -> None:
        """The shift, newest first, in the cashier's words (posapp.core.glossary); a Z report
        closes the shift, so the list is empty after it (the journal and reports keep it).
        `older`: a page of older entries, below the rows shown."""
        # Loaded with the first page, not while the window is first drawn (cold start).
        from posapp.terminal.shift import SHIFT_PAGE

        self._older = len(entries) == SHIFT_PAGE
        at = 0  # the newest on top; an older page goes below the rows shown
        if older:
            self.entries = entries + self.entries
            at = len(self.tree.get_children())
        else:
            self.entries = entries
            self.tree.delete(*self.tree.get_children())
        self.changed(self.entries)
        # A reversal is newer than what it reverses: it is on this page or on one shown.
        reversals = {e.reverses_entry: e for e in self.entries if e.reverses_entry is not None}
        for e in entries:
            if is_change(e):  # a manager's: how it changed the card, signed
                value = shift_list_amount(e, self.locale)
            elif e.amount is not None:
                value = format_money(e.amount, e.currency, self.locale)
            else:
                value = glossary.items(e.quantity or 0, e.item_label)  # "1 × Coffee"
            self.tree.insert(
                "",
                at,
                iid=f"entry-{e.id}",  # F9 reprints the row chosen (ui/reprint.py)
                values=(
                    time.strftime("%H:%M", time.localtime(e.created_at)),
                    shift_list_what(e) if is_change(e) else glossary.transaction(e.operation),
                    _(NEW_CARD) if e.card_code is None else short(e.card_code),
                    value,
                    shift_state(e) or glossary.entry_state(e, reversals.get(e.id)),
                ),
            )
