"""The terminal's journal: every money movement, written before the provider is called and
again when its answer comes (product.md, "The journal and never losing money").

sqlite3 in WAL with synchronous=FULL: an intent that returned has reached the disk, so a
crash after it is settled on the next start. One writer: a lock serialises writes from the
worker threads; readers use their own connections.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from posapp.core.entry import Entry, Outcome, State

# user_version -> the statements that bring the journal from the version before it.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE shifts (
            id INTEGER PRIMARY KEY,
            opened_at REAL NOT NULL,
            closed_at REAL
        )""",
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            shift_id INTEGER NOT NULL REFERENCES shifts(id),
            operation TEXT NOT NULL,
            code TEXT NOT NULL,
            gift_id TEXT,
            amount INTEGER,
            quantity INTEGER,
            currency TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN
                ('pending', 'completed', 'declined', 'unknown', 'settled')),
            outcome TEXT CHECK (outcome IN ('completed', 'declined')),
            transaction_id TEXT,
            balance_after INTEGER,
            error TEXT,
            request TEXT NOT NULL,
            reverses_entry INTEGER REFERENCES entries(id),
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )""",
        "CREATE INDEX entries_by_shift ON entries (shift_id, id)",
        "CREATE INDEX entries_to_settle ON entries (state) WHERE state IN ('pending', 'unknown')",
        """CREATE TABLE receipts (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER REFERENCES entries(id),
            body TEXT NOT NULL,
            printed INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL
        )""",
        """CREATE TABLE pin_attempts (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            failures INTEGER NOT NULL,
            locked_until REAL NOT NULL
        )""",
    ],
}
VERSION = max(MIGRATIONS)

_COLUMNS = (
    "id, shift_id, operation, code, gift_id, amount, quantity, currency, idempotency_key, "
    "state, outcome, transaction_id, balance_after, error, request, created_at, reverses_entry"
)


def _entry(row: sqlite3.Row) -> Entry:
    values = dict(row)
    values["request"] = json.loads(values["request"])
    return Entry(**values)


class Journal:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._local = threading.local()
        with self._write() as db:
            self._migrate(db)

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=True
            )
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # an intent on disk survives a power cut
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > VERSION:
            raise RuntimeError(
                f"The journal {self.path} is from a newer posapp (version {version}); upgrade"
            )
        for target in range(version + 1, VERSION + 1):
            for statement in MIGRATIONS[target]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {target}")

    # --- shifts ---------------------------------------------------------------------------

    def current_shift(self) -> int:
        """The open shift, opened now if there is none."""
        with self._write() as db:
            row = db.execute("SELECT id FROM shifts WHERE closed_at IS NULL").fetchone()
            if row is not None:
                return int(row[0])
            return int(
                db.execute("INSERT INTO shifts (opened_at) VALUES (?)", (time.time(),)).lastrowid
                or 0
            )

    def shift_opened_at(self, shift_id: int) -> float:
        row = (
            self._connect()
            .execute("SELECT opened_at FROM shifts WHERE id = ?", (shift_id,))
            .fetchone()
        )
        return float(row[0])

    def close_shift(self, shift_id: int) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE shifts SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                (time.time(), shift_id),
            )

    # --- entries --------------------------------------------------------------------------

    def intend(
        self,
        *,
        operation: str,
        code: str,
        gift_id: str | None,
        amount: int | None,
        quantity: int | None,
        currency: str,
        key: str,
        request: dict[str, Any],
        reverses_entry: int | None = None,
    ) -> Entry:
        """The intent, on disk before the call (house rule 6)."""
        shift = self.current_shift()
        now = time.time()
        with self._write() as db:
            entry_id = db.execute(
                "INSERT INTO entries (shift_id, operation, code, gift_id, amount, quantity, "
                "currency, idempotency_key, state, request, reverses_entry, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
                (
                    shift,
                    operation,
                    code,
                    gift_id,
                    amount,
                    quantity,
                    currency,
                    key,
                    json.dumps(request),
                    reverses_entry,
                    now,
                    now,
                ),
            ).lastrowid
        return self.entry(int(entry_id or 0))

    def record(
        self,
        entry_id: int,
        state: State,
        *,
        outcome: Outcome | None = None,
        transaction_id: str | None = None,
        balance_after: int | None = None,
        amount: int | None = None,
        quantity: int | None = None,
        code: str | None = None,
        gift_id: str | None = None,
        error: str | None = None,
    ) -> Entry:
        """The outcome. Fields left None keep what the intent said."""
        with self._write() as db:
            db.execute(
                "UPDATE entries SET state = ?, outcome = COALESCE(?, outcome), "
                "transaction_id = COALESCE(?, transaction_id), "
                "balance_after = COALESCE(?, balance_after), amount = COALESCE(?, amount), "
                "quantity = COALESCE(?, quantity), code = COALESCE(?, code), "
                "gift_id = COALESCE(?, gift_id), error = ?, updated_at = ? WHERE id = ?",
                (
                    state,
                    outcome,
                    transaction_id,
                    balance_after,
                    amount,
                    quantity,
                    code,
                    gift_id,
                    error,
                    time.time(),
                    entry_id,
                ),
            )
        return self.entry(entry_id)

    def entry(self, entry_id: int) -> Entry:
        row = (
            self._connect()
            .execute(f"SELECT {_COLUMNS} FROM entries WHERE id = ?", (entry_id,))  # noqa: S608
            .fetchone()
        )
        if row is None:
            raise LookupError(f"no journal entry {entry_id}")
        return _entry(row)

    def entries(self, shift_id: int | None = None) -> list[Entry]:
        db = self._connect()
        if shift_id is None:
            rows = db.execute(f"SELECT {_COLUMNS} FROM entries ORDER BY id").fetchall()  # noqa: S608
        else:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM entries WHERE shift_id = ? ORDER BY id",  # noqa: S608
                (shift_id,),
            ).fetchall()
        return [_entry(r) for r in rows]

    def to_settle(self) -> list[Entry]:
        rows = (
            self._connect()
            .execute(
                f"SELECT {_COLUMNS} FROM entries WHERE state IN ('pending', 'unknown') ORDER BY id"  # noqa: S608
            )
            .fetchall()
        )
        return [_entry(r) for r in rows]

    def count_to_settle(self) -> int:
        return int(
            self._connect()
            .execute("SELECT COUNT(*) FROM entries WHERE state IN ('pending', 'unknown')")
            .fetchone()[0]
        )

    def reversal_of(self, entry_id: int) -> Entry | None:
        row = (
            self._connect()
            .execute(
                f"SELECT {_COLUMNS} FROM entries WHERE reverses_entry = ? AND state != 'declined' "  # noqa: S608
                "AND NOT (state = 'settled' AND outcome = 'declined') ORDER BY id DESC",
                (entry_id,),
            )
            .fetchone()
        )
        return None if row is None else _entry(row)

    # --- receipts kept for reprint (paper out, printer off, or asked) -----------------------

    def keep_receipt(self, entry_id: int | None, body: str) -> int:
        with self._write() as db:
            return int(
                db.execute(
                    "INSERT INTO receipts (entry_id, body, created_at) VALUES (?, ?, ?)",
                    (entry_id, body, time.time()),
                ).lastrowid
                or 0
            )

    def last_receipt(self) -> str | None:
        """The last receipt kept because it could not be printed (for F9 after a restart)."""
        row = (
            self._connect().execute("SELECT body FROM receipts ORDER BY id DESC LIMIT 1").fetchone()
        )
        return None if row is None else str(row[0])

    # --- the manager PIN's failed tries (kept here so a restart does not reset them) -------

    def pin_state(self) -> tuple[int, float]:
        row = self._connect().execute("SELECT failures, locked_until FROM pin_attempts").fetchone()
        return (0, 0.0) if row is None else (int(row[0]), float(row[1]))

    def set_pin_state(self, failures: int, locked_until: float) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO pin_attempts (id, failures, locked_until) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, "
                "locked_until = excluded.locked_until",
                (failures, locked_until),
            )
