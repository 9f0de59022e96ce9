"""The journal's reads: entries, shifts, totals, receipts, PIN tries and sign-ins, each by
an index, so what runs per scan and per report does not grow with the shift (issue 14).

`JournalReads` is the base of posapp.adapters.journal.Journal, which opens the file and
writes; readers use their own connection per thread (sqlite3 in WAL lets them read while
the one writer writes).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from posapp.adapters import (
    item_totals,
    pin_record,
    sale_record,
    setting_record,
    sign_in_record,
    taken_in,
)
from posapp.adapters.journal_health import FileWatch
from posapp.adapters.journal_migrations import PREFIX_DIGITS
from posapp.core.entry import Entry
from posapp.core.intent import Intent
from posapp.core.pin_lock import PinLock
from posapp.core.reports import ORDER, Totals
from posapp.core.sale import Sale
from posapp.core.setting_change import SettingChange
from posapp.core.sign_in import SignIn

_COLUMNS = (
    "id, shift_id, operation, code, gift_id, amount, quantity, currency, idempotency_key, "
    "state, outcome, transaction_id, balance_after, error, intent, created_at, reverses_entry, "
    "item_label, answer, provider_at, who, balance_before, sale_id, offline"
)


def provider_time(moment: datetime) -> float | None:
    """A provider's created_at as epoch seconds; None where it did not say one."""
    if moment == datetime.min or moment.tzinfo is None:
        return None
    return moment.timestamp()


def _entry(row: sqlite3.Row) -> Entry:
    values = dict(row)
    values["intent"] = Intent.from_json(json.loads(values["intent"]))
    values["offline"] = bool(values["offline"])
    return Entry(**values)


class JournalReads:
    """What the journal answers; Journal sets these when it opens the file."""

    path: Path
    _prefix: str  # this journal's receipt numbers start with it (version 4)
    _file: FileWatch
    _local: threading.local  # each thread's own connection

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

    def entries_where(self, where: str, args: tuple[object, ...]) -> list[Entry]:
        """The entries a fixed condition of ours selects (never a person's text), by id."""
        sql = f"SELECT {_COLUMNS} FROM entries WHERE {where} ORDER BY id"  # noqa: S608
        return [_entry(r) for r in self._connect().execute(sql, args).fetchall()]

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

    def last_receipt(self) -> str | None:
        """The last receipt kept because it could not be printed (for F9 after a restart)."""
        row = (
            self._connect().execute("SELECT body FROM receipts ORDER BY id DESC LIMIT 1").fetchone()
        )
        return None if row is None else str(row[0])

    def pin_lock(self) -> PinLock:
        return pin_record.read(self._connect())

    def wrong_pins_since(self, since: float, until: float | None = None) -> tuple[int, int]:
        """Wrong manager PINs entered since `since` (and before `until`), and how many
        locked the PIN."""
        return pin_record.wrong_since(self._connect(), since, until)

    def last_sign_in(self) -> SignIn | None:
        return sign_in_record.last(self._connect())

    def sign_ins(self, since: float, until: float) -> list[SignIn]:
        """The sign-in in force at `since`, then those made up to `until`."""
        return sign_in_record.between(self._connect(), since, until)

    def setting_changes(self, since: float, until: float) -> list[SettingChange]:
        """The settings changes kept from `since` up to `until` (version 12), oldest first."""
        return setting_record.between(self._connect(), since, until)

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

    # --- sales paid card by card (version 13) ----------------------------------------------

    def sale(self, sale_id: int) -> Sale | None:
        """The sale as kept, without its payments (sale_entries are them)."""
        return sale_record.sale(self._connect(), sale_id)

    def open_sales(self) -> list[Sale]:
        """The sales still open, oldest first (a till stopped mid-sale finds its own)."""
        return sale_record.open_sales(self._connect())

    def sale_entries(self, sale_id: int) -> list[Entry]:
        """The redemptions and reversals made for the sale, oldest first, by index."""
        rows = (
            self._connect()
            .execute(
                f"SELECT {_COLUMNS} FROM entries WHERE sale_id = ? ORDER BY id",  # noqa: S608
                (sale_id,),
            )
            .fetchall()
        )
        return [_entry(r) for r in rows]

    def sales_in_shift(self, shift_id: int) -> list[Sale]:
        """The sales opened in the shift, oldest first, without their payments."""
        return sale_record.sales_in_shift(self._connect(), shift_id)

    def shift_sales(self, shift_id: int) -> dict[str, int]:
        """How many of the shift's sales stand in each state (the X and Z reports)."""
        return sale_record.shift_sales(self._connect(), shift_id)

    def last_closed_sale(self) -> tuple[Sale, bool] | None:
        """The sale that ended last, and whether its receipt was printed (version 15)."""
        db = self._connect()
        found = sale_record.last_closed(db)
        return None if found is None else (found, sale_record.was_printed(db, found.id))
