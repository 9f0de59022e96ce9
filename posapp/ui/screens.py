"""The manager's screens: reports, gift cards, settings (with the pattern tester), and the
receipt preview. Each is a Toplevel over the cashier window; their calls go to its Worker."""

from __future__ import annotations

import functools
import tkinter as tk
import typing
import uuid
from dataclasses import fields, is_dataclass
from tkinter import ttk
from typing import TYPE_CHECKING, Any

from posapp.core.money import AmountError, format_money, parse_amount

if TYPE_CHECKING:
    from posapp.ui.window import CashierWindow


class Screen(tk.Toplevel):
    def __init__(self, window: CashierWindow, title: str) -> None:
        super().__init__(window.root)
        self.window = window
        self.fonts = window.fonts
        self.title(title)
        self.transient(window.root)
        self.configure(padx=12, pady=12)
        self.bind("<Escape>", lambda _e: self.destroy())
        self.note = ttk.Label(self, text="", wraplength=700)

    def say(self, words: str, tone: str = "ok") -> None:
        from posapp.ui.theme import COLOURS

        self.note.configure(text=words, foreground=COLOURS["bad" if tone == "bad" else "ok"])

    def call(self, doing: str, fn: Any, then: Any) -> None:
        self.say(doing)
        self.window.worker.submit(fn, then, lambda exc: self.say(str(exc), "bad"))


class ReportsScreen(Screen):
    """X (the shift so far), Z (closes the shift) and the reconciliation against the provider."""

    def __init__(self, window: CashierWindow) -> None:
        super().__init__(window, "Reports")
        terminal = window.terminal
        self.text = tk.Text(self, width=60, height=18, font=self.fonts["mono"])
        self.text.grid(row=0, column=0, columnspan=4, sticky="nsew")
        ttk.Button(self, text="X report", command=lambda: self._report(terminal.x_report)).grid(
            row=1, column=0, sticky="ew"
        )
        ttk.Button(
            self,
            text="Z report (close shift)",
            command=lambda: window.with_pin(
                "settings", "close the shift", lambda: self._report(terminal.z_report)
            ),
        ).grid(row=1, column=1, sticky="ew")
        ttk.Button(self, text="Reconcile", command=self._reconcile).grid(
            row=1, column=2, sticky="ew"
        )
        ttk.Button(self, text="Close (Esc)", command=self.destroy).grid(
            row=1, column=3, sticky="ew"
        )
        self.note.grid(row=2, column=0, columnspan=4, sticky="w")
        self._report(terminal.x_report, print_it=False)

    def _report(self, make: Any, print_it: bool = True) -> None:
        window = self.window

        def build() -> Any:
            receipt = make()
            if print_it:
                window.last_job = window._services.printer.print(receipt)
            return receipt

        def show(receipt: Any) -> None:
            lines = [receipt.title, f"{receipt.when:%Y-%m-%d %H:%M}", ""]
            lines += [f"{line.label:<34}{line.value:>14}" for line in receipt.lines]
            self.text.delete("1.0", "end")
            self.text.insert("1.0", "\n".join(lines))
            window.last_receipt = receipt
            self.say("Printed" if print_it else "The shift so far")

        self.call("Working…", build, show)

    def _reconcile(self) -> None:
        def show(problems: list[str]) -> None:
            self.text.delete("1.0", "end")
            self.text.insert("1.0", "\n".join(problems) or "The journal and the provider agree.")
            self.say(
                f"{len(problems)} mismatches" if problems else "No mismatch",
                "bad" if problems else "ok",
            )

        self.call("Asking the provider…", self.window.terminal.reconciliation, show)


class ManagerMenu(Screen):
    def __init__(self, window: CashierWindow) -> None:
        super().__init__(window, "Manager")
        for i, (words, screen) in enumerate(
            (
                ("Gift cards", CardsScreen),
                ("Settings", SettingsScreen),
                ("Receipt preview", PreviewScreen),
                ("Reports", ReportsScreen),
            )
        ):
            ttk.Button(
                self, text=words, width=24, command=functools.partial(self.open, screen)
            ).grid(row=i, column=0, pady=4, sticky="ew")
        self.note.grid(row=9, column=0)

    def open(self, screen: Any) -> None:
        self.destroy()
        screen(self.window)


class CardsScreen(Screen):
    """Gift cards (admin token): search by code, page through, create, enable or disable,
    change expiry, adjust the balance with a reason, cancel."""

    def __init__(self, window: CashierWindow) -> None:
        super().__init__(window, "Gift cards")
        self.admin = window._services.admin
        self.locale = window.locale
        self.pages: list[str | None] = [None]
        self.query = tk.StringVar()
        ttk.Entry(self, textvariable=self.query, width=24).grid(row=0, column=0, sticky="ew")
        ttk.Button(self, text="Search code", command=self.search).grid(row=0, column=1)
        ttk.Button(self, text="◀ Page", command=self.back).grid(row=0, column=2)
        ttk.Button(self, text="Page ▶", command=self.forward).grid(row=0, column=3)
        columns = ("code", "status", "balance", "expires")
        self.tree = ttk.Treeview(self, columns=columns, show="headings", height=12)
        for column, width in zip(columns, (240, 150, 150, 140), strict=True):
            self.tree.heading(column, text=column.capitalize())
            self.tree.column(column, width=width)
        self.tree.grid(row=1, column=0, columnspan=4, sticky="nsew")
        for i, (words, command) in enumerate(
            (
                ("Create", self.create),
                ("Enable / disable", self.toggle),
                ("Expiry", self.expiry),
                ("Adjust balance", self.adjust),
                ("Cancel card", self.cancel_card),
            )
        ):
            ttk.Button(self, text=words, command=command).grid(
                row=2 + i // 4, column=i % 4, sticky="ew", pady=2
            )
        self.note.grid(row=4, column=0, columnspan=4, sticky="w")
        self.gifts: dict[str, Any] = {}
        if self.admin is None:
            self.say(
                "The gift cards screen needs an admin token: set POSAPP_ADMIN_TOKEN, or store "
                "it with `posapp set-token --admin`",
                "bad",
            )
        else:
            self.load()

    def load(self, **query: Any) -> None:
        admin = self.admin
        assert admin is not None

        def show(found: list[Any]) -> None:
            self.gifts = {g.id: g for g in found}
            self.tree.delete(*self.tree.get_children())
            for g in found:
                balance = (
                    f"{g.item_quantity} x {g.item_label}"
                    if g.kind == "item"
                    else format_money(g.balance or 0, g.currency, self.locale)
                )
                expires = f"{g.expires_at:%Y-%m-%d}" if g.expires_at else "—"
                self.tree.insert("", "end", iid=g.id, values=(g.code, g.status, balance, expires))
            self.say(f"{len(found)} cards")

        self.call("Loading…", lambda: admin.gift_cards(limit=20, **query), show)

    def search(self) -> None:
        code = self.query.get().strip()
        self.load(**({"code": code} if code else {}))

    def forward(self) -> None:
        children = self.tree.get_children()
        if children:
            self.pages.append(children[-1])
            self.load(after=children[-1])

    def back(self) -> None:
        if len(self.pages) > 1:
            self.pages.pop()
        after = self.pages[-1]
        self.load(**({"after": after} if after else {}))

    def _chosen(self) -> Any:
        chosen = self.tree.selection()
        if not chosen:
            self.say("Choose a card first", "bad")
            return None
        return self.gifts[chosen[0]]

    def _change(self, doing: str, fn: Any) -> None:
        self.call(doing, fn, lambda _r: self.search())

    def create(self) -> None:
        from posapp.ui.dialogs import FormDialog

        admin = self.admin
        assert admin is not None

        def ok(values: dict[str, str]) -> str | None:
            try:
                minor = parse_amount(values["Balance"], self.window.store_currency(), self.locale)
            except (AmountError, Exception) as exc:
                return str(exc)
            extra = (
                {"expires_at": values["Expires (YYYY-MM-DD, optional)"] + "T23:59:59Z"}
                if values["Expires (YYYY-MM-DD, optional)"]
                else {}
            )
            self._change(
                "Creating…",
                lambda: admin.create_gift_card(values["Code"], minor, str(uuid.uuid4()), **extra),
            )
            return None

        FormDialog(
            self,
            self.fonts,
            title="New gift card",
            fields=[("Code", ""), ("Balance", ""), ("Expires (YYYY-MM-DD, optional)", "")],
            on_ok=ok,
        )

    def toggle(self) -> None:
        gift, admin = self._chosen(), self.admin
        if gift is not None and admin is not None:
            enabled = gift.status != "disabled"
            self._change(
                "Saving…",
                lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), enabled=not enabled),
            )

    def expiry(self) -> None:
        from posapp.ui.dialogs import FormDialog

        gift, admin = self._chosen(), self.admin
        if gift is None or admin is None:
            return

        def ok(values: dict[str, str]) -> str | None:
            day = values["Expires (YYYY-MM-DD, empty: never)"].strip()
            when = f"{day}T23:59:59Z" if day else None
            self._change(
                "Saving…",
                lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), expires_at=when),
            )
            return None

        FormDialog(
            self,
            self.fonts,
            title=f"Expiry of {gift.code}",
            fields=[("Expires (YYYY-MM-DD, empty: never)", "")],
            on_ok=ok,
        )

    def adjust(self) -> None:
        from posapp.ui.dialogs import FormDialog

        gift, admin = self._chosen(), self.admin
        if gift is None or admin is None:
            return

        def ok(values: dict[str, str]) -> str | None:
            if not values["Reason"].strip():
                return "Say why the balance changes: it goes in the ledger"
            try:
                minor = (
                    parse_amount(values["New balance"], gift.currency, self.locale)
                    if values["New balance"] != "0"
                    else 0
                )
            except AmountError as exc:
                return str(exc)
            self._change(
                "Saving…", lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), balance=minor)
            )
            return None

        FormDialog(
            self,
            self.fonts,
            title=f"Balance of {gift.code} (now {format_money(gift.balance or 0, gift.currency, self.locale)})",
            fields=[("New balance", ""), ("Reason", "")],
            on_ok=ok,
        )

    def cancel_card(self) -> None:
        gift, admin = self._chosen(), self.admin
        if gift is not None and admin is not None:
            self._change("Canceling…", lambda: admin.cancel_gift_card(gift.id, str(uuid.uuid4())))


class SettingsScreen(Screen):
    """Every section of config.md; saving keeps the file's comments (tomlkit); the pattern tester."""

    def __init__(self, window: CashierWindow) -> None:
        super().__init__(window, "Settings")
        from posapp.config import Config

        self.current: Config = window.config
        book = ttk.Notebook(self)
        book.grid(row=0, column=0, columnspan=3, sticky="nsew")
        self.vars: dict[str, dict[str, Any]] = {}
        for section in fields(Config):
            value = getattr(self.current, section.name)
            frame = ttk.Frame(book, padding=8)
            book.add(frame, text=section.name)
            if isinstance(value, tuple):
                self._table(frame, section.name, value)
            else:
                self._form(frame, section.name, value)
        tester = ttk.Frame(book, padding=8)
        book.add(tester, text="pattern tester")
        self.sample = tk.StringVar()
        ttk.Label(tester, text="Paste what the scanner sends:").grid(row=0, column=0, sticky="w")
        entry = ttk.Entry(tester, textvariable=self.sample, width=50)
        entry.grid(row=1, column=0, sticky="ew")
        self.result = ttk.Label(tester, text="", wraplength=560)
        self.result.grid(row=2, column=0, sticky="w", pady=8)
        # A binding, not a variable trace: Tk deletes a widget's bindings with the widget, but
        # a trace's callback would keep this screen (and its variables) alive in Tcl.
        entry.bind("<KeyRelease>", lambda _e: self._test())
        entry.bind("<<Paste>>", lambda _e: self.after_idle(self._test))
        ttk.Button(self, text="Save", command=self.save).grid(row=1, column=1, sticky="ew", pady=6)
        ttk.Button(self, text="Close (Esc)", command=self.destroy).grid(
            row=1, column=2, sticky="ew", pady=6
        )
        self.note.grid(row=2, column=0, columnspan=3, sticky="w")

    def _form(self, frame: ttk.Frame, section: str, value: Any) -> None:
        self.vars[section] = {}
        hints = typing.get_type_hints(type(value))
        for row, f in enumerate(fields(value)):
            ttk.Label(frame, text=f.name).grid(row=row, column=0, sticky="w", pady=2)
            current = getattr(value, f.name)
            var: tk.Variable
            if hints[f.name] is bool:
                var = tk.BooleanVar(value=current)
                ttk.Checkbutton(frame, variable=var).grid(row=row, column=1, sticky="w")
            elif typing.get_origin(hints[f.name]) is typing.Literal:
                var = tk.StringVar(value=str(current))
                ttk.Combobox(
                    frame,
                    textvariable=var,
                    values=[str(a) for a in typing.get_args(hints[f.name])],
                    state="readonly",
                ).grid(row=row, column=1, sticky="ew")
            else:
                shown = ", ".join(current) if isinstance(current, tuple) else str(current)
                var = tk.StringVar(value=shown)
                ttk.Entry(
                    frame, textvariable=var, width=44, show="•" if "hash" in f.name else ""
                ).grid(row=row, column=1, sticky="ew")
            self.vars[section][f.name] = var

    def _table(self, frame: ttk.Frame, section: str, rows: tuple[Any, ...]) -> None:
        text = tk.Text(frame, width=70, height=10, font=self.fonts["mono"])
        text.grid(row=0, column=0, sticky="nsew")
        names = [f.name for f in fields(rows[0])] if rows and is_dataclass(rows[0]) else []
        text.insert("1.0", "\n".join(" | ".join(str(getattr(r, n)) for n in names) for r in rows))
        ttk.Label(frame, text=" | ".join(names) + "   (one a line)", font=self.fonts["small"]).grid(
            row=1, column=0, sticky="w"
        )
        self.vars[section] = {
            "__text__": _TextVar(text),
            "__names__": tk.StringVar(value=",".join(names)),
        }

    def collected(self) -> dict[str, Any]:
        """The screen's values as config.md's TOML tables, typed as the dataclasses say."""
        from posapp.config import Config

        data: dict[str, Any] = {}
        for section in fields(Config):
            current = getattr(self.current, section.name)
            entries = self.vars[section.name]
            if "__text__" in entries:
                names = entries["__names__"].get().split(",")
                kind = typing.get_args(typing.get_type_hints(Config)[section.name])[0]
                hints = typing.get_type_hints(kind)
                table = []
                for line in entries["__text__"].get().splitlines():
                    if line.strip():
                        cells = [c.strip() for c in line.split(" | ")]
                        table.append(
                            {n: _typed(hints[n], c) for n, c in zip(names, cells, strict=False)}
                        )
                data[section.name] = table
                continue
            hints = typing.get_type_hints(type(current))
            data[section.name] = {
                name: _typed(hints[name], var.get()) for name, var in entries.items()
            }
        return data

    def save(self) -> None:
        from posapp.config import ConfigError, config_from_dict

        data = self.collected()
        try:
            config = config_from_dict(data)
        except ConfigError as exc:
            self.say("Not saved:\n" + "\n".join(exc.problems[:6]), "bad")
            return
        path = self.window._services.config_path
        if path is not None:
            write_keeping_comments(path, data)
        self.window.config = config
        self.say(f"Saved to {path}; the terminal uses it from its next start" if path else "Saved")

    def _test(self) -> None:
        from posapp.config import ConfigError, config_from_dict
        from posapp.core.serials import CardRef, SerialPatterns

        try:
            patterns = config_from_dict({"patterns": self.collected()["patterns"]}).patterns
        except ConfigError as exc:
            self.result.configure(text="\n".join(exc.problems))
            return
        found = SerialPatterns.load(patterns).extract(self.sample.get())
        self.result.configure(
            text=f"{found.pattern} matched: {found.lookup} {found.value}"
            if isinstance(found, CardRef)
            else found.reason
        )


class _TextVar:
    def __init__(self, text: tk.Text) -> None:
        self.text = text

    def get(self) -> str:
        return str(self.text.get("1.0", "end"))


def _typed(kind: Any, raw: Any) -> Any:
    if kind is bool:
        return bool(raw)
    if kind is int:
        try:
            return int(str(raw).strip())
        except ValueError:
            return str(raw)  # the config check names the key and says what is expected
    if kind is float:
        try:
            return float(str(raw).strip())
        except ValueError:
            return str(raw)
    origin = typing.get_origin(kind)
    if origin is tuple:
        return [part.strip() for part in str(raw).split(",") if part.strip()]
    if origin is typing.Literal:
        args = typing.get_args(kind)
        return next((a for a in args if str(a) == str(raw)), raw)
    if origin in (typing.Union, __import__("types").UnionType):
        text = str(raw).strip()
        return int(text) if text.isdigit() else text
    return str(raw)


def write_keeping_comments(path: Any, data: dict[str, Any]) -> None:
    """Change only the values; tomlkit keeps every comment and the layout around them."""
    import tomlkit

    document = (
        tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    )
    for section, values in data.items():
        if isinstance(values, list):
            array = tomlkit.aot()
            for row in values:
                table = tomlkit.table()
                table.update(row)
                array.append(table)
            document[section] = array
            continue
        table = document.setdefault(section, tomlkit.table())
        for key, value in values.items():
            if table.get(key) != value:
                table[key] = value
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


class PreviewScreen(Screen):
    """The last receipt as the printer prints it (the virtual printer's picture)."""

    def __init__(self, window: CashierWindow) -> None:
        super().__init__(window, "Receipt preview")
        from PIL import ImageTk

        from hardware.printers.virtual import render

        job = window.last_job
        canvas = tk.Canvas(self, width=640, height=700, background="white")
        canvas.grid(row=0, column=0, sticky="nsew")
        if job is None:
            self.say("No receipt yet")
        else:
            picture = render(job, window.config.printer.paper_width_mm)
            self.photo = ImageTk.PhotoImage(picture)
            canvas.create_image(0, 0, image=self.photo, anchor="nw")
            canvas.configure(scrollregion=(0, 0, picture.width, picture.height))
        ttk.Button(self, text="Close (Esc)", command=self.destroy).grid(
            row=1, column=0, sticky="ew"
        )
        self.note.grid(row=2, column=0, sticky="w")
