"""The receipt preview (product.md, "Screens" 7): the shift's receipts, newest first; the one
chosen drawn as the printer prints it (the virtual printer's picture), and printed again on
request, marked DUPLICATE. The journal holds each transaction's receipt; the last receipt
printed (a balance slip, a report) is listed too."""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import TYPE_CHECKING

from posapp.core import glossary
from posapp.core.adjustment import is_change
from posapp.core.receipt import Receipt
from posapp.core.serial_number import shown
from posapp.i18n import _
from posapp.ui.host import ScreenHost
from posapp.ui.screen import Screen

if TYPE_CHECKING:  # PIL loads when a receipt is first drawn
    from PIL import ImageTk

    from posapp.terminal.ports import PrintJob


class PreviewScreen(Screen):
    def __init__(self, window: ScreenHost) -> None:
        super().__init__(window, _("Receipts of this shift"))
        self.receipts: dict[str, Receipt] = {}
        self.panel.rowconfigure(1, weight=1)
        self.panel.columnconfigure(1, weight=1)
        self.list = ttk.Treeview(
            self.panel,
            columns=("time", "what"),
            show="headings",
            selectmode="browse",
            style="Shift.Treeview",
        )
        for column, heading, width in (("time", _("Time"), 60), ("what", _("What"), 250)):
            self.list.heading(column, text=heading, anchor="w")
            self.list.column(column, width=width, stretch=False, anchor="w")
        self.list.grid(row=1, column=0, sticky="nsew", padx=(0, 8))
        self.list.bind("<<TreeviewSelect>>", lambda _e: self._draw())
        self.canvas = tk.Canvas(self.panel, width=480, height=400, background="white")
        self.canvas.grid(row=1, column=1, sticky="nsew")
        scroll = ttk.Scrollbar(self.panel, orient="vertical", command=self.canvas.yview)
        scroll.grid(row=1, column=2, sticky="ns")
        self.canvas.configure(yscrollcommand=scroll.set)
        for keysym, step in (("Next", 10), ("Prior", -10)):
            self.list.bind(f"<{keysym}>", self._scroller(step))
        buttons = ttk.Frame(self.panel, style="Card.TFrame")
        buttons.grid(row=2, column=0, columnspan=3, sticky="w", pady=6)
        ttk.Button(buttons, text=_("Reprint (Enter)"), command=self.enter).grid(row=0, column=0)
        ttk.Button(buttons, text=_("Close (Esc)"), command=window.escape).grid(
            row=0, column=1, padx=6
        )
        self.note.grid(row=3, column=0, columnspan=3, sticky="w")
        self.first_field = self.list
        self.photo: ImageTk.PhotoImage | None = None
        self.call(_("Reading the shift's receipts…"), self._receipts, self._list)

    def _receipts(self) -> list[tuple[str, str, str, Receipt]]:
        """On the worker: each of the shift's transactions as its receipt, oldest first."""
        from posapp.terminal.offline_calls import as_made

        terminal = self.window.terminal
        rows = []
        for entry in terminal.shift.shift_entries():
            if is_change(entry):  # a manager's change has no receipt: the reports list it
                continue
            receipt = as_made(terminal, entry)  # taken offline: its OFFLINE mark (issue 24)
            what = f"{glossary.transaction(entry.operation)}, {shown(entry.code)}"
            if entry.amount is not None:
                what += f", {self.window.till.money(entry.amount, entry.currency)}"
            at = time.strftime("%H:%M", time.localtime(entry.created_at))
            rows.append((f"entry-{entry.id}", at, what, receipt))
        return rows

    def _list(self, rows: list[tuple[str, str, str, Receipt]]) -> None:
        last = self.window.services_.last.receipt
        if last is not None and last.kind in ("balance", "x_report", "z_report"):
            rows.append(("last", f"{last.when:%H:%M}", last.title.capitalize(), last))
        for key, at, what, receipt in rows:  # each above the last: the newest first
            self.receipts[key] = receipt
            self.list.insert("", 0, iid=key, values=(at, what))
        children = self.list.get_children()
        if not children:
            self.say(_("No receipt in this shift yet"), "muted")
            return
        self.say(_("Choose a receipt to see it; Enter prints it again"), "muted")
        self.list.selection_set(children[0])
        self.list.focus(children[0])

    def chosen(self) -> Receipt | None:
        picked = self.list.selection()
        return self.receipts.get(picked[0]) if picked else None

    def _draw(self) -> None:
        from PIL import ImageTk

        from hardware.printers.render import render

        receipt = self.chosen()
        if receipt is None:
            return
        printer = self.window.services_.printer
        picture = render(printer.encode(receipt), self.window.config.printer.paper_width_mm)
        self.photo = ImageTk.PhotoImage(picture, master=self.canvas)
        self.canvas.delete("all")
        self.canvas.create_image(0, 0, image=self.photo, anchor="nw")
        self.canvas.configure(scrollregion=(0, 0, picture.width, picture.height))
        self.canvas.yview_moveto(0)

    def enter(self) -> None:
        """Print the chosen receipt again, marked DUPLICATE."""
        if self.form is not None:
            self.form.enter()
            return
        receipt = self.chosen()
        if receipt is None:
            self.say(_("Choose a receipt first"))
            return
        window = self.window
        again = receipt.reprint()

        def done(job: PrintJob) -> None:
            window.services_.last.keep(again)
            window.last_job = job.data
            said = job.said
            if window.services_.printer.transport is None:  # no printer: never "Reprinted"
                self.say(said[0].upper() + said[1:], "warn")
                return
            title, at = receipt.title.capitalize(), f"{receipt.when:%H:%M}"
            if said == _("receipt printed"):
                done = _("Reprinted: {title} of {at}").format(title=title, at=at)
            else:  # a picture: its file
                done = _("Reprinted: {title} of {at}; {printed}").format(
                    title=title, at=at, printed=said
                )
            self.say(done, "ok")

        self.call(_("Printing…"), lambda: window.services_.printer.print(again), done)

    def _scroller(self, step: int) -> Callable[[object], str]:
        def scroll(_event: object) -> str:
            self.canvas.yview_scroll(step, "units")
            return "break"

        return scroll
