"""The settings screen's side of the config (product.md, "Screens" 6) that needs no Tk: how a
save is answered and said, and the port the screen saves through (redesign §4.6).

The screen collects config.md's tables from its fields on the Tk thread; `SettingsStore.save`
validates them, hashes a new PIN (scrypt, slow on purpose) and writes the file on a worker
(posapp/adapters/settings_file.py), so the Tk thread never touches the file or scrypt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Literal, Protocol

from posapp.config import Config, ConfigError
from posapp.core import glossary

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
    """["Provider address", "Store name"] -> "The provider address and the store name"."""
    named = [f"the {w[0].lower()}{w[1:]}" if w[:2] != w[:2].upper() else w for w in words]
    text = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return text[0].upper() + text[1:]


def in_words(problem: str) -> str:
    """config.md's "scanner.baudrate: ..." as the screen names it: "Scanner speed (baud): ..."."""
    key, sep, rest = problem.partition(": ")
    plain = re.sub(r" #\d+", "", key)
    return f"{glossary.setting(plain)}: {rest}" if sep and plain in glossary.SETTING else problem
