"""The manager PIN as every prompt asks it (cash-out, reversal, refund, the manager menu, the
Z report): a large masked field and a keypad of the ten digits, for keyboard or touch."""

from __future__ import annotations

import functools
from tkinter import ttk
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from posapp.ui.overlay import Overlay

ROWS = 5  # the field and four rows of keys


class PinPad:
    def __init__(self, overlay: Overlay, row: int, column: int = 0, span: int = 3) -> None:
        """On the overlay's panel from `row` down (ROWS rows), `span` columns from `column`
        (a form's PIN spans all four of its columns: the keypad was off-centre on the Z's).

        The field and keys are a frame of their own, whose three columns are as wide as each
        other: on the panel's grid, a long OK below widened the columns it spans, and the
        keys in them with it (issue 19.15: the keypad's uneven columns)."""
        pad = ttk.Frame(overlay.panel, style="Panel.TFrame")
        pad.grid(row=row, column=column, rowspan=ROWS, columnspan=span, sticky="nsew")
        for c in range(3):
            pad.columnconfigure(c, weight=1, uniform="keys")
        self.field = ttk.Entry(pad, show="•", font=overlay.fonts["huge"], width=8)
        self.field.grid(row=0, column=0, columnspan=3, pady=8)
        self.keys: dict[str, ttk.Button] = {}
        for i, key in enumerate("1234567890"):
            button = ttk.Button(pad, text=key, command=functools.partial(self.append, key))
            button.grid(row=1 + i // 3, column=i % 3 if i < 9 else 1, sticky="nsew", padx=3, pady=3)
            self.keys[key] = button

    @property
    def value(self) -> str:
        return str(self.field.get())

    @value.setter
    def value(self, text: str) -> None:
        self.field.delete(0, "end")
        self.field.insert(0, text)

    def append(self, digit: str) -> None:
        self.value = self.value + digit
