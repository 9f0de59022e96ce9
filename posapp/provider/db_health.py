"""The provider's database file in words (issue 18 point 6).

A damaged, truncated or read-only SQLite file stopped `posapp-provider` with a 135-line
traceback; damage inside a data page found while serving left /healthz saying ok while every
lookup of the damaged part was a 500 with a traceback. Now:

- at start, an error that is the database file's is one sentence naming the file and what to
  do (`cannot_start`), and the command exits 1;
- while serving, damage (SQLite's SQLITE_CORRUPT or SQLITE_NOTADB) is logged once, in words
  naming the file, answered 503 `database_damaged`, and /healthz says `database_damaged`
  until the provider is restarted on a sound file (`Health`).

Anything else (a full disk, a lost PostgreSQL connection) stays what it was: a 500 whose
transaction rolled back, so nothing is stored half-written.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import make_url

log = logging.getLogger("posapp.provider")

DAMAGED = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
READ_ONLY = frozenset({"SQLITE_READONLY", "SQLITE_PERM"})


def sqlite_error(error: BaseException) -> tuple[str, str] | None:
    """(SQLite's error name, its words) of an sqlite3 error, bare or wrapped by SQLAlchemy."""
    cause = getattr(error, "orig", None) or error
    name = getattr(cause, "sqlite_errorname", None)
    return None if name is None else (str(name), str(cause))


def where(url: str) -> str:
    """The database a person can find: the file of a SQLite URL, else the URL without its
    password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "(in memory)"
    return parsed.render_as_string(hide_password=True)


def cannot_start(error: BaseException, url: str) -> str | None:
    """One sentence for an error the database file gave at start, or None when the error is
    not the file's (then it is a fault, and keeps its traceback)."""
    found = sqlite_error(error)
    if found is None:
        return None
    name, words = found
    file = where(url)
    if name in DAMAGED:
        return (
            f"The database {file} is damaged ({words}): restore it from a backup, or move it "
            "away to start with an empty one."
        )
    if name in READ_ONLY:
        return (
            f"The database {file} cannot be written ({words}): make it and its folder "
            "writable for this user (and not immutable), or give another --db."
        )
    if name == "SQLITE_CANTOPEN":
        return (
            f"The database {file} cannot be opened ({words}): check that its folder exists "
            "and is writable for this user (SQLite keeps -wal and -shm files beside it), or "
            "give another --db."
        )
    if name == "SQLITE_FULL":
        return f"The disk holding the database {file} is full: free some space, then start again."
    return f"The database {file} cannot be used ({words}): check the file, or give another --db."


class Health:
    """What the provider knows of its database while it serves: sound until damage is found,
    then damaged until restarted. Damage is logged once, not with every request it fails."""

    def __init__(self, url: str) -> None:
        self.file = where(url)
        self.damage: str | None = None
        self._lock = threading.Lock()

    def damaged_by(self, error: BaseException) -> bool:
        """Whether this error is damage in the database; the first such is logged."""
        found = sqlite_error(error)
        if found is None or found[0] not in DAMAGED:
            return False
        with self._lock:
            first, self.damage = self.damage is None, self.damage or found[1]
        if first:
            log.error(
                "The database %s is damaged (%s): requests that touch the damaged part are "
                "answered 503 database_damaged and /healthz says so. Stop the provider, keep "
                "a copy of the file, and restore it from a backup.",
                self.file,
                found[1],
            )
        return True

    def answer(self) -> tuple[int, dict[str, str]]:
        """/healthz: 200 ok, or 503 once damage was found."""
        if self.damage is None:
            return 200, {"status": "ok"}
        return 503, {
            "status": "database_damaged",
            "detail": "The provider's database is damaged; its log says which file and what to do",
        }
