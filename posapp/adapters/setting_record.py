"""A manager's settings changes kept in the journal (journal version 12; the store trial of
6 Dec 2026: a change on the settings screen left no trace but the rewritten file).

Two tables: `setting_changes`, a row a key changed (when, who, the key, before and after in
words, NULL for a secret: core/setting_change.py), only added to; and `settings_seen`, the
settings in words as the till last saw them (a secret as a fingerprint), so a file edited by
hand is found at the next start and kept as "changed outside the till". SQL on the journal's
own connection; the Journal calls these."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from posapp.core.setting_change import SettingChange, differences

# Journal version 12.
MIGRATION = [
    """CREATE TABLE setting_changes (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        who TEXT NOT NULL,
        key TEXT NOT NULL,
        before TEXT,
        after TEXT
    )""",
    "CREATE INDEX setting_changes_by_time ON setting_changes (at, id)",
    """CREATE TABLE settings_seen (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        words TEXT NOT NULL
    )""",
]


def see(
    db: sqlite3.Connection, words: Mapping[str, str], *, at: float, who: str
) -> list[SettingChange]:
    """The settings as they are now: each key that differs from what was last seen is kept
    as a change by `who`, and they become what was seen. The first time nothing was seen
    yet: nothing to compare, they are only kept."""
    row = db.execute("SELECT words FROM settings_seen WHERE id = 1").fetchone()
    changes = [] if row is None else differences(json.loads(row[0]), words, at=at, who=who)
    if changes and db.execute("SELECT 1 FROM shifts WHERE closed_at IS NULL").fetchone() is None:
        # A change belongs to a shift, whose X and Z list it: one made after a Z report
        # opens the next shift, as a movement would (Journal.current_shift).
        db.execute("INSERT INTO shifts (opened_at) VALUES (?)", (at,))
    db.executemany(
        "INSERT INTO setting_changes (at, who, key, before, after) VALUES (?, ?, ?, ?, ?)",
        [(c.at, c.who, c.key, c.before, c.after) for c in changes],
    )
    db.execute(
        "INSERT INTO settings_seen (id, words) VALUES (1, ?) "
        "ON CONFLICT (id) DO UPDATE SET words = excluded.words",
        (json.dumps(dict(words)),),
    )
    return changes


def between(db: sqlite3.Connection, since: float, until: float) -> list[SettingChange]:
    """The changes kept from `since` up to `until`, oldest first, by index."""
    rows = db.execute(
        "SELECT at, who, key, before, after FROM setting_changes "
        "WHERE at >= ? AND at <= ? ORDER BY at, id",
        (since, until),
    ).fetchall()
    return [SettingChange(float(r[0]), str(r[1]), str(r[2]), r[3], r[4]) for r in rows]
