"""Short forms over a manager screen: labelled fields (text, an amount, a PIN) and OK.
Amounts use the one amount entry (posapp.core.keypad), as everywhere on the till."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import TYPE_CHECKING, Any, Literal

from posapp.core.keypad import AmountEntry
from posapp.i18n import _
from posapp.ui.overlay import AmountField, Overlay, labelled_entry
from posapp.ui.pin import ROWS, PinPad

if TYPE_CHECKING:
    from posapp.ui.screen import Screen

FieldKind = Literal["text", "amount", "pin"]


class FormOverlay(Overlay):
    """`on_ok` gets the values (str, or int minor units for an amount) and may refuse them
    with words; it returns None when it took them (the form then closes)."""

    def __init__(
        self,
        screen: Screen,
        title: str,
        fields: list[tuple[str, FieldKind]],
        on_ok: Callable[[dict[str, Any]], str | None],
        *,
        currency: str = "",
        prefill: dict[str, int] | None = None,
        ok_words: Callable[[dict[str, Any]], str] | None = None,
        closes: bool = True,
        scan_into: str | None = None,
    ) -> None:
        """`prefill` starts an amount field at a value (selected: the first key types
        afresh, BackSpace edits it); `ok_words` names what OK does for the values typed,
        kept up to date as keys are typed. `closes`: OK closes the form once `on_ok` took
        the values; False: `on_ok` closes it itself, once what it started has gone well.
        `scan_into`: the text field a card scanned while the form is open fills."""
        self.closes = closes
        self.scan_into = scan_into
        self.texts: dict[str, tk.StringVar] = {}
        self.text_fields: dict[str, ttk.Entry] = {}
        super().__init__(screen.window.root, screen.fonts, title)
        self.screen = screen
        self.on_ok = on_ok
        self.values: dict[str, Callable[[], Any]] = {}
        self.pads: dict[str, PinPad] = {}
        self.amounts: list[AmountField] = []
        self._amount_labels: list[str] = []
        row = 1
        for label, kind in fields:
            if kind == "pin":  # the PIN as every other prompt asks it: its words, the keypad
                ttk.Label(
                    self.panel, text=_(label), style="Card.TLabel", font=screen.fonts["big"]
                ).grid(row=row, column=0, columnspan=4, sticky="w", pady=(0, 10))
                pad = self.pads[label] = PinPad(self, row + 1, column=0, span=4)
                self.values[label] = lambda pad=pad: pad.value  # type: ignore[misc]
                if self.first_field is None:
                    self.first_field = pad.field
                row += 1 + ROWS
                continue
            if kind == "amount":
                ttk.Label(self.panel, text=_(label), style="Card.TLabel").grid(
                    row=row, column=0, sticky="w", pady=4
                )
                start = (prefill or {}).get(label)
                empty = AmountEntry(currency, locale=screen.window.locale)
                begun = empty if start is None else empty.type(str(start))
                amount: AmountField = PrefilledAmount(
                    self.panel, screen.fonts, begun, on_refused=self._said
                )
                amount.configure(font=screen.fonts["big"])
                amount.grid(row=row, column=1, columnspan=3, sticky="ew", pady=4)
                self.values[label] = _minor_of(amount)
                self.amounts.append(amount)
                self._amount_labels.append(label)
                widget: tk.Misc = amount
            else:
                entry, var = labelled_entry(self.panel, _(label), row)
                self.values[label] = var.get
                self.texts[label] = var
                self.text_fields[label] = entry
                widget = entry
            if self.first_field is None:
                self.first_field = widget
            row += 1
        # "Close", not "Cancel": beside "Cancel ••9099 and its $5.00" (the Cancel card form)
        # two "Cancel" buttons meant opposite things (the second trial, demo #4); and
        # "Back" on a PIN form, whose OK may be "Close the shift" (the demo retrial, 82).
        pin = any(kind == "pin" for _label, kind in fields)
        back = _("Back (Esc)") if pin else _("Close (Esc)")
        self.back = self.button(back, screen.close_form, row=row, column=0, columnspan=2)
        self.ok_words = ok_words
        self.ok = self.button(_("OK (Enter)"), self.enter, row=row, column=2, columnspan=2)
        self.note.grid(row=row + 1, column=0, columnspan=4, sticky="w")
        if ok_words is not None:
            # Room for the longest words an amount can make, from the start: the form's
            # columns never move as keys are typed (issue 10: nothing resizes with content).
            most = {label: value() for label, value in self.values.items()}
            most.update(
                {
                    label: f.entry.limit
                    for label, f in zip(self._amount_labels, self.amounts, strict=True)
                }
            )
            self.ok.configure(width=len(f"{ok_words(most)} (Enter)"))
        if ok_words is not None:  # OK names the code typed too, as it is typed
            for var in self.texts.values():
                var.trace_add("write", lambda *_args: self._name_ok())
        self._name_ok()

    def take_scan(self, text: str) -> bool:
        """A card scanned while the form is open: into its `scan_into` field (as scanned:
        what it holds is read when OK is pressed). False when the form takes no scan."""
        if self.scan_into is None:
            return False
        self.texts[self.scan_into].set(text.strip())
        field = self.text_fields[self.scan_into]
        field.icursor("end")  # what is typed next follows the code, never goes before it
        self.say("")
        return True

    def _said(self, words: str) -> None:
        """An amount field took a key (words empty) or refused one (why)."""
        self.say(words)
        self._name_ok()

    def _name_ok(self) -> None:
        """OK names what Enter does; while an amount is in doubt it is off (core/keypad.py:
        the amount on show is not what was meant, and Enter waits for BackSpace)."""
        doubt = any(f.entry.doubt for f in self.amounts)
        self.ok.state(["disabled"] if doubt else ["!disabled"])
        if self.ok_words is not None:
            words = self.ok_words({label: value() for label, value in self.values.items()})
            self.ok.configure(
                text=_("Fix the amount first (BackSpace)")
                if doubt
                else _("{doing} (Enter)").format(doing=words)
            )

    def enter(self) -> None:
        doubts = [f.entry.fix_first() for f in self.amounts if f.entry.doubt]
        if doubts:  # a refused key: the amount on show is not what was meant
            self.say(doubts[0])
            self.bell()
            return
        if self.ok.instate(["disabled"]):  # what OK started is still running
            self.bell()
            return
        problem = self.on_ok({label: value() for label, value in self.values.items()})
        if problem:
            self.say(problem)
            self.bell()
        elif self.closes and self.winfo_exists() and self.screen.form is self:
            self.screen.close_form()


class PrefilledAmount(AmountField):
    """A form's amount field, its value shown selected at the start: the first digit or
    decimal mark types a new amount (as typing over a selection does), BackSpace edits the
    value. So again whenever the whole value is selected (Tab into it selects it: the
    retrial of a till, 4: Create's "$1.00" selected, "20.00" typed, read "1.0020")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fresh = True
        self.select_range(0, "end")

    def take_char(self, char: str) -> None:
        if self.fresh or self.selection_present():
            self.fresh = False
            self.select_clear()
            if char != "BackSpace":
                kept = self.entry
                self.entry = kept.clear()
                super().take_char(char)
                if self.entry.keys == "":  # refused: the value stays as it was
                    self.entry = kept
                    self.fresh = True
                return
        super().take_char(char)


def _minor_of(field: AmountField) -> Callable[[], int]:
    return lambda: field.minor
