"""The confirm overlay: one-key money actions (full balance, an item, a denomination, cash-out,
a reversal) wait here for Enter, naming card and amount. Where the config asks for the
manager PIN, the PIN field is here too; the till has it checked off the Tk thread."""

from __future__ import annotations

from tkinter import ttk

from posapp.core.till_events import Confirm
from posapp.i18n import _
from posapp.ui import pin
from posapp.ui.host import TillHost
from posapp.ui.overlay import Overlay
from posapp.ui.pin import PinPad


class ConfirmOverlay(Overlay):
    def __init__(self, window: TillHost) -> None:
        request = window.till.pending
        assert request is not None
        title = _("The manager's PIN approves:") if request.pin_for else _("Confirm")
        super().__init__(window.root, window.fonts, title)
        self.window = window
        self.words = ttk.Label(
            self.panel,
            text=request.words,
            style="Card.TLabel",
            font=window.fonts["big"],
            wraplength=560,
            justify="left",
        )
        self.words.grid(row=1, column=0, columnspan=3, sticky="w", pady=(0, 10))
        self.detail = ttk.Label(  # a void or reversal: its cash side, before the PIN
            self.panel, text=request.detail, style="Card.TLabel", wraplength=560, justify="left"
        )
        row = 2
        if request.detail:
            self.detail.grid(row=row, column=0, columnspan=3, sticky="w", pady=(0, 10))
            row += 1
        self._said = ("", "ok")
        self.pin_field: ttk.Entry | None = None
        self.pad: PinPad | None = None
        if request.pin_for:
            self.pad = PinPad(self, row)
            self.pin_field = self.pad.field
            row += pin.ROWS
            self.first_field = self.pin_field
        # Cancelling a sale: Esc keeps it, and its button says so, not "Cancel".
        back = _("Keep the sale (Esc)") if request.kind == "sale_cancel" else _("Cancel (Esc)")
        self.button(back, window.escape, row=row, column=0)
        self.ok = self.button(
            _("{doing}  (Enter)").format(doing=request.words),
            self.enter,
            row=row,
            column=1,
            columnspan=2,
        )
        if not request.pin_for:
            self.first_field = self.ok
        self.note.grid(row=row + 1, column=0, columnspan=3, sticky="w")
        self.refresh()

    @property
    def pin(self) -> str:
        return self.pad.value if self.pad is not None else ""

    @pin.setter
    def pin(self, value: str) -> None:
        if self.pad is not None:
            self.pad.value = value

    def append(self, digit: str) -> None:
        if self.pad is not None:
            self.pad.append(digit)

    def refresh(self) -> None:
        till = self.window.till
        checking = till.pin_check is not None
        self.ok.state(["disabled"] if checking else ["!disabled"])
        said = (till.message, till.tone)
        if said != self._said:  # a new refusal (a wrong PIN): the field starts again
            self._said = said
            if till.tone == "bad":
                self.pin = ""
        self.say(till.message, till.tone if till.tone != "ok" else "text")

    def enter(self) -> None:
        self.window.send(Confirm(pin=self.pin))
