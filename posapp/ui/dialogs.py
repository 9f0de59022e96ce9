"""Dialogs of the cashier screen: amount entry with a keypad, the manager PIN, picking a
transaction, and short forms. Each is a Toplevel over the window; Esc cancels, Enter confirms."""

from __future__ import annotations

import functools
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from posapp.core.money import AmountError, KeypadEntry, format_money


class Dialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, title: str, fonts: dict[str, Any]) -> None:
        super().__init__(master)
        self.title(title)
        self.fonts = fonts
        self.transient(master.winfo_toplevel())
        self.configure(padx=16, pady=16)
        self.message = ttk.Label(self, text="", foreground="#b3261e", wraplength=420)
        self.bind("<Escape>", lambda _e: self.cancel())
        self.protocol("WM_DELETE_WINDOW", self.cancel)
        self.on_cancel: Callable[[], None] = lambda: None

    def say(self, words: str) -> None:
        self.message.configure(text=words)

    def cancel(self) -> None:
        self.on_cancel()
        self.destroy()

    def show(self) -> None:
        self.update_idletasks()
        self.grab_set()
        self.focus_force()


class AmountDialog(Dialog):
    """Amounts the POS way: digits shift in from the right (1, 12, 125 is 1.25)."""

    def __init__(
        self,
        master: tk.Misc,
        fonts: dict[str, Any],
        *,
        currency: str,
        locale: str,
        maximum: int,
        title: str,
        on_ok: Callable[[int], None],
        on_all: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(master, title, fonts)
        self.entry = KeypadEntry(currency, maximum=maximum, locale=locale)
        self.on_ok = on_ok
        self.shown = ttk.Label(
            self, text=self.entry.shown(), font=fonts["huge"], anchor="e", width=12
        )
        self.shown.grid(row=0, column=0, columnspan=3, sticky="ew", pady=(0, 4))
        ttk.Label(
            self, text=f"at most {format_money(maximum, currency, locale)}", font=fonts["small"]
        ).grid(row=1, column=0, columnspan=3, sticky="e")
        keys = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "00", "0", "BackSpace"]
        for i, key in enumerate(keys):
            ttk.Button(
                self,
                text="⌫" if key == "BackSpace" else key,
                width=5,
                command=functools.partial(self.press, key),
            ).grid(row=2 + i // 3, column=i % 3, padx=3, pady=3, sticky="nsew")
        ttk.Button(self, text="Cancel (Esc)", command=self.cancel).grid(
            row=6, column=0, sticky="nsew", padx=3, pady=3
        )
        if on_all is not None:

            def use_all() -> None:
                self.destroy()
                on_all()

            ttk.Button(self, text="All (F3)", command=use_all).grid(
                row=6, column=1, sticky="nsew", padx=3, pady=3
            )
            self.bind("<F3>", lambda _e: use_all())
        ttk.Button(self, text="OK (Enter)", command=self.ok).grid(
            row=6, column=2, sticky="nsew", padx=3, pady=3
        )
        self.message.grid(row=7, column=0, columnspan=3, sticky="w")
        self.bind("<Key>", self._key)
        self.bind("<Return>", lambda _e: self.ok())
        self.bind("<KP_Enter>", lambda _e: self.ok())
        self.show()

    def _key(self, event: tk.Event[Any]) -> None:
        if event.keysym == "BackSpace" or (event.char and event.char.isdigit()):
            self.press("BackSpace" if event.keysym == "BackSpace" else event.char)

    def held_key(self, char: str) -> None:
        """Keys a person typed, handed over by the wedge catcher once it knew."""
        if char.isdigit():
            self.press(char)

    def press(self, key: str) -> None:
        try:
            self.entry = self.entry.press(key)
        except AmountError as exc:
            self.say(str(exc))
            self.bell()
            return
        self.say("")
        self.shown.configure(text=self.entry.shown())

    def ok(self) -> None:
        if self.entry.minor <= 0:
            self.say("Enter an amount above zero")
            self.bell()
            return
        amount = self.entry.minor
        self.destroy()
        self.on_ok(amount)


class PinDialog(Dialog):
    """The manager PIN; the check itself (a slow hash) runs off the Tk thread."""

    def __init__(
        self,
        master: tk.Misc,
        fonts: dict[str, Any],
        *,
        reason: str,
        check: Callable[[str, Callable[[str | None], None]], None],
        on_ok: Callable[[], None],
    ) -> None:
        super().__init__(master, "Manager PIN", fonts)
        self.check, self.on_ok = check, on_ok
        ttk.Label(self, text=f"Manager PIN to {reason}", font=fonts["big"]).grid(
            row=0, column=0, columnspan=3, sticky="w"
        )
        self.value = tk.StringVar()
        self.field = ttk.Entry(self, textvariable=self.value, show="•", font=fonts["huge"], width=8)
        self.field.grid(row=1, column=0, columnspan=3, pady=8)
        for i, key in enumerate("123456789"):
            ttk.Button(self, text=key, width=5, command=functools.partial(self.append, key)).grid(
                row=2 + i // 3, column=i % 3, padx=3, pady=3
            )
        ttk.Button(self, text="Cancel", command=self.cancel).grid(row=5, column=0, padx=3, pady=3)
        ttk.Button(
            self, text="0", width=5, command=lambda: self.value.set(self.value.get() + "0")
        ).grid(row=5, column=1)
        self.ok_button = ttk.Button(self, text="OK", command=self.ok)
        self.ok_button.grid(row=5, column=2, padx=3, pady=3)
        self.message.grid(row=6, column=0, columnspan=3, sticky="w")
        self.field.bind("<Return>", lambda _e: self.ok())
        self.field.bind("<KP_Enter>", lambda _e: self.ok())
        self.show()
        self.field.focus_set()

    def append(self, digit: str) -> None:
        self.value.set(self.value.get() + digit)

    def ok(self) -> None:
        self.ok_button.state(["disabled"])
        self.say("Checking…")
        self.check(self.value.get(), self._checked)

    def _checked(self, problem: str | None) -> None:
        if not self.winfo_exists():
            return
        if problem is None:
            self.destroy()
            self.on_ok()
            return
        self.value.set("")
        self.ok_button.state(["!disabled"])
        self.say(problem)
        self.bell()


class ChoiceDialog(Dialog):
    """Pick one row of a list (the shift's transactions, for a reversal)."""

    def __init__(
        self,
        master: tk.Misc,
        fonts: dict[str, Any],
        *,
        title: str,
        columns: tuple[str, ...],
        rows: list[tuple[str, tuple[str, ...]]],
        on_pick: Callable[[str], None],
    ) -> None:
        super().__init__(master, title, fonts)
        self.on_pick = on_pick
        self.tree = ttk.Treeview(
            self, columns=columns, show="headings", height=8, selectmode="browse"
        )
        for column in columns:
            self.tree.heading(column, text=column)
            self.tree.column(column, width=150)
        for key, values in rows:
            self.tree.insert("", "end", iid=key, values=values)
        self.tree.grid(row=0, column=0, columnspan=2, sticky="nsew")
        if rows:
            self.tree.selection_set(rows[-1][0])
            self.tree.focus(rows[-1][0])
        ttk.Button(self, text="Cancel (Esc)", command=self.cancel).grid(
            row=1, column=0, sticky="ew", pady=6
        )
        ttk.Button(self, text="Choose (Enter)", command=self.pick).grid(
            row=1, column=1, sticky="ew", pady=6
        )
        self.message.grid(row=2, column=0, columnspan=2, sticky="w")
        if not rows:
            self.say("Nothing in this shift can be reversed")
        self.bind("<Return>", lambda _e: self.pick())
        self.show()
        self.tree.focus_set()

    def pick(self) -> None:
        chosen = self.tree.selection()
        if not chosen:
            self.say("Choose a transaction first")
            return
        self.destroy()
        self.on_pick(chosen[0])


class FormDialog(Dialog):
    """A few labelled fields and buttons; `on_ok` gets the values and may refuse them."""

    def __init__(
        self,
        master: tk.Misc,
        fonts: dict[str, Any],
        *,
        title: str,
        fields: list[tuple[str, str]],
        on_ok: Callable[[dict[str, str]], str | None],
        buttons: list[tuple[str, Callable[[], None]]] | None = None,
    ) -> None:
        super().__init__(master, title, fonts)
        self.on_ok = on_ok
        self.values: dict[str, tk.StringVar] = {}
        row = 0
        for label, initial in fields:
            ttk.Label(self, text=label).grid(row=row, column=0, sticky="w", pady=4)
            var = tk.StringVar(value=initial)
            entry = ttk.Entry(self, textvariable=var, width=30)
            entry.grid(row=row, column=1, sticky="ew", pady=4)
            if row == 0:
                entry.focus_set()
            self.values[label] = var
            row += 1
        for text, command in buttons or []:
            ttk.Button(self, text=text, command=command).grid(
                row=row, column=0, columnspan=2, sticky="ew", pady=2
            )
            row += 1
        ttk.Button(self, text="Cancel (Esc)", command=self.cancel).grid(
            row=row, column=0, sticky="ew", pady=6
        )
        ttk.Button(self, text="OK (Enter)", command=self.ok).grid(
            row=row, column=1, sticky="ew", pady=6
        )
        self.message.grid(row=row + 1, column=0, columnspan=2, sticky="w")
        self.bind("<Return>", lambda _e: self.ok())
        self.show()

    def ok(self) -> None:
        problem = self.on_ok({k: v.get() for k, v in self.values.items()})
        if problem:
            self.say(problem)
            self.bell()
        elif self.winfo_exists():
            self.destroy()
