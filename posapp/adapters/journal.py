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
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NoReturn

from posapp.adapters import pin_record, sale_record, setting_record, sign_in_record
from posapp.adapters.journal_health import FileWatch, unwritable
from posapp.adapters.journal_migrations import MIGRATIONS, VERSION
from posapp.adapters.journal_reads import JournalReads, provider_time
from posapp.adapters.offline_record import OfflineRecords
from posapp.core.entry import Entry, Outcome, State
from posapp.core.gift import Movement
from posapp.core.intent import Intent
from posapp.core.pin_lock import PinLock
from posapp.core.sale import Sale, SaleState
from posapp.core.setting_change import SettingChange
from posapp.core.sign_in import How, SignIn
from posapp.terminal.ports import JournalUnwritable

log = logging.getLogger("posapp.journal")


# An answer kept for the manager is cut to this many characters (answers are bounded at
# 1 MB by provider_http; a manager reads the start).
ANSWER_KEPT = 64 * 1024


def _in_words(path: Path, error: BaseException) -> NoReturn:
    """Raise the error of the journal's file in words (journal_health), or as it is."""
    words = unwritable(path, error)
    if words is not None:
        raise words from error
    raise error


class Journal(JournalReads, OfflineRecords):
    """The journal's file, opened (and brought to VERSION) and written; its reads are
    JournalReads'."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        # The till's clock, for when shifts and entries were made (a test sets it off the
        # provider's: reconciliation must not depend on it, issue 18.8).
        self.clock = clock
        # Reentrant: an outcome's write takes the lock, then writes what is held with it.
        self._lock = threading.RLock()
        self._local = threading.local()
        # Outcomes not written yet, in order: the entry and its columns.
        self._held: list[tuple[int, dict[str, str | int | float | None]]] = []
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

    def close_shift(self, shift_id: int, *, then: SignIn | None = None) -> None:
        """The shift closed; `then`, the sign-in that lasts into the next shift, written in
        the same commit (one write for the Z report: its second commit doubled the Z's time,
        benchmarks/journal_growth.py, and a crash between the two lost the sign-in)."""
        with self._write() as db:
            db.execute(
                "UPDATE shifts SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                (self.clock(), shift_id),
            )
            if then is not None:
                sign_in_record.add(db, then.at, then.name, then.how)

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
        sale_id: int | None = None,
    ) -> Entry:
        """The intent, on disk before the call (house rule 6); a manager change with who
        made it and what the card held before; a sale's payment (or its reversal) with its
        sale, in the same write (a till killed after it finds the payment in the sale)."""
        shift = self.current_shift()
        now = self.clock()
        with self._write() as db:
            entry_id = db.execute(
                "INSERT INTO entries (shift_id, operation, code, gift_id, amount, quantity, "
                "currency, idempotency_key, state, intent, reverses_entry, created_at, updated_at, "
                "item_label, who, balance_before, sale_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    sale_id,
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
        try:  # what offline selling trusts of the card (version 14); never fails the movement
            if self.keeps_last_known:
                self.see_card(movement.gift, self.clock())
        except JournalUnwritable as exc:
            log.warning("the card's balance was not kept for offline selling: %s", exc)
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

    # --- the manager PIN's failed tries (kept here so a restart does not reset them) -------

    def set_pin_lock(self, lock: PinLock, *, wrong: bool) -> None:
        with self._write() as db:
            pin_record.write(db, lock, lock.last_wrong_at if wrong else None)

    # --- who was signed in (version 10) ------------------------------------------------------

    def sign_in(self, at: float, name: str, how: How) -> None:
        with self._write() as db:
            sign_in_record.add(db, at, name, how)

    # --- a manager's settings changes (version 12) ----------------------------------------

    def see_settings(self, words: Mapping[str, str], who: str) -> list[SettingChange]:
        """The settings in words as they are now: what changed since last seen is kept, by
        `who` (core/setting_change.py), in one commit with what is seen now."""
        with self._write() as db:
            return setting_record.see(db, words, at=self.clock(), who=who)

    # --- sales paid card by card (version 13) ----------------------------------------------

    def open_sale(self, due: int, currency: str, ticket: str | None) -> Sale:
        """A sale opened in the current shift, on disk before its first payment."""
        shift = self.current_shift()
        with self._write() as db:
            return sale_record.open_sale(db, shift, due, currency, ticket, self.clock())

    def close_sale(self, sale_id: int, state: SaleState) -> bool:
        """The open sale ended as `state`; False when it had ended already."""
        with self._write() as db:
            return sale_record.close_sale(db, sale_id, state, self.clock())

    def sale_printed(self, sale_id: int) -> None:
        """The sale's receipt went to the printer (version 15)."""
        with self._write() as db:
            sale_record.mark_printed(db, sale_id, self.clock())
