"""The settings screen's side of the config (product.md, "Screens" 6) that needs no Tk: how a
save is answered and said, and the port the screen saves through (redesign §4.6).

The screen collects config.md's tables from its fields on the Tk thread; `SettingsStore.save`
validates them, hashes a new PIN (scrypt, slow on purpose) and writes the file on a worker
(posapp/adapters/settings_file.py), so the Tk thread never touches the file or scrypt.
"""

from __future__ import annotations

import hashlib
import re
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Literal, Protocol

from posapp.config import Config, ConfigError
from posapp.config_read import from_text
from posapp.core import glossary
from posapp.core.setting_change import SECRET_KEYS

PIN_KEY = "manager.pin_hash"
NO_FILE = (
    "Not saved: this till started with no settings file (the demo starts from its own "
    "settings every time)."
)
# config.md's tables as the screen collects them: a table of values, or a list of rows.
ConfigTables = dict[str, dict[str, object] | list[dict[str, object]]]


@dataclass(frozen=True, slots=True)
class Saved:
    """The config as written, and where."""

    config: Config
    path: str
    previous: str | None = None  # where the file as it was before is kept, if it existed
    journaled: bool = False  # each change is in the journal (and on the X and Z reports)


@dataclass(frozen=True, slots=True)
class FormField:
    """One key of a section as the form shows it."""

    key: str  # config.md's "scanner.baudrate"
    kind: Literal["check", "choice", "choices", "pin", "text"]
    shown: str | bool  # what the field starts with: choices in words, the PIN never
    choices: tuple[str, ...] = ()  # in words: the one to pick, or the ones a list takes

    @property
    def name(self) -> str:
        return self.key.partition(".")[2]


def form_fields(section: str, value: object) -> list[FormField]:
    """A table section's keys (store, scanner, ...) as the form's fields, by their types."""
    assert is_dataclass(value)
    assert not isinstance(value, type)
    hints = typing.get_type_hints(type(value))
    found = []
    for f in fields(value):
        key, current, kind = f"{section}.{f.name}", getattr(value, f.name), hints[f.name]
        if kind is bool:
            found.append(FormField(key, "check", bool(current)))
        elif typing.get_origin(kind) is Literal:
            words = tuple(glossary.choice(key, a) for a in typing.get_args(kind))
            found.append(FormField(key, "choice", glossary.choice(key, current), words))
        elif key in glossary.CHOICE:  # a list of choices (manager.require_pin_for)
            shown = ", ".join(glossary.choice(key, c) for c in current)
            found.append(FormField(key, "choices", shown, tuple(glossary.CHOICE[key].values())))
        elif key == PIN_KEY:  # the hash is not the PIN: the field starts empty
            found.append(FormField(key, "pin", ""))
        else:
            shown = ", ".join(current) if isinstance(current, tuple) else str(current)
            found.append(FormField(key, "text", shown))
    return found


def _row_type(section: str) -> object:
    """The dataclass of a list section's rows (patterns: SerialPattern)."""
    return typing.get_args(typing.get_type_hints(Config)[section])[0]


def row_names(section: str) -> list[str]:
    """A list section's columns, in its rows' order."""
    kind = _row_type(section)
    assert isinstance(kind, type)
    assert is_dataclass(kind)
    return [f.name for f in fields(kind)]


def read_table(section: str, held: Mapping[str, object]) -> dict[str, object]:
    """A table section's fields as config.md's values, typed through config_read (choices
    shown in words back to config.md's values); what does not read stays text for the check."""
    hints = typing.get_type_hints(typing.get_type_hints(Config)[section])
    return {
        name: from_text(hints[name], _from_words(f"{section}.{name}", value))
        for name, value in held.items()
    }


def read_row(section: str, names: Sequence[str], cells: Sequence[str]) -> dict[str, object]:
    """One line of a list section ("gift-card-300 | 30000") as config.md's row."""
    hints = typing.get_type_hints(_row_type(section))
    return {n: from_text(hints[n], c) for n, c in zip(names, cells, strict=False)}


def _from_words(key: str, shown: object) -> object:
    """A choice shown in words, back to config.md's value (a list of them for a list)."""
    words = {w: v for v, w in glossary.CHOICE.get(key, {}).items()}
    if not words or not isinstance(shown, str):
        return shown
    if "," in shown or key == "manager.require_pin_for":
        return ", ".join(str(words.get(part.strip(), part.strip())) for part in shown.split(","))
    return words.get(shown, shown)


class NotSaved(ConfigError):
    """Nothing was written, in words for the manager (a config problem, or no file)."""

    def __init__(
        self, words: str, tone: Literal["bad", "warn"] = "bad", *, pin_taken: bool = False
    ) -> None:
        super().__init__([words])
        self.tone = tone
        self.pin_taken = pin_taken  # a new PIN was hashed: its field is emptied as on a save


class SettingsStore(Protocol):
    """Where the settings are kept. Both calls run on a worker thread."""

    def save(self, tables: ConfigTables, new_pin: str) -> Saved:
        """Validate, hash a new PIN ("" keeps the PIN), write keeping the file's comments;
        NotSaved (or the PIN's own refusal, in words) when nothing was written."""
        ...

    def pin_hash_if_changed(self) -> str | None:
        """[manager] pin_hash when the file changed since last asked, else None."""
        ...


def config_tables(config: Config, **changed: Mapping[str, object]) -> ConfigTables:
    """The config as the settings screen collects it (config.md's tables), with `changed`
    keys of a section set: a screen that saves a few keys (the scanner calibration) saves
    through the settings' own path. The file's other values are as they were (the writer
    writes only values that differ)."""
    tables: ConfigTables = {}
    for section in fields(config):
        value = getattr(config, section.name)
        if isinstance(value, tuple):
            tables[section.name] = [_table_of(row) for row in value]
        else:
            tables[section.name] = {**_table_of(value), **changed.get(section.name, {})}
    return tables


def _table_of(value: object) -> dict[str, object]:
    assert is_dataclass(value)
    assert not isinstance(value, type)
    found = {f.name: getattr(value, f.name) for f in fields(value)}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in found.items()}


def not_valid(error: ConfigError) -> NotSaved:
    """A config the checks refuse, in the screen's words (at most six problems)."""
    return NotSaved("Not saved:\n" + "\n".join(map(in_words, error.problems[:6])))


def changed_settings(old: Config, new: Config) -> list[str]:
    """The settings that differ, in the screen's words ("Provider address")."""
    words = []
    for section in fields(old):
        before, after = getattr(old, section.name), getattr(new, section.name)
        if before == after:
            continue
        if isinstance(before, tuple):  # a table (patterns, cards for sale): named as a whole
            words.append(glossary.SETTING_SECTION.get(section.name, section.name))
            continue
        for f in fields(before):
            if getattr(before, f.name) != getattr(after, f.name):
                words.append(glossary.setting(f"{section.name}.{f.name}"))
    return words


def listed(words: list[str]) -> str:
    """["Provider address", "Ask for the manager PIN to"] -> "“Provider address” and “Ask for
    the manager PIN to”": each name as the screen shows it, quoted, so every one reads right
    in a sentence (the store trial: "The ask for the manager PIN to takes effect")."""
    from posapp.i18n import LOCALES, language

    named = [f"“{w}”" for w in words]
    if language() != "en":  # "„A“, „B“ und „C“" is Babel's (CLDR) in another language
        from babel.lists import format_list

        return format_list(named, locale=LOCALES[language()])
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def in_words(problem: str) -> str:
    """config.md's "scanner.baudrate: ..." as the screen names it: "Scanner speed (baud): ..."."""
    key, sep, rest = problem.partition(": ")
    plain = re.sub(r" #\d+", "", key)
    return f"{glossary.setting(plain)}: {rest}" if sep and plain in glossary.SETTING else problem


def settings_in_words(config: Config) -> dict[str, str]:
    """Each key of config.md as the settings screen shows it ("manager.require_pin_for" ->
    "Reverse a transaction, Refund to a new card"); a list section (patterns, cards for sale)
    is one key, its rows as the screen's lines. A secret is a fingerprint: a change is seen,
    the value never kept (core/setting_change.py)."""
    words: dict[str, str] = {}
    for section in fields(config):
        value = getattr(config, section.name)
        if isinstance(value, tuple):
            rows = [" | ".join(str(getattr(r, f.name)) for f in fields(r)) for r in value]
            words[section.name] = "; ".join(rows)
            continue
        for f in fields(value):
            key, current = f"{section.name}.{f.name}", getattr(value, f.name)
            if key in SECRET_KEYS:
                words[key] = hashlib.sha256(str(current).encode()).hexdigest()[:16]
            elif key in glossary.CHOICE and isinstance(current, tuple):
                words[key] = ", ".join(glossary.choice(key, c) for c in current)
            elif key in glossary.CHOICE:
                words[key] = glossary.choice(key, current)
            elif isinstance(current, tuple):
                words[key] = ", ".join(map(str, current))
            else:
                words[key] = "" if current is None else str(current)
    return words
