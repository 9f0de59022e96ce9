"""Settings (product.md, "Screens" 6): every section of config.md, saved keeping the file's
comments (tomlkit), and the pattern tester (paste or scan what the scanner sends). Sections
are tabs down the left side: the screen fits 1024x768 whatever the number of sections."""

from __future__ import annotations

import tkinter as tk
from dataclasses import fields
from pathlib import Path
from tkinter import ttk
from typing import TYPE_CHECKING

from posapp.config import Denomination
from posapp.config_form import (
    PIN_KEY,
    ConfigTables,
    NotSaved,
    Saved,
    changed_settings,
    form_fields,
    listed,
    read_row,
    read_table,
    row_names,
)
from posapp.core import glossary
from posapp.core.money import AmountError, format_money, parse_amount
from posapp.i18n import N_, _, ngettext
from posapp.ui.host import ScreenHost
from posapp.ui.pin_watch import take_pin
from posapp.ui.screen import Screen

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

PIN_UNCHANGED = N_("The PIN stays as it is unless you type a new one here (4 to 12 digits)")


class SettingsScreen(Screen):
    """Every section of config.md; saving keeps the file's comments (tomlkit); the pattern tester."""

    def __init__(self, window: ScreenHost) -> None:
        super().__init__(window, _("Settings"))
        from posapp.config import Config

        self.current: Config = window.config
        # The store's currency, once the provider said it: prices are shown and typed in it.
        self.currency = window.till.currency
        self.problems: list[str] = []  # what collected() could not read, said on Save
        self.panel.columnconfigure(0, weight=1)
        self.panel.rowconfigure(1, weight=1)
        book = ttk.Notebook(self.panel, style="Side.TNotebook")
        book.grid(row=1, column=0, columnspan=3, sticky="nsew")
        self.vars: dict[str, dict[str, tk.Variable | _TextVar]] = {}
        self.new_pin = tk.StringVar(self, value="")  # the Manager tab's PIN field
        for section in fields(Config):
            value = getattr(self.current, section.name)
            frame = ttk.Frame(book, padding=8)
            book.add(frame, text=glossary.SETTING_SECTION.get(section.name, section.name))
            if isinstance(value, tuple):
                self._table(frame, section.name, value)
            else:
                self._form(frame, section.name, value)
        tester = ttk.Frame(book, padding=8)
        book.add(tester, text=_("Pattern tester"))
        self.sample = tk.StringVar(self)
        self.book, self.tester = book, tester
        ttk.Label(tester, text=_("Paste or scan what the scanner sends:")).grid(
            row=0, column=0, sticky="w"
        )
        # The answer follows the text as it changes: the entry's own validation hook runs
        # on every insert and delete (a key, a paste, xdotool's typing, whose key releases
        # may never come), on the Tk thread. Not a variable trace: Tk deletes the hook's
        # command with the widget, but a trace's callback would keep this screen alive in Tcl.
        changed = self.register(self._text_changed)
        entry = ttk.Entry(
            tester,
            textvariable=self.sample,
            width=40,
            validate="key",
            validatecommand=(changed, "%P"),
        )
        entry.grid(row=1, column=0, sticky="ew")
        self.sample_field = entry
        self.result = ttk.Label(tester, text="", wraplength=520)
        self.result.grid(row=2, column=0, sticky="w", pady=8)
        ttk.Button(self.panel, text=_("Save"), command=self.save).grid(
            row=2, column=1, sticky="ew", pady=6
        )
        ttk.Button(self.panel, text=_("Close (Esc)"), command=window.escape).grid(
            row=2, column=2, sticky="ew", pady=6
        )
        self.note.grid(row=3, column=0, columnspan=3, sticky="w")
        self.first_field = book

    def take_scan(self, text: str) -> bool:
        """A scan here goes to the pattern tester."""
        self.book.select(str(self.tester))  # type: ignore[no-untyped-call]
        self.sample.set(text)
        self._test(scanned=True)
        return True

    def _text_changed(self, _text: str) -> bool:
        """Asked before the change lands: the answer is worked out once it has."""
        self.after_idle(self._test)
        return True  # every change is taken; False would also turn the hook off

    def _form(self, frame: ttk.Frame, section: str, value: object) -> None:
        self.vars[section] = {}
        found = form_fields(section, value)
        # The provider's keys of every API (four Adyen's, three NewStore's) are the longest
        # section: closer rows keep it within 1024x768 (tests/gui/test_layout.py).
        pady = 1 if len(found) > 14 else 2
        for row, field in enumerate(found):
            # Labels wrap and fields stay narrow: the longest section fits 1024x768 too.
            ttk.Label(frame, text=glossary.setting(field.key), wraplength=300).grid(
                row=row, column=0, sticky="w", pady=pady
            )
            var: tk.Variable
            if field.kind == "check":
                var = tk.BooleanVar(self, value=bool(field.shown))
                ttk.Checkbutton(frame, variable=var).grid(row=row, column=1, sticky="w")
            elif field.kind == "choice":
                # The choices in words; read_table turns them back into config.md's values.
                var = tk.StringVar(self, value=str(field.shown))
                ttk.Combobox(
                    frame, textvariable=var, values=list(field.choices), state="readonly"
                ).grid(row=row, column=1, sticky="ew")
            elif field.kind == "pin":
                # The hash is not the PIN: its ~100 dots would say nothing. The field starts
                # empty; a PIN typed here is hashed on Save, an empty one keeps the PIN.
                ttk.Entry(frame, textvariable=self.new_pin, width=28, show="•").grid(
                    row=row, column=1, sticky="ew"
                )
                ttk.Label(
                    frame, text=_(PIN_UNCHANGED), font=self.fonts["small"], wraplength=420
                ).grid(row=row + 100, column=0, columnspan=2, sticky="w")
                continue
            else:
                var = tk.StringVar(self, value=str(field.shown))
                ttk.Entry(frame, textvariable=var, width=28).grid(row=row, column=1, sticky="ew")
                if field.kind == "choices":  # a list of choices (manager.require_pin_for)
                    ttk.Label(
                        frame,
                        text=_("Any of: {choices}").format(choices=", ".join(field.choices)),
                        font=self.fonts["small"],
                        wraplength=420,
                    ).grid(row=row + 100, column=0, columnspan=2, sticky="w")
            self.vars[section][field.name] = var

    def _table(self, frame: ttk.Frame, section: str, rows: tuple[DataclassInstance, ...]) -> None:
        # No wrapping: a row wrapped at the box's edge cut words ("no / ne"); a long row
        # scrolls sideways instead.
        text = tk.Text(frame, width=60, height=10, font=self.fonts["mono"], wrap="none")
        text.grid(row=0, column=0, sticky="nsew")
        sideways = ttk.Scrollbar(frame, orient="horizontal", command=text.xview)
        sideways.grid(row=2, column=0, sticky="ew")
        text.configure(xscrollcommand=sideways.set)
        names = row_names(section)
        words = [glossary.setting(f"{section}.{n}") for n in names]
        shown: list[list[str]] = [[str(getattr(r, n)) for n in names] for r in rows]
        if section == "denominations" and self.currency:
            # Cards for sale as a manager reads them: "gift-card-300 | $300.00", not 30000.
            words[names.index("amount")] = _("Price")
            at = names.index("amount")
            for cells, r in zip(shown, rows, strict=True):
                if isinstance(r, Denomination):
                    cells[at] = format_money(r.amount, self.currency, self.window.locale)
        text.insert("1.0", "\n".join(" | ".join(cells) for cells in shown))
        heading = _("{columns}   (one a line)").format(columns=" | ".join(words))
        ttk.Label(frame, text=heading, font=self.fonts["small"]).grid(row=1, column=0, sticky="w")
        self.vars[section] = {"__text__": _TextVar(text)}

    def collected(self) -> ConfigTables:
        """The screen's values as config.md's TOML tables, typed as the dataclasses say."""
        from posapp.config import Config

        data: ConfigTables = {}
        self.problems = []
        for section in fields(Config):
            entries = self.vars[section.name]
            if "__text__" in entries:
                names = row_names(section.name)
                table: list[dict[str, object]] = []
                for line in entries["__text__"].get().splitlines():
                    if line.strip():
                        cells = [c.strip() for c in line.split(" | ")]
                        row = read_row(section.name, names, cells)
                        if section.name == "denominations" and self.currency and "amount" in row:
                            row["amount"] = self._price(line, cells[names.index("amount")])
                        table.append(row)
                data[section.name] = table
                continue
            data[section.name] = read_table(
                section.name, {name: var.get() for name, var in entries.items()}
            )
        manager = data["manager"]
        assert isinstance(manager, dict)
        manager["pin_hash"] = self.current.manager.pin_hash  # a new one: on Save
        return data

    def _price(self, line: str, cell: str) -> int | str:
        """A price as typed ("$300.00", "300") in minor units, as config.md keeps it."""
        try:
            return parse_amount(cell, self.currency, self.window.locale)
        except AmountError as exc:
            section = glossary.SETTING_SECTION["denominations"]
            self.problems.append(f"{section}, {line.strip()!r}: {exc}")
            return cell

    def save(self) -> None:
        """The file is validated, a new PIN hashed and the file written on the worker
        (SettingsStore, posapp/adapters/settings_file.py): never on the Tk thread."""
        data = self.collected()
        if self.problems:
            self.say(_("Not saved:") + "\n" + "\n".join(self.problems[:6]), "bad")
            return
        pin = self.new_pin.get().strip()
        store = self.window.services_.settings
        self.say(_("Saving…"), "muted")

        def not_saved(error: BaseException) -> None:
            if not self.winfo_exists():
                return
            if isinstance(error, NotSaved):
                if error.pin_taken:
                    self.new_pin.set("")
                self.say(str(error), error.tone)
                return
            # hash_pin refuses a PIN that is not 4 to 12 digits, in words said as they are.
            self.say(self.window.words_for(error), "bad")

        def saved(done: Saved) -> None:
            if self.winfo_exists():
                if pin:
                    self.new_pin.set("")
                self._saved(done)

        self.window.worker.submit(lambda: store.save(data, pin), saved, not_saved)

    def _saved(self, saved: Saved) -> None:
        config, path = saved.config, saved.path
        changed = changed_settings(self.current, config)
        self.window.config = self.current = config
        pin = glossary.setting(PIN_KEY)
        now = ""
        if pin in changed:  # the PIN works at once (posapp.ui.pin_watch), the rest on restart
            take_pin(self.window, config.manager.pin_hash)
            changed.remove(pin)
            now = _("The new manager PIN works now.")
        # Where the file as it was is kept, and where the change is recorded (README).
        kept = ""
        if saved.previous:  # beside the file just named: its name says where
            kept = _("The file as it was is kept beside it as {name}.").format(
                name=Path(saved.previous).name
            )
        if not changed:
            if now:
                said = _("Saved to {path}; nothing else changed.").format(path=path)
            else:
                said = _("Saved to {path}; nothing changed.").format(path=path)
            self.say(" ".join(s for s in (said, now, kept) if s), "ok")
            return
        later = ngettext(
            "{settings} takes effect when posapp starts again.",
            "{settings} take effect when posapp starts again.",
            len(changed),
        ).format(settings=listed(changed))
        journaled = _("The X and Z reports list the change.") if saved.journaled else ""
        said = _("Saved to {path}.").format(path=path)
        self.say(" ".join(s for s in (said, now, later, kept, journaled) if s), "ok")

    def _test(self, *, scanned: bool = False) -> None:
        """`scanned`: the text came from a scanner; a PIN the pattern took is then dropped
        from the field (the trial of a till, 5b #5: `…=4321` stayed on show)."""
        from posapp.config import ConfigError, config_from_dict
        from posapp.core.nearmiss import closest
        from posapp.core.serials import CardRef, SerialPatterns

        try:
            patterns = config_from_dict({"patterns": self.collected()["patterns"]}).patterns
        except ConfigError as exc:
            self.result.configure(text="\n".join(exc.problems))
            return
        found = SerialPatterns.load(patterns).extract(self.sample.get())
        if isinstance(found, CardRef):
            lookup = glossary.choice("patterns.lookup", found.lookup)
            said = _("{pattern} matched: {lookup} {value}").format(
                pattern=found.pattern, lookup=lookup, value=found.value
            )
            said += found.said
            self.result.configure(text=said)
            if scanned and found.pin:
                self.sample.set(found.value)  # the serial only: a key typed tests it again
            return
        near = closest(patterns, self.sample.get().strip())
        self.result.configure(
            text=_("No pattern matches. Closest: {near}").format(near=near)
            if near and self.sample.get().strip()
            else found.reason
        )


class _TextVar:
    def __init__(self, text: tk.Text) -> None:
        self.text = text

    def get(self) -> str:
        return str(self.text.get("1.0", "end"))
