"""The terminal's journal: every money movement, written before the provider is called and
again when its answer comes (product.md, "The journal and never losing money").

sqlite3 in WAL with synchronous=FULL: an intent that returned has reached the disk, so a
crash after it is settled on the next start. One writer: a lock serialises writes from the
worker threads; readers use their own connections.

A write that the file cannot take (disk full, read-only, the file deleted or replaced while
the till runs: journal_health) raises JournalUnwritable in words. An intent that cannot be
written stops the movement before the call; an outcome that cannot be written is kept in
memory, in order, and written with the next write that succeeds (the settler tries: issue
18), so what the provider said is not lost while the disk is full.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from posapp.adapters import item_totals, pin_record, sign_in_record, taken_in
from posapp.adapters.journal_health import FileWatch, unwritable
from posapp.core import intent as intents
from posapp.core.entry import Entry, Outcome, State
from posapp.core.gift import Movement
from posapp.core.intent import Intent
from posapp.core.pin_lock import PinLock
from posapp.core.reports import ORDER, Totals
from posapp.core.sign_in import How, SignIn
from posapp.terminal.ports import JournalUnwritable

log = logging.getLogger("posapp.journal")


def intent_from_v1_request(row: sqlite3.Row) -> Intent:
    """A version-1 entry's recorded HTTP request (api.md path and body) as the intent it
    carried. Only these five requests were ever written by version 1."""
    request = json.loads(row["request"])
    path, body = request["path"], request.get("body") or {}
    operation = row["operation"]
    if m := re.fullmatch(r"/v1/gifts/([^/]+)/redemptions", path):
        if operation == "cash_out":  # config.md cash_out = "redeem": the whole balance
            return intents.cash_out(m[1], body["amount"])
        return intents.redeem(
            m[1],
            amount=body.get("amount"),
            quantity=body.get("quantity"),
            use_all=bool(body.get("allow_partial")),
            reference=body.get("reference"),
        )
    if m := re.fullmatch(r"/v1/gifts/([^/]+)/cash-out", path):
        return intents.cash_out(m[1], row["amount"], reference=body.get("reference"))
    if m := re.fullmatch(r"/v1/transactions/([^/]+)/reversal", path):
        return intents.reverse(
            m[1],
            gift_id=row["gift_id"],
            amount=row["amount"],
            quantity=row["quantity"],
            reason=body.get("reason"),
        )
    if path == "/v1/gift-cards/activations":
        return intents.activate(body["code"], body["amount"], reference=body.get("reference"))
    if path == "/v1/gift-cards/issues":
        email = (body.get("recipient") or {}).get("email")
        return intents.issue(body["amount"], recipient_email=email)
    raise RuntimeError(f"journal entry {row['id']}: a request version 1 never made: {path}")


def _requests_to_intents(db: sqlite3.Connection) -> None:
    """Version 2: entries keep the intent, not an HTTP request (house rule 14), so that
    an entry left pending by version 1 settles through whichever adapter runs now."""
    db.execute("ALTER TABLE entries ADD COLUMN intent TEXT")
    for row in db.execute("SELECT id, operation, gift_id, amount, quantity, request FROM entries"):
        intent = intent_from_v1_request(row)
        db.execute(
            "UPDATE entries SET intent = ? WHERE id = ?",
            (json.dumps(intent.to_json()), row["id"]),
        )
    db.execute("ALTER TABLE entries DROP COLUMN request")


def _kind(row: str) -> str:
    """Which of a report's columns an entry counts in (core.reports.totals): its money moved,
    it waits to be settled, or it was declined or never sent."""
    return (
        f"CASE WHEN {row}.state = 'completed' OR ({row}.state = 'settled' AND "
        f"{row}.outcome = 'completed') THEN 'moved' "
        f"WHEN {row}.state IN ('pending', 'unknown') THEN 'to_settle' ELSE 'declined' END"
    )


_ADD = (
    "ON CONFLICT (shift_id, operation, kind) DO UPDATE SET "
    "entries = entries + excluded.entries, amount = amount + excluded.amount;"
)


def _cash_back(row: str) -> str:
    """The rows of a reversal whose money went back to the card from a cash-out of the same
    shift: the drawer got that cash back (core.reports.totals)."""
    return (
        f"FROM entries AS o WHERE o.id = {row}.reverses_entry AND o.operation = 'cash_out' "
        f"AND o.shift_id = {row}.shift_id AND {row}.operation = 'reversal' "
        f"AND {_kind(row)} = 'moved'"
    )


def _totals_change(row: str, sign: int) -> str:
    """Trigger statements adding (sign 1) or taking away (-1) a row's share of the totals."""
    # Only our own fragments are formatted in; no value from outside.
    return f"""
        INSERT INTO shift_totals (shift_id, operation, kind, entries, amount)
            VALUES ({row}.shift_id, {row}.operation, {_kind(row)}, {sign},
                    {sign} * COALESCE({row}.amount, 0)) {_ADD}
        INSERT INTO shift_totals (shift_id, operation, kind, entries, amount)
            SELECT {row}.shift_id, 'cash_back', 'moved', {sign},
                   {sign} * COALESCE({row}.amount, 0) {_cash_back(row)} {_ADD}"""  # noqa: S608


# A receipt number: the journal's prefix (6 digits, no leading zero), then the entry's id with
# at least 6 digits, made even in length: digits only (the till looks up nothing else, issue
# 14), printed in CODE128's code set C. 12 digits are 101 modules, 2.5 cm at 2 dots a module
# and 203 dpi; a 38-letter Square activity id in code set B is 453, 906 dots: wider than
# 80 mm paper (576 dots).
PREFIX_DIGITS = 6


def _draw_prefix(db: sqlite3.Connection) -> None:
    low = 10 ** (PREFIX_DIGITS - 1)
    prefix = str(low + secrets.randbelow(9 * low))
    db.execute("INSERT INTO receipt_numbers (id, prefix) VALUES (1, ?)", (prefix,))


# user_version -> the steps (SQL, or a function for what SQL cannot say) that bring the
# journal from the version before it. Append only: a till may skip versions.
Step = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, list[Step]] = {
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
    2: [_requests_to_intents],
    # Version 3 (issue 14): what runs per scan and per report does not grow with the shift.
    3: [
        # A receipt's barcode is a transaction id: found by index, not by reading the shift.
        "CREATE INDEX entries_by_transaction ON entries (transaction_id) "
        "WHERE transaction_id IS NOT NULL",
        "CREATE INDEX entries_by_reversed ON entries (reverses_entry) "
        "WHERE reverses_entry IS NOT NULL",
        # X and Z totals, kept by the database as entries are written (core.reports.totals
        # says what each one counts): a report reads a few rows, whatever the shift holds.
        """CREATE TABLE shift_totals (
            shift_id INTEGER NOT NULL REFERENCES shifts(id),
            operation TEXT NOT NULL,
            kind TEXT NOT NULL,
            entries INTEGER NOT NULL,
            amount INTEGER NOT NULL,
            PRIMARY KEY (shift_id, operation, kind)
        )""",
        f"""INSERT INTO shift_totals
            SELECT e.shift_id, e.operation, {_kind("e")}, COUNT(*), SUM(COALESCE(e.amount, 0))
            FROM entries AS e GROUP BY 1, 2, 3""",  # noqa: S608
        f"""INSERT INTO shift_totals
            SELECT e.shift_id, 'cash_back', 'moved', COUNT(*), SUM(COALESCE(e.amount, 0))
            FROM entries AS e WHERE EXISTS (SELECT 1 {_cash_back("e")}) GROUP BY 1""",  # noqa: S608
        f"""CREATE TRIGGER shift_totals_insert AFTER INSERT ON entries BEGIN
            {_totals_change("NEW", 1)}
        END""",
        f"""CREATE TRIGGER shift_totals_update AFTER UPDATE ON entries BEGIN
            {_totals_change("OLD", -1)}
            {_totals_change("NEW", 1)}
        END""",
    ],
    # Version 4: a receipt's barcode is the journal's own receipt number (receipt_number),
    # not the provider's id (Square's are 38 letters long, too wide for the paper). Its
    # prefix is this journal's, drawn once: another till's receipt is not found here.
    4: [
        """CREATE TABLE receipt_numbers (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            prefix TEXT NOT NULL
        )""",
        _draw_prefix,
    ],
    # Version 5: an item gift's movements keep the item's name ("1 × Coffee" on the reversal
    # list, its PIN prompt and receipts; the provider's transactions do not carry it).
    5: ["ALTER TABLE entries ADD COLUMN item_label TEXT"],
    # Version 6 (issue 18.8): the manager PIN's lock as its length and start, and each
    # wrong PIN kept for the reports (posapp/adapters/pin_record.py).
    6: [*pin_record.MIGRATION, pin_record.from_version_5, "DROP TABLE pin_attempts"],
    # Version 7 (issue 18.3, 18.8): a 2xx answer that did not add up, kept as it came for
    # the manager (core/answer.py); and when the provider made each transaction by its own
    # clock, which reconciliation asks by, not the till's.
    7: [
        "ALTER TABLE entries ADD COLUMN answer TEXT",
        "ALTER TABLE entries ADD COLUMN provider_at REAL",
    ],
    # Version 8 (issue 19.15): an item gift's movements counted apart in the reports.
    8: [*item_totals.MIGRATION],
    # Version 9 (issue 19.2): a manager's money changes are entries too (a balance set, a
    # card created with a balance, a card canceled holding money): who made each, and what
    # the card held before; the X and Z reports list a shift's by index.
    9: [
        "ALTER TABLE entries ADD COLUMN who TEXT",
        "ALTER TABLE entries ADD COLUMN balance_before INTEGER",
        "CREATE INDEX entries_manager_changes ON entries (shift_id, id) "
        "WHERE operation IN ('adjustment', 'card_created', 'card_canceled')",
    ],
    # Version 10 (issue 19, the second trial): who was signed in from when, kept across a
    # restart (posapp/adapters/sign_in_record.py); the cards issued as refunds found by
    # index, whatever shift they were issued in (F12, Refund cards).
    10: [
        *sign_in_record.MIGRATION,
        "CREATE INDEX entries_issued ON entries (created_at) WHERE operation = 'issue'",
    ],
}
# An answer kept for the manager is cut to this many characters (answers are bounded at
# 1 MB by provider_http; a manager reads the start).
ANSWER_KEPT = 64 * 1024
VERSION = max(MIGRATIONS)

_COLUMNS = (
    "id, shift_id, operation, code, gift_id, amount, quantity, currency, idempotency_key, "
    "state, outcome, transaction_id, balance_after, error, intent, created_at, reverses_entry, "
    "item_label, answer, provider_at, who, balance_before"
)


def provider_time(moment: datetime) -> float | None:
    """A provider's created_at as epoch seconds; None where it did not say one."""
    if moment == datetime.min or moment.tzinfo is None:
        return None
    return moment.timestamp()


def _entry(row: sqlite3.Row) -> Entry:
    values = dict(row)
    values["intent"] = Intent.from_json(json.loads(values["intent"]))
    return Entry(**values)


def _in_words(path: Path, error: BaseException) -> NoReturn:
    """Raise the error of the journal's file in words (journal_health), or as it is."""
    words = unwritable(path, error)
    if words is not None:
        raise words from error
    raise error


class Journal:
    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        # The till's clock, for when shifts and entries were made (a test sets it off the
        # provider's: reconciliation must not depend on it, issue 18.8).
        self.clock = clock
        # Reentrant: an outcome's write takes the lock, then writes what is held with it.
        self._lock = threading.RLock()
        self._local = threading.local()
        self._held: list[tuple[int, dict[str, Any]]] = []  # outcomes not written yet, in order
        self._file = FileWatch(path)  # deleted or replaced while the till runs
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _in_words(path, exc)
        try:
            with self._write() as db:
                self._migrate(db)
                # A journal that opens but cannot be written (a read-only file) says so now,
                # at start, not at the first sale: this rewrites the header's own value.
                db.execute(f"PRAGMA user_version = {VERSION}")
                self._prefix = str(
                    db.execute("SELECT prefix FROM receipt_numbers WHERE id = 1").fetchone()[0]
                )
        except BaseException:
            self.close()
            raise
        self._file.opened()

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            if self._file.gone is not None:
                # A new connection would open whatever is at the path now, and make a -wal
                # there beside our old one's: this run reads only through its open ones.
                raise self._file.gone
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
        if self._held:
            try:
                self.write_held()
            except JournalUnwritable as exc:  # pending on disk: the next start settles them
                log.error("%d outcomes could not be written at close: %s", len(self._held), exc)
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
        with self._lock:
            self._file.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._file.check()
            try:
                db = self._connect()
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                _in_words(self.path, exc)
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                # A full disk may have rolled the transaction back already (or may fail the
                # COMMIT and leave it open): roll back only what is still open.
                if db.in_transaction:
                    with suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    _in_words(self.path, exc)
                raise

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > VERSION:
            raise RuntimeError(
                f"The journal {self.path} is from a newer posapp (version {version}); upgrade"
            )
        for target in range(version + 1, VERSION + 1):
            for step in MIGRATIONS[target]:
                if isinstance(step, str):
                    db.execute(step)
                else:
                    step(db)
            db.execute(f"PRAGMA user_version = {target}")

    # --- shifts ---------------------------------------------------------------------------

    def current_shift(self) -> int:
        """The open shift, opened now if there is none."""
        with self._write() as db:
            row = db.execute("SELECT id FROM shifts WHERE closed_at IS NULL").fetchone()
            if row is not None:
                return int(row[0])
            return int(
                db.execute("INSERT INTO shifts (opened_at) VALUES (?)", (self.clock(),)).lastrowid
                or 0
            )

    def shift_opened_at(self, shift_id: int) -> float:
        row = (
            self._connect()
            .execute("SELECT opened_at FROM shifts WHERE id = ?", (shift_id,))
            .fetchone()
        )
        return float(row[0])

    def last_closed_shift(self) -> tuple[int, float, float] | None:
        """The shift the last Z report closed: its id, when it opened and when it closed."""
        row = (
            self._connect()
            .execute(
                "SELECT id, opened_at, closed_at FROM shifts WHERE closed_at IS NOT NULL "
                "ORDER BY id DESC LIMIT 1"
            )
            .fetchone()
        )
        return None if row is None else (int(row[0]), float(row[1]), float(row[2]))

    def close_shift(self, shift_id: int) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE shifts SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                (self.clock(), shift_id),
            )

    # --- entries --------------------------------------------------------------------------

    def intend(
        self,
        intent: Intent,
        *,
        code: str,
        currency: str,
        key: str,
        reverses_entry: int | None = None,
        item_label: str | None = None,
        who: str | None = None,
        balance_before: int | None = None,
    ) -> Entry:
        """The intent, on disk before the call (house rule 6); a manager change with who
        made it and what the card held before."""
        shift = self.current_shift()
        now = self.clock()
        with self._write() as db:
            entry_id = db.execute(
                "INSERT INTO entries (shift_id, operation, code, gift_id, amount, quantity, "
                "currency, idempotency_key, state, intent, reverses_entry, created_at, updated_at, "
                "item_label, who, balance_before) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)",
                (
                    shift,
                    intent.operation,
                    code,
                    intent.gift_id,
                    intent.amount,
                    intent.quantity,
                    currency,
                    key,
                    json.dumps(intent.to_json()),
                    reverses_entry,
                    now,
                    now,
                    item_label,
                    who,
                    balance_before,
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
        answer: str | None = None,
        provider_at: float | None = None,
    ) -> Entry:
        """The outcome. Fields left None keep what the intent said (`answer`: a provider's
        answer that did not add up, kept; `provider_at`: when the provider made the
        transaction, by its clock). One the file cannot take
        is kept in memory and written, in order, with the next write that succeeds
        (write_held); JournalUnwritable(held=True) says so."""
        with self._lock:
            held = (
                entry_id,
                {
                    "state": state,
                    "outcome": outcome,
                    "transaction_id": transaction_id,
                    "balance_after": balance_after,
                    "amount": amount,
                    "quantity": quantity,
                    "code": code,
                    "gift_id": gift_id,
                    "error": error,
                    "answer": None if answer is None else answer[:ANSWER_KEPT],
                    "provider_at": provider_at,
                    "updated_at": self.clock(),
                },
            )
            self._held.append(held)
            try:
                self.write_held()
            except JournalUnwritable:
                raise
            except BaseException:  # not the file's fault: not kept to fail again
                self._held.remove(held)
                raise
        return self.entry(entry_id)

    def write_held(self) -> None:
        """The outcomes kept in memory, written now in one transaction; JournalUnwritable
        (held=True) while the file still cannot take them."""
        with self._lock:
            if not self._held:
                # Nothing waits; a file gone is still said, so the settler sends nothing
                # whose answer this run could not write.
                self._file.check()
                return
            try:
                with self._write() as db:
                    for entry_id, values in self._held:
                        db.execute(
                            "UPDATE entries SET state = :state, "
                            "outcome = COALESCE(:outcome, outcome), "
                            "transaction_id = COALESCE(:transaction_id, transaction_id), "
                            "balance_after = COALESCE(:balance_after, balance_after), "
                            "amount = COALESCE(:amount, amount), "
                            "quantity = COALESCE(:quantity, quantity), "
                            "code = COALESCE(:code, code), gift_id = COALESCE(:gift_id, gift_id), "
                            "answer = COALESCE(:answer, answer), "
                            "provider_at = COALESCE(:provider_at, provider_at), "
                            "error = :error, updated_at = :updated_at WHERE id = :id",
                            {**values, "id": entry_id},
                        )
            except JournalUnwritable as exc:
                raise JournalUnwritable(exc.path, exc.problem, exc.fix, held=True) from exc
            self._held.clear()

    def held(self) -> list[int]:
        """The entries whose outcome waits in memory (pending on disk until written)."""
        with self._lock:
            return [entry_id for entry_id, _values in self._held]

    def record_movement(self, entry_id: int, movement: Movement, *, settled: bool) -> Entry:
        """A movement the provider confirmed: at once ("completed") or by the settler."""
        txn = movement.transaction
        return self.record(
            entry_id,
            "settled" if settled else "completed",
            outcome="completed" if settled else None,
            transaction_id=txn.id,
            balance_after=txn.balance_after,
            amount=txn.amount,
            quantity=txn.quantity,
            code=movement.gift.code,
            gift_id=movement.gift.id,
            provider_at=provider_time(txn.created_at),
        )

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

    def shift_page(self, shift_id: int, before: int | None = None, limit: int = 20) -> list[Entry]:
        """Up to `limit` of the shift's entries older than entry `before` (the newest when
        None), oldest first: a screenful, by index, whatever the shift holds."""
        rows = (
            self._connect()
            .execute(
                f"SELECT {_COLUMNS} FROM entries WHERE shift_id = ? AND id < ? "  # noqa: S608
                "ORDER BY id DESC LIMIT ?",
                (shift_id, 2**63 - 1 if before is None else before, limit),
            )
            .fetchall()
        )
        return [_entry(r) for r in reversed(rows)]

    def entry_for_transaction(self, shift_id: int | None, transaction_id: str) -> Entry | None:
        """The shift's entry of the provider's transaction (a receipt's barcode), by index;
        shift None: any shift's (a receipt kept from an earlier one, issue 19.13)."""
        row = (
            self._connect()
            .execute(
                f"SELECT {_COLUMNS} FROM entries WHERE transaction_id = ? "  # noqa: S608
                "AND (? IS NULL OR shift_id = ?) ORDER BY id LIMIT 1",
                (transaction_id, shift_id, shift_id),
            )
            .fetchone()
        )
        return None if row is None else _entry(row)

    def provider_time_before(self, shift_id: int) -> float | None:
        """When the provider made the last transaction journalled before this shift, by its
        own clock (version 7's provider_at), or None: where reconciliation starts asking.
        By the primary key, newest first: it stops at the first such entry."""
        row = (
            self._connect()
            .execute(
                "SELECT provider_at FROM entries WHERE shift_id < ? AND provider_at IS NOT NULL "
                "ORDER BY id DESC LIMIT 1",
                (shift_id,),
            )
            .fetchone()
        )
        return None if row is None else float(row[0])

    def known_transactions(self, transaction_ids: Iterable[str]) -> set[str]:
        """Those of the provider's transactions some entry of any shift has, by index."""
        db = self._connect()
        return {
            tid
            for tid in set(transaction_ids)
            if db.execute(
                "SELECT 1 FROM entries WHERE transaction_id = ? LIMIT 1", (tid,)
            ).fetchone()
        }

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Those of the keys (the provider's client references) some entry of any shift has,
        by the key's unique index."""
        db = self._connect()
        return {
            key
            for key in set(keys)
            if db.execute("SELECT 1 FROM entries WHERE idempotency_key = ?", (key,)).fetchone()
        }

    def receipt_number(self, entry_id: int) -> str:
        """What the entry's receipt carries as its barcode (version 4): digits only."""
        number = f"{self._prefix}{entry_id:06d}"
        return number if len(number) % 2 == 0 else f"{self._prefix}0{entry_id:06d}"

    def entry_for_receipt(self, shift_id: int | None, number: str) -> Entry | None:
        """The shift's entry whose receipt carries `number`, by its id (shift None: any
        shift's); None for a number this journal did not make (another till's, or any other
        digits)."""
        entry_id = number[PREFIX_DIGITS:]
        if not (number.startswith(self._prefix) and entry_id.isdigit()) or len(entry_id) > 18:
            return None
        row = (
            self._connect()
            .execute(
                f"SELECT {_COLUMNS} FROM entries WHERE id = ? AND (? IS NULL OR shift_id = ?)",  # noqa: S608
                (int(entry_id), shift_id, shift_id),
            )
            .fetchone()
        )
        return None if row is None else _entry(row)

    def shift_totals(self, shift_id: int) -> tuple[Totals, str | None]:
        """The shift's X/Z totals as the database keeps them (version 3's shift_totals), and
        the currency of its first entry (None for an empty shift)."""
        db = self._connect()
        counts, amounts = dict.fromkeys(ORDER, 0), dict.fromkeys(ORDER, 0)
        waiting = declined = cash_back = 0
        for operation, kind, entries, amount in db.execute(
            "SELECT operation, kind, entries, amount FROM shift_totals WHERE shift_id = ?",
            (shift_id,),
        ):
            if operation == "cash_back":
                cash_back += amount
            elif kind == "moved":
                counts[operation] = counts.get(operation, 0) + entries
                amounts[operation] = amounts.get(operation, 0) + amount
            elif kind == "to_settle":
                waiting += entries
            else:
                declined += entries
        items = item_totals.read(db, shift_id)
        for item in items:  # shift_totals counts them among the money: they are apart
            counts[item.operation] -= item.entries
        first = db.execute(
            "SELECT currency FROM entries WHERE shift_id = ? ORDER BY id LIMIT 1", (shift_id,)
        ).fetchone()
        cash = amounts["cash_out"] - cash_back
        sold = taken_in.read(db, shift_id, amounts["activation"])  # less the voided ones
        return Totals(counts, amounts, cash, waiting, declined, items, sold), first and first[0]

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

    def manager_changes(self, shift_id: int) -> list[Entry]:
        """The shift's manager changes, oldest first, by version 9's index (the X and Z
        reports list each: a few rows, whatever else the shift holds)."""
        rows = (
            self._connect()
            .execute(
                f"SELECT {_COLUMNS} FROM entries WHERE shift_id = ? "  # noqa: S608
                "AND operation IN ('adjustment', 'card_created', 'card_canceled') ORDER BY id",
                (shift_id,),
            )
            .fetchall()
        )
        return [_entry(r) for r in rows]

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
                    (entry_id, body, self.clock()),
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

    def pin_lock(self) -> PinLock:
        return pin_record.read(self._connect())

    def set_pin_lock(self, lock: PinLock, *, wrong: bool) -> None:
        with self._write() as db:
            pin_record.write(db, lock, lock.last_wrong_at if wrong else None)

    def wrong_pins_since(self, since: float, until: float | None = None) -> tuple[int, int]:
        """Wrong manager PINs entered since `since` (and before `until`), and how many
        locked the PIN."""
        return pin_record.wrong_since(self._connect(), since, until)

    # --- who was signed in (version 10) ------------------------------------------------------

    def sign_in(self, at: float, name: str, how: How) -> None:
        with self._write() as db:
            sign_in_record.add(db, at, name, how)

    def last_sign_in(self) -> SignIn | None:
        return sign_in_record.last(self._connect())

    def sign_ins(self, since: float, until: float) -> list[SignIn]:
        """The sign-in in force at `since`, then those made up to `until`."""
        return sign_in_record.between(self._connect(), since, until)

    def refunds_issued(self, since: float, limit: int) -> list[Entry]:
        """The refunds to a new card made since `since`, newest first, whatever their shift
        (version 10's index)."""
        rows = (
            self._connect()
            .execute(
                f"SELECT {_COLUMNS} FROM entries WHERE operation = 'issue' "  # noqa: S608
                "AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT ?",
                (since, limit),
            )
            .fetchall()
        )
        return [_entry(r) for r in rows]
