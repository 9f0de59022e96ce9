"""The settings file behind the settings screen (SettingsStore, posapp/config_form.py): a
save validated, its new PIN hashed and the file written keeping its comments, all on a
worker thread; and the file looked at for a PIN set by `posapp set-pin` while the till runs."""

from __future__ import annotations

from pathlib import Path

from posapp.adapters.secrets import hash_pin
from posapp.config import Config, ConfigError, config_from_dict
from posapp.config_file import read_pin_hash, write_keeping_comments
from posapp.config_form import NO_FILE, ConfigTables, NotSaved, Saved, not_valid


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
    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen = self._stamp()

    def save(self, tables: ConfigTables, new_pin: str) -> Saved:
        _valid(tables)  # said before the PIN is looked at, as the screen always did
        tables = _with_pin(tables, new_pin)
        config = config_from_dict(tables)
        write_keeping_comments(self.path, tables)
        # The PIN watch need not find our own write and apply the PIN a second time.
        self._seen = self._stamp()
        return Saved(config, str(self.path))

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
