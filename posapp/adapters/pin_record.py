"""The manager PIN's lock in the journal (core.pin_lock), and each wrong PIN with its time for
the shift's X and Z reports. SQL on the journal's own connection; the Journal calls these."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

from posapp.core.pin_lock import FIRST_LOCK_S, PinLock

# Journal version 6 (issue 18.8): the lock as its length and start (pin_lock.state, a
# PinLock as JSON) instead of an absolute wall-clock time, and every wrong PIN kept with its
# time (and whether it locked the PIN) for the reports.
MIGRATION = [
    """CREATE TABLE pin_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL
    )""",
    """CREATE TABLE wrong_pins (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        locked INTEGER NOT NULL
    )""",
    "CREATE INDEX wrong_pins_by_time ON wrong_pins (at)",
]


def from_version_5(db: sqlite3.Connection) -> None:
    """pin_attempts' count carries over; its lock, an absolute time, becomes a lock of the
    first length that ended at that time (core.pin_lock bounds it by its length)."""
    row = db.execute("SELECT failures, locked_until FROM pin_attempts").fetchone()
    if row is None:
        return
    failures, locked_until = int(row[0]), float(row[1])
    lock = PinLock(tries=failures, wrong=failures)
    if locked_until > 0:
        lock = dataclasses.replace(
            lock, lockouts=1, lock_s=FIRST_LOCK_S, locked_at=locked_until - FIRST_LOCK_S
        )
    write(db, lock)


def read(db: sqlite3.Connection) -> PinLock:
    row = db.execute("SELECT state FROM pin_lock WHERE id = 1").fetchone()
    if row is None:
        return PinLock()
    known = {f.name for f in dataclasses.fields(PinLock)}
    return PinLock(**{k: v for k, v in json.loads(row[0]).items() if k in known})


def write(db: sqlite3.Connection, lock: PinLock, wrong_at: float | None = None) -> None:
    db.execute(
        "INSERT INTO pin_lock (id, state) VALUES (1, ?) "
        "ON CONFLICT (id) DO UPDATE SET state = excluded.state",
        (json.dumps(dataclasses.asdict(lock)),),
    )
    if wrong_at is not None:
        db.execute(
            "INSERT INTO wrong_pins (at, locked) VALUES (?, ?)",
            (wrong_at, int(lock.tries == 0 and lock.lock_s > 0)),
        )


def wrong_since(
    db: sqlite3.Connection, since: float, until: float | None = None
) -> tuple[int, int]:
    """Wrong PINs entered since `since` (wall clock) and before `until` (None: now), and how
    many of them locked the PIN."""
    row = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(locked), 0) FROM wrong_pins WHERE at >= ? "
        "AND (? IS NULL OR at < ?)",
        (since, until, until),
    ).fetchone()
    return int(row[0]), int(row[1])
