"""The hot path's SQL on the DBAPI cursor, and on PostgreSQL the writes held back to travel
with the next statement (one round trip for a redemption, not two)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from sqlalchemy.engine import Connection

from posapp.provider.rows import GiftRow
from posapp.provider.schema import GIFT_COLUMNS, transactions

HELD = "posapp_held"  # the key of a connection's HeldWrites in its info (PostgreSQL)
PREV = "__prev__"  # in a held-back write: the name of the held-back write just before it
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
Params: TypeAlias = Mapping[str, object]  # a statement's named parameters, to the driver


@dataclass(slots=True)
class HeldWrites:
    """PostgreSQL: what a transaction holds back to travel with its next statement. Made on
    the first write held back; sent before a Core statement and before the commit, dropped
    by a rollback (engine.py's listeners)."""

    writes: list[tuple[str, Params]] = field(default_factory=list)
    claim: tuple[str, Params] | None = None  # a key's claim, for the first statement
    moved: set[int] = field(default_factory=set)  # gifts whose debit is among the writes


def held(conn: Connection) -> HeldWrites | None:
    """The transaction's held writes; None when nothing was ever held (SQLite)."""
    found: HeldWrites | None = conn.connection.info.get(HELD)
    return found


def holding(conn: Connection) -> HeldWrites:
    """The transaction's held writes, made when it holds its first."""
    found = held(conn)
    if found is None:
        found = conn.connection.info[HELD] = HeldWrites()
    return found


def _with_held(
    held: list[tuple[str, Params]], sql: str, params: Params
) -> tuple[str, dict[str, object]]:
    """PostgreSQL: held-back writes as data-modifying WITH clauses of the next statement,
    so they travel and run with it. They all see one snapshot, which is safe for what is
    held (a new transaction row, a stored answer): nothing later in the same statement
    reads those rows."""
    merged = dict(params)
    for i, (_text, values) in enumerate(held):
        merged.update({f"h{i}_{name}": value for name, value in values.items()})
    return _held_sql(tuple(text for text, _values in held), sql), merged


@functools.cache
def _held_sql(held: tuple[str, ...], sql: str) -> str:
    clauses = []
    for i, text in enumerate(held):
        renamed = PLACEHOLDER.sub(f"%(h{i}_" + r"\1)s", text).replace(PREV, f"h{i - 1}")
        clauses.append(f"h{i} AS ({renamed})")
    sql = sql.replace(PREV, f"h{len(held) - 1}")
    if sql.startswith("WITH "):  # the statement's own WITH clauses follow the held ones
        return f"WITH {', '.join(clauses)}, {sql[5:]}"
    return f"WITH {', '.join(clauses)} {sql}"


def _send_later(conn: Connection, hold: HeldWrites) -> None:
    """Before a Core statement or a commit: the held-back writes go first, in order."""
    later = hold.writes
    if later:
        driver: Any = conn.connection.driver_connection
        driver.cursor().execute(*_with_held(later[:-1], *later[-1]) if len(later) > 1 else later[0])
        later.clear()
        hold.moved.clear()


def drop_later(conn: Connection) -> None:
    """A rollback: what was held back is dropped with the rest of the transaction."""
    if not conn.invalidated:
        conn.connection.info.pop(HELD, None)


class Replay(Exception):
    """The key was claimed by an earlier request: its stored answer is the answer."""


def send_claim(conn: Connection, hold: HeldWrites) -> None:
    """The key's claim held back by Store.idempotent_in, sent now (with any held writes);
    Replay when the key was claimed before."""
    claim, hold.claim = hold.claim, None
    if claim is not None and Statements.run(conn, *claim).fetchone() is None:
        raise Replay


def before_core(conn: Connection, *_args: Any) -> None:
    """Before a Core statement: a held-back claim, then the held-back writes, go first."""
    hold = held(conn)
    if hold is not None:
        if hold.claim is not None:
            send_claim(conn, hold)
        _send_later(conn, hold)


class Statements:
    """The hot path's SQL, written once and run on the DBAPI cursor of the SQLAlchemy
    connection (so inside its transaction). Measured on SQLite: Core rebuilds and hashes a
    cache key on every execution, and that cost three times the statements themselves;
    these few statements are plain SQL that both databases take, only the placeholder
    style differs (:name for sqlite3, %(name)s for psycopg)."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        lock = " FOR UPDATE" if postgres else ""
        self.lock_gift = self._sql(
            # Column names come from our own schema; values are always bound parameters.
            f"SELECT {GIFT_COLUMNS} FROM gifts WHERE id = :id AND store_id = :store_id{lock}"  # noqa: S608
        )
        self.claim_key = self._sql(
            "INSERT INTO idempotency (store_id, key, status, body, created_at, bound_to) "
            "VALUES (:store_id, :key, 0, :empty, :now, :bound) ON CONFLICT DO NOTHING RETURNING key"
        )
        self.keep_answer = self._sql(
            "UPDATE idempotency SET status = :status, body = :body "
            "WHERE store_id = :store_id AND key = :key"
        )
        # PostgreSQL: the key's claim and the gift's lock in one statement, which always
        # gives one row: whether the key is new, then the gift's columns (NULL: none).
        locked = f"SELECT {GIFT_COLUMNS} FROM gifts WHERE id = :id AND store_id = :store_id"  # noqa: S608
        self.claim_and_lock = self._sql(
            "WITH claim AS (INSERT INTO idempotency "  # noqa: S608
            "(store_id, key, status, body, created_at, bound_to) VALUES "
            "(:key_store_id, :key, 0, :empty, :now, :bound) ON CONFLICT DO NOTHING RETURNING key) "
            "SELECT (SELECT count(*) FROM claim), g.* FROM (SELECT 1) AS one "
            f"LEFT JOIN LATERAL ({locked} FOR UPDATE) AS g ON true"
        )
        self.stored_answer = self._sql(
            "SELECT status, body, bound_to FROM idempotency "
            "WHERE store_id = :store_id AND key = :key"
        )
        by = f"SELECT {GIFT_COLUMNS} FROM gifts WHERE store_id = :store_id AND "  # noqa: S608
        self.gift_by_code = self._sql(by + "code_key = :code_key")
        self.gift_by_token = self._sql(by + "public_token = :public_token")
        self.recent_misses = self._sql(
            "SELECT at FROM lookup_misses WHERE token_id = :token_id AND at > :since "
            "ORDER BY at DESC LIMIT :limit"
        )
        names = [c.name for c in transactions.c]
        self.record = self._sql(
            f"INSERT INTO transactions ({', '.join(names)}) "  # noqa: S608
            f"VALUES ({', '.join(':' + n for n in names)})"
        )
        # PostgreSQL, after a debit held back (Statements.move_later): the row's id is read
        # from the debit's RETURNING, so a debit that moved nothing makes the id NULL and the
        # whole transaction fails (NOT NULL) instead of recording money that did not move.
        self.record_after_move = self._sql(
            f"INSERT INTO transactions ({', '.join(names)}) "  # noqa: S608
            f"VALUES ((SELECT CAST(:id AS BIGINT) FROM {PREV}), "
            f"{', '.join(':' + n for n in names[1:])})"
        )
        self._moves: dict[tuple[bool, bool, bool, bool], str] = {}
        self._later_moves: dict[tuple[bool, bool], str] = {}

    def _sql(self, text: str) -> str:
        return re.sub(r":(\w+)", r"%(\1)s", text) if self.postgres else text

    @staticmethod
    def run(
        conn: Connection, sql: str, params: Params, *, gift_id: int | None = None
    ) -> Any:  # the DBAPI cursor
        """sql in conn's transaction. On PostgreSQL the held-back writes go with it, but a
        statement on gifts must see a held-back debit, which its own WITH clauses would not
        (one snapshot): then they go first, as a statement of their own. `gift_id`: the
        statement reads gifts only at that id, so other gifts' debits may go with it."""
        driver: Any = conn.connection.driver_connection
        hold = held(conn)
        if hold is not None:  # PostgreSQL
            if hold.claim is not None:  # a held-back claim goes first
                send_claim(conn, hold)
            later = hold.writes
            if later:  # the writes held back go out with this statement, one trip
                moved = hold.moved
                if moved and "gifts" in sql and (gift_id is None or gift_id in moved):
                    _send_later(conn, hold)
                else:
                    sql, params = _with_held(later, sql, params)
                    later.clear()
                    moved.clear()
        cursor = driver.cursor()
        cursor.execute(sql, params)
        return cursor

    def later(
        self, conn: Connection, sql: str, params: Params, *, moves: int | None = None
    ) -> None:
        """A write whose result nobody reads (a transaction's row, a stored answer). On
        PostgreSQL it waits to go with the next statement or the commit, as part of that
        one statement: each statement cost psycopg about 80 µs of the provider's CPU, most
        of a redemption's excess over SQLite (issue 14). sqlite3 runs in-process: at once.
        `moves`: the write is a debit of that gift (see `run`)."""
        if self.postgres:
            hold = holding(conn)
            hold.writes.append((sql, params))
            if moves is not None:
                hold.moved.add(moves)
        else:
            self.run(conn, sql, params)

    def gift(
        self, conn: Connection, sql: str, params: Params, *, gift_id: int | None = None
    ) -> GiftRow | None:
        return GiftRow.from_db(self.run(conn, sql, params, gift_id=gift_id).fetchone())

    def move_later(self, balance: bool, items: bool) -> str:
        """PostgreSQL: a guarded debit held back (`later`) while its gift is locked; what it
        makes of the row is known without asking. Its RETURNING feeds `record_after_move`."""
        shape = (balance, items)
        if shape not in self._later_moves:
            guarded = self.move(balance, items, False, True)
            self._later_moves[shape] = guarded.split(" RETURNING ")[0] + " RETURNING id"
        return self._later_moves[shape]

    def move(self, balance: bool, items: bool, enable: bool, guard: bool) -> str:
        """UPDATE gifts by deltas; with `guard`, a debit never takes a balance below zero."""
        shape = (balance, items, enable, guard)
        if shape not in self._moves:
            sets, where = ["updated_at = :now", "updated_by = :by"], ["id = :id"]
            if balance:
                sets.append("balance = balance + :balance")
                if guard:
                    where.append("balance + :balance >= 0")
            if items:
                sets.append("item_quantity = item_quantity + :items")
                if guard:
                    where.append("item_quantity + :items >= 0")
            if enable:
                sets.append("enabled = :enabled")
            self._moves[shape] = self._sql(
                f"UPDATE gifts SET {', '.join(sets)} WHERE {' AND '.join(where)} "  # noqa: S608
                f"RETURNING {GIFT_COLUMNS}"
            )
        return self._moves[shape]
