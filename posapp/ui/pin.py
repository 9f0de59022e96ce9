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
    def __init__(self, overlay: Overlay, row: int, column: int = 0) -> None:
        """On the overlay's panel from `row` down, in three columns from `column`."""
        self.field = ttk.Entry(overlay.panel, show="•", font=overlay.fonts["huge"], width=8)
        self.field.grid(row=row, column=column, columnspan=3, pady=8)
        self.keys: dict[str, ttk.Button] = {}
        for i, key in enumerate("1234567890"):
            self.keys[key] = overlay.button(
                key,
                functools.partial(self.append, key),
                row=row + 1 + i // 3,
                column=column + (i % 3 if i < 9 else 1),
            )

    @property
    def value(self) -> str:
        return str(self.field.get())

    @value.setter
    def value(self, text: str) -> None:
        self.field.delete(0, "end")
        self.field.insert(0, text)

    def append(self, digit: str) -> None:
        self.value = self.value + digit
