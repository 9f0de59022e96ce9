"""The settings file behind the settings screen (SettingsStore, posapp/config_form.py): a
save validated, its new PIN hashed and the file written keeping its comments, all on a
worker thread; and the file looked at for a PIN set by `posapp set-pin` while the till runs.

Every change leaves a trace (the store trial of 6 Dec 2026): the file as it was is kept
beside it (posapp.toml.previous), each key changed goes to the journal with who and when
(journal version 12) and to the log, a line each, never a secret; a change made to the file
by hand is found (at the next start, or before the next save) and kept as made outside the
till."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from posapp.adapters.secrets import hash_pin
from posapp.config import Config, ConfigError, config_from_dict, load_config
from posapp.config_file import read_pin_hash, write_keeping_comments
from posapp.config_form import (
    NO_FILE,
    ConfigTables,
    NotSaved,
    Saved,
    not_valid,
    settings_in_words,
)
from posapp.core.setting_change import OUTSIDE, SettingChange, log_line
from posapp.terminal.ports import JournalUnwritable

log = logging.getLogger("posapp.settings")


class SettingsJournal(Protocol):
    """The journal's part that keeps settings changes (posapp/adapters/journal.py)."""

    def see_settings(self, words: Mapping[str, str], who: str) -> list[SettingChange]: ...


def previous_path(path: Path) -> Path:
    """Where the file as it was before the last save is kept: beside it."""
    return path.with_name(path.name + ".previous")


def _valid(tables: ConfigTables) -> Config:
    try:
        return config_from_dict(tables)
    except ConfigError as exc:
        raise not_valid(exc) from exc


def _with_pin(tables: ConfigTables, new_pin: str) -> ConfigTables:
    """The tables with a new PIN's hash ("" keeps the PIN as the tables have it). A PIN
    that is not 4 to 12 digits is refused in words (SecretError)."""
    if not new_pin:
        return tables
    manager = tables.get("manager")
    kept = dict(manager) if isinstance(manager, dict) else {}
    return {**tables, "manager": {**kept, "pin_hash": hash_pin(new_pin)}}


class SettingsFile:
    def __init__(
        self,
        path: Path,
        journal: SettingsJournal | None = None,
        who: Callable[[], str] = lambda: "",
    ) -> None:
        self.path = path
        self.journal = journal
        self.who = who  # who saves, as the journal keeps it (core/sign_in.py's manager_who)
        self._seen = self._stamp()

    def save(self, tables: ConfigTables, new_pin: str) -> Saved:
        _valid(tables)  # said before the PIN is looked at, as the screen always did
        tables = _with_pin(tables, new_pin)
        config = config_from_dict(tables)
        before = self._file_config()
        if before is not None:  # a hand edit since the till last looked is not this save's
            self._see(before, OUTSIDE)
        previous = None
        if before != config and self.path.exists():
            previous = previous_path(self.path)
            shutil.copy2(self.path, previous)  # its mode too: the file holds the PIN's hash
        write_keeping_comments(self.path, tables)
        # The PIN watch need not find our own write and apply the PIN a second time.
        self._seen = self._stamp()
        journaled = self._see(config, self.who())
        kept = None if previous is None else str(previous)
        return Saved(config, str(self.path), kept, journaled)

    def look_at_start(self, config: Config) -> None:
        """The settings the till starts with: what differs from what it last saw was
        changed outside the till (the file edited by hand), kept as such."""
        self._see(config, OUTSIDE)

    def _file_config(self) -> Config | None:
        try:
            return load_config(self.path)
        except ConfigError:  # no file yet, or one that does not read: nothing to compare
            return None

    def _see(self, config: Config, who: str) -> bool:
        """The changes kept in the journal and logged, a line each; False: not kept."""
        if self.journal is None:
            return False
        try:
            changes = self.journal.see_settings(settings_in_words(config), who)
        except JournalUnwritable as exc:  # not seen: the next start or save finds it again
            log.warning("settings changes not kept in the journal: %s", exc)
            return False
        for change in changes:
            log.info("%s", log_line(change))
        return True

    def pin_hash_if_changed(self) -> str | None:
        """A stat is cheap: the file is read only when its time or size changed."""
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return None
        pin_hash = read_pin_hash(self.path)  # a half-written file raises: read again next time
        self._seen = stamp
        return pin_hash

    def _stamp(self) -> tuple[int, int] | None:
        try:
            found = self.path.stat()
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size


class NoSettingsFile:
    """A till started without a settings file (the demo starts from its own every time)."""

    def save(self, tables: ConfigTables, new_pin: str) -> Saved:
        _valid(tables)
        _with_pin(tables, new_pin)
        raise NotSaved(NO_FILE, "warn", pin_taken=bool(new_pin))

    def pin_hash_if_changed(self) -> str | None:
        return None
