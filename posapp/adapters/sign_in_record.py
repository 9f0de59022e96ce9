"""Who was signed in at the till, and from when, kept in the journal (issue 19, the second
trial: a restart lost the sign-ins, and the X and Z reports said "Cashier not known" for a
time whose receipts all said "Ann"; Bea's sign-in, "until the Z report", was gone after it).

A sign-in is a row: when, the name ("" for none), and how it came: the config's name at a
start (`start`), a manager's sign-in screen (`manager`), or the config's name again once a Z
report closed the shift (`z_report`). Rows are only added. SQL on the journal's own
connection; the Journal calls these."""

from __future__ import annotations

import sqlite3

from posapp.core.sign_in import How, SignIn

# Journal version 10.
MIGRATION = [
    """CREATE TABLE sign_ins (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        name TEXT NOT NULL,
        how TEXT NOT NULL CHECK (how IN ('start', 'manager', 'z_report'))
    )""",
    "CREATE INDEX sign_ins_by_time ON sign_ins (at, id)",
]


def add(db: sqlite3.Connection, at: float, name: str, how: How) -> None:
    db.execute("INSERT INTO sign_ins (at, name, how) VALUES (?, ?, ?)", (at, name, how))


def last(db: sqlite3.Connection) -> SignIn | None:
    row = db.execute(
        "SELECT at, name, how FROM sign_ins ORDER BY at DESC, id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else SignIn(float(row[0]), str(row[1]), row[2])


def between(db: sqlite3.Connection, since: float, until: float) -> list[SignIn]:
    """The sign-in in force at `since` (the last one at or before it), then each made after
    it up to `until`, oldest first: by index, a few rows whatever the journal holds."""
    before = db.execute(
        "SELECT at, name, how FROM sign_ins WHERE at <= ? ORDER BY at DESC, id DESC LIMIT 1",
        (since,),
    ).fetchall()
    during = db.execute(
        "SELECT at, name, how FROM sign_ins WHERE at > ? AND at <= ? ORDER BY at, id",
        (since, until),
    ).fetchall()
    return [SignIn(float(r[0]), str(r[1]), r[2]) for r in [*before, *during]]
