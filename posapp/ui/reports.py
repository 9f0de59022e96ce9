"""Reports (product.md, "Screens" 5): X (the shift so far), Z (closes the shift, behind the
PIN) and the reconciliation of the journal against the provider."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from posapp.core.no_pin import no_pin
from posapp.core.receipt import Receipt
from posapp.i18n import N_, _, ngettext
from posapp.terminal.ports import CashierError, PrintJob
from posapp.ui.forms import FormOverlay
from posapp.ui.host import ScreenHost
from posapp.ui.screen import Screen

Z_REPORT = N_("Close the shift and print the Z report")  # a PIN form's label (ui/forms.py)
EMPTY_SHIFT = N_(
    "Nothing was done in this shift since the last Z report: there is nothing to close. "
    "For a copy of the last Z report, press Last Z again. To close this empty shift anyway, "
    "press Z report again."
)


class ReportsScreen(Screen):
    def __init__(self, window: ScreenHost) -> None:
        super().__init__(window, _("Reports"))
        terminal = window.terminal
        self.panel.columnconfigure(0, weight=1)
        self.panel.rowconfigure(1, weight=1)
        # Read-only: a report is shown, not edited (it still selects, copies and scrolls).
        # Wrapped at words: a reconciliation's sentences are longer than a report's lines.
        self.text = tk.Text(
            self.panel, width=60, height=16, font=self.fonts["mono"], state="disabled", wrap="word"
        )
        self.text.grid(row=1, column=0, columnspan=5, sticky="nsew")
        # A bar that shows there is more below (the demo trial, 127: the manager changes and
        # the wrong PINs sat below the fold, found only with the mouse wheel).
        self.bar = ttk.Scrollbar(self.panel, orient="vertical", command=self.text.yview)
        self.bar.grid(row=1, column=5, sticky="ns")
        self.text.configure(yscrollcommand=self.bar.set)
        buttons = ttk.Frame(self.panel, style="Panel.TFrame")
        buttons.grid(row=2, column=0, columnspan=5, sticky="ew", pady=6)
        # Each button has its key (a till may have no mouse and no touch screen): X, Z, L and
        # R as the README says, whatever the language on screen (French's first letters were
        # R, R, D, R: the trial's X printed nothing), underlined where the words hold the
        # letter, else said after them; or Tab to it and Return or Space.
        for i, (key, english, command) in enumerate(
            (
                ("x", N_("X report"), lambda: self._report(terminal.shift.x_report)),
                ("z", N_("Z report (close shift)"), self.z_report),
                ("l", N_("Last Z again"), self._last_z),
                ("r", N_("Reconcile"), self._reconcile),
                ("", N_("Close (Esc)"), window.escape),
            )
        ):
            words, underline = keyed_words(_(english), key)
            ttk.Button(buttons, text=words, command=command, underline=underline).grid(
                row=0,
                column=i,
                sticky="ew",
                padx=2,  # a French or German row is long
            )
            if key:
                self.shortcuts[key] = command
        self.note.grid(row=3, column=0, columnspan=5, sticky="w")
        self.first_field = self.text
        self.empty_asked = False  # an empty shift's Z: said once, closed on a second press
        self._report(terminal.shift.x_report, print_it=False)

    def show_text(self, words: str) -> None:
        """The report in the read-only text: writable only for as long as this takes."""
        self.text.configure(state="normal")
        self.text.delete("1.0", "end")
        self.text.insert("1.0", words)
        self.text.configure(state="disabled")

    def z_report(self) -> None:
        """A shift with nothing in it is not closed without a word (the second trial: a
        second press closed an empty shift and printed an all-zero Z, the day's real Z no
        longer reprintable, the refund cards list a shift shorter): it says so and asks."""
        if self.empty_asked:
            self.empty_asked = False
            self._z_report()
            return
        self.call(
            _("Reading the shift…"), self.window.terminal.shift.shift_is_empty, self._z_checked
        )

    def _z_checked(self, empty: bool) -> None:
        if not empty:
            self._z_report()
            return
        self.empty_asked = True
        self.say(_(EMPTY_SHIFT), "warn")

    def _last_z(self) -> None:
        def last() -> Receipt:
            found = self.window.terminal.shift.last_z_report()
            if found is None:
                raise CashierError(_("No Z report has closed a shift on this till yet"))
            return found

        self._report(last)

    def _z_report(self) -> None:
        terminal = self.window.terminal
        if "settings" not in self.window.config.manager.require_pin_for:
            self._report(terminal.shift.z_report)
            return
        if not self.window.till.pin_set:  # said before a PIN pad no PIN could open
            self.say(no_pin(_("Closing the shift")))
            return
        pin = self.window.services_.pin

        def ok(values: dict[str, Any]) -> str | None:
            self.call(
                _("Checking the PIN…"),
                lambda: pin.check(values[Z_REPORT]),
                lambda _ok: self._report(terminal.shift.z_report),
            )
            return None

        # Asked as every manager PIN is (posapp.ui.pin): what it approves, the keypad.
        self.open_form(
            FormOverlay(
                self,
                _("The manager's PIN approves:"),
                [(Z_REPORT, "pin")],
                ok,
                ok_words=lambda _values: _("Close the shift"),  # not a bare "OK" (the trial)
            )
        )

    def _report(self, make: Callable[[], Receipt], print_it: bool = True) -> None:
        window = self.window

        def build() -> tuple[Receipt, PrintJob | None]:
            receipt = make()
            if not print_it:  # only shown: F9 still reprints the last receipt printed
                return receipt, None
            try:
                job = window.services_.printer.print(receipt)
            finally:  # printed, or kept unprinted for F9 once the printer is fixed
                window.services_.last.keep(receipt)
            return receipt, job

        def show(made: tuple[Receipt, PrintJob | None]) -> None:
            receipt, job = made
            lines = [receipt.title, f"{receipt.when:%Y-%m-%d %H:%M}", ""]
            for line in receipt.lines:  # dates too; a long value on a line of its own
                if len(line.value) > 18:  # "Offline: 14 accepted, 13 confirmed, ..." (issue 24)
                    lines += [line.label, f"  {line.value}"]
                else:
                    lines.append(f"{line.label:<30}{line.value:>18}")
            self.show_text("\n".join(lines))
            if receipt.kind == "z_report":
                window.refresh_shift()  # the shift is closed: its list starts empty
            if job is None:
                self.say(_("The shift so far"), "ok")
                return
            window.last_job = job.data
            said = job.said  # never "printed" with no printer
            self.say(said[0].upper() + said[1:], "ok")

        self.call(_("Working…"), build, show)

    def _reconcile(self) -> None:
        def show(problems: list[str]) -> None:
            self.show_text("\n\n".join(problems) or _("The journal and the provider agree."))
            self.say(
                ngettext("{n} mismatch", "{n} mismatches", len(problems)).format(n=len(problems))
                if problems
                else _("No mismatch"),
                "bad" if problems else "ok",
            )

        self.call(_("Asking the provider…"), self.window.terminal.shift.reconciliation, show)


def keyed_words(words: str, key: str) -> tuple[str, int]:
    """A button's words and the place of its key in them to underline (-1: none); a key
    its words do not hold is said after them ("Abgleich (R)")."""
    if not key:
        return words, -1
    at = words.lower().find(key)
    if at >= 0:
        return words, at
    return f"{words} ({key.upper()})", len(words) + 2
