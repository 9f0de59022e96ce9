"""The provider's storage: SQLAlchemy Core over SQLite (default) or PostgreSQL, one code path.

This is a money ledger, so SQLite runs in WAL with synchronous=FULL and a busy timeout,
and every writing transaction starts with BEGIN IMMEDIATE (it takes the write lock first,
so two writers never deadlock upgrading a read lock). On PostgreSQL the gift row is locked
with SELECT ... FOR UPDATE and the debit is still a conditional UPDATE.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from posapp.provider import canceled, keys
from posapp.provider.ledger import Flakes, Problem, new_token_secret, now_us

SCHEMA_VERSION = 6
# api.md "Idempotency": keys are kept at least 24 hours; `serve --key-retention-hours`.
KEY_RETENTION_HOURS = 48

meta = sa.MetaData()
sa.Table("schema_version", meta, sa.Column("version", sa.Integer, nullable=False))
id_workers = sa.Table(
    "id_workers",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.BigInteger, nullable=False),
)
stores = sa.Table(
    "stores",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("cash_out_enabled", sa.Boolean, nullable=False, default=False),
    sa.Column("cash_out_max", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
locations = sa.Table(
    "locations",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("store_id", sa.BigInteger, sa.ForeignKey("stores.id"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
)
tokens = sa.Table(
    "tokens",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("store_id", sa.BigInteger, sa.ForeignKey("stores.id"), nullable=False),
    sa.Column("location_id", sa.BigInteger, sa.ForeignKey("locations.id"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("scopes", sa.Text, nullable=False),
    # sha256 of the secret: a stolen database gives no usable token.
    sa.Column("secret_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
gifts = sa.Table(
    "gifts",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("store_id", sa.BigInteger, sa.ForeignKey("stores.id"), nullable=False),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("code_key", sa.String(64), nullable=False),
    sa.Column("code_tail", sa.String(4), nullable=True),  # ledger.code_tail: its last four
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("balance", sa.BigInteger, nullable=True),
    sa.Column("starting_balance", sa.BigInteger, nullable=True),
    sa.Column("item_label", sa.Text, nullable=True),
    sa.Column("item_quantity", sa.BigInteger, nullable=True),
    sa.Column("starting_item_quantity", sa.BigInteger, nullable=True),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("canceled_at", sa.BigInteger, nullable=True),
    sa.Column("promotional", sa.Boolean, nullable=False),
    sa.Column("allowed_location_ids", sa.JSON, nullable=True),
    sa.Column("usable_at", sa.BigInteger, nullable=False),
    sa.Column("expires_at", sa.BigInteger, nullable=True),
    sa.Column("sender", sa.JSON, nullable=True),
    sa.Column("recipient", sa.JSON, nullable=True),
    sa.Column("public_token", sa.String(40), nullable=False, unique=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("created_by", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=True),
    sa.Column("updated_by", sa.JSON, nullable=True),
    # The admin's gift card list pages by id within a store (issue 14: without it every page
    # sorted the whole store).
    sa.Index("gifts_by_store", "store_id", "id"),
    # api.md's search by the code's end (code_ends_with), a page at a time in id order.
    sa.Index("gifts_by_code_tail", "store_id", "code_tail", "id"),
    sa.CheckConstraint("balance IS NULL OR balance >= 0", name="balance_never_negative"),
    sa.CheckConstraint("item_quantity IS NULL OR item_quantity >= 0", name="items_never_negative"),
    sa.UniqueConstraint("store_id", "code_key", name="one_code_per_store"),
)
transactions = sa.Table(
    "transactions",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("type", sa.String(24), nullable=False),
    sa.Column("gift_id", sa.BigInteger, sa.ForeignKey("gifts.id"), nullable=False),
    sa.Column("store_id", sa.BigInteger, nullable=False),
    sa.Column("location_id", sa.BigInteger, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=True),
    sa.Column("quantity", sa.BigInteger, nullable=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("balance_after", sa.BigInteger, nullable=True),
    sa.Column("item_quantity_after", sa.BigInteger, nullable=True),
    sa.Column("reference", sa.Text, nullable=True),
    # api.md "Client references": the till's own name for the movement, kept as long as
    # the transaction, so a till can ask whether it happened after its key is forgotten.
    sa.Column("client_reference", sa.String(255), nullable=True),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("reverses", sa.BigInteger, nullable=True),
    sa.Column("reversed_by", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("created_by", sa.JSON, nullable=False),
    sa.Index("transactions_by_store", "store_id", "id"),
    # A card's transactions are asked within its store: with store_id first, this index
    # answers that query and its order, where (gift_id, id) lost to transactions_by_store.
    sa.Index("transactions_by_store_gift", "store_id", "gift_id", "id"),
    # api.md's lookup by client_reference, in id order (posapp/provider/lookup.py).
    sa.Index("transactions_by_client_reference", "store_id", "client_reference", "id"),
)
idempotency = sa.Table(
    "idempotency",
    meta,
    sa.Column("store_id", sa.BigInteger, primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("bound_to", sa.Text, nullable=True),  # keys.py: the request it first answered
    sa.Index("idempotency_by_age", "created_at"),  # the purge of expired keys at start
)
lookup_misses = sa.Table(
    "lookup_misses",
    meta,
    sa.Column("token_id", sa.BigInteger, nullable=False),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Index("misses_by_token", "token_id", "at"),
)


GIFT_COLUMNS = ", ".join(c.name for c in gifts.c)


JSON_COLUMNS = frozenset(
    {"allowed_location_ids", "sender", "recipient", "created_by", "updated_by"}
)
BOOL_COLUMNS = frozenset({"enabled", "promotional"})


class Record:
    """A row read by attribute, with JSON and booleans as Python values on either database."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    @classmethod
    def of(cls, names: list[str], row: Any) -> Record | None:
        if row is None:
            return None
        values = dict(zip(names, row, strict=True))
        for name in JSON_COLUMNS.intersection(values):
            if isinstance(values[name], str):  # SQLite keeps JSON as text; psycopg parses it
                values[name] = orjson.loads(values[name])
        for name in BOOL_COLUMNS.intersection(values):
            values[name] = bool(values[name])
        return cls(values)


LATER = "posapp_later"  # the key of a connection's held-back writes in its info
CLAIM = "posapp_claim"  # and of a key's claim waiting for the operation's first statement
MOVED = "posapp_moved"  # and of the gift ids whose debit is among the held-back writes
PREV = "__prev__"  # in a held-back write: the name of the held-back write just before it
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _with_held(held: list[tuple[str, dict[str, Any]]], sql: str, params: dict[str, Any]) -> Any:
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


def _send_later(conn: Connection) -> None:
    """Before a Core statement or a commit: the held-back writes go first, in order."""
    later = conn.connection.info.get(LATER)
    if later:
        driver: Any = conn.connection.driver_connection
        driver.cursor().execute(*_with_held(later[:-1], *later[-1]) if len(later) > 1 else later[0])
        later.clear()
        conn.connection.info.pop(MOVED, None)


def _drop_later(conn: Connection) -> None:
    """A rollback: what was held back is dropped with the rest of the transaction."""
    if not conn.invalidated:
        conn.connection.info.pop(LATER, None)
        conn.connection.info.pop(CLAIM, None)
        conn.connection.info.pop(MOVED, None)


class Replay(Exception):
    """The key was claimed by an earlier request: its stored answer is the answer."""


def _claim(conn: Connection) -> None:
    """The key's claim held back by Store.idempotent_in, sent now (with any held writes);
    Replay when the key was claimed before."""
    sql, params = conn.connection.info.pop(CLAIM)
    if Statements.run(conn, sql, params).fetchone() is None:
        raise Replay


def _before_core(conn: Connection, *_args: Any) -> None:
    """Before a Core statement: a held-back claim, then the held-back writes, go first."""
    if CLAIM in conn.connection.info:
        _claim(conn)
    _send_later(conn)


class Statements:
    """The hot path's SQL, written once and run on the DBAPI cursor of the SQLAlchemy
    connection (so inside its transaction). Measured on SQLite: Core rebuilds and hashes a
    cache key on every execution, and that cost three times the statements themselves;
    these few statements are plain SQL that both databases take, only the placeholder
    style differs (:name for sqlite3, %(name)s for psycopg)."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        lock = " FOR UPDATE" if postgres else ""
        self.gift_names = [c.name for c in gifts.c]
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
        conn: Connection, sql: str, params: dict[str, Any], *, gift_id: int | None = None
    ) -> Any:
        """sql in conn's transaction. On PostgreSQL the held-back writes go with it, but a
        statement on gifts must see a held-back debit, which its own WITH clauses would not
        (one snapshot): then they go first, as a statement of their own. `gift_id`: the
        statement reads gifts only at that id, so other gifts' debits may go with it."""
        driver: Any = conn.connection.driver_connection
        info = conn.connection.info
        if CLAIM in info:  # PostgreSQL: a held-back claim goes first
            _claim(conn)
        later = info.get(LATER)
        if later:  # PostgreSQL: the writes held back go out with this statement, one trip
            moved = info.get(MOVED)
            if moved and "gifts" in sql and (gift_id is None or gift_id in moved):
                _send_later(conn)
            else:
                sql, params = _with_held(later, sql, params)
                later.clear()
                info.pop(MOVED, None)
        cursor = driver.cursor()
        cursor.execute(sql, params)
        return cursor

    def later(
        self, conn: Connection, sql: str, params: dict[str, Any], *, moves: int | None = None
    ) -> None:
        """A write whose result nobody reads (a transaction's row, a stored answer). On
        PostgreSQL it waits to go with the next statement or the commit, as part of that
        one statement: each statement cost psycopg about 80 µs of the provider's CPU, most
        of a redemption's excess over SQLite (issue 14). sqlite3 runs in-process: at once.
        `moves`: the write is a debit of that gift (see `run`)."""
        if self.postgres:
            info = conn.connection.info
            info.setdefault(LATER, []).append((sql, params))
            if moves is not None:
                info.setdefault(MOVED, set()).add(moves)
        else:
            self.run(conn, sql, params)

    def gift(
        self, conn: Connection, sql: str, params: dict[str, Any], *, gift_id: int | None = None
    ) -> Record | None:
        return Record.of(self.gift_names, self.run(conn, sql, params, gift_id=gift_id).fetchone())

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


class GroupCommit:
    """One writer (or reader) thread: it takes every call that is waiting, runs them in one
    transaction and commits once, so one fsync serves the lot. A caller's answer is
    released only after the commit, so nothing is said before it is durable; if one call
    fails, the batch is rolled back and each runs again alone.

    SQLite has one writer anyway. On PostgreSQL each worker process has one such writer:
    measured (benchmarks/provider_throughput.py), a redemption on the thread pool with its
    own pooled connection and transaction cost 3.5 times SQLite's CPU, most of it in the
    hop to the pool, the checkout and BEGIN/COMMIT round trips, which a batch shares. Two
    workers' batches that lock the same two gifts in opposite order deadlock; PostgreSQL
    aborts one, and that batch reruns one call at a time, as after any failure.
    Reads (`writes=False`: validate, a till's every scan) batch the same way on a thread of
    their own, in one read transaction."""

    MAX_BATCH = 64

    def __init__(self, engine: Engine, lock: Any, *, writes: bool = True) -> None:
        self.engine = engine
        self.lock = lock
        self.writes = writes
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.conn: Connection | None = None
        name = "provider-writer" if writes else "provider-reader"
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    async def run(self, fn: Callable[[Connection], Any]) -> Any:
        """fn's result once its batch has committed, awaited on the caller's event loop."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.queue.put((fn, loop, future))
        return await future

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join(30)

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                if self.conn is not None:
                    self.conn.close()
                return
            batch = [first]
            while len(batch) < self.MAX_BATCH:
                try:
                    item = self.queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self.queue.put(None)
                    break
                batch.append(item)
            self._commit(batch)

    def _connection(self) -> Connection:
        """The thread's connection, opened again after PostgreSQL dropped it."""
        if self.conn is None or self.conn.invalidated or self.conn.closed:
            self.conn = self.engine.connect()
            self.conn.execution_options(writes=self.writes)
        return self.conn

    def _commit(self, batch: list[Any]) -> None:
        results: list[tuple[Any, BaseException | None]]
        conn = self._connection()
        try:
            with self.lock, conn.begin():
                results = [(fn(conn), None) for fn, _loop, _future in batch]
        except Exception as error:
            if not conn.invalidated and getattr(conn.connection.driver_connection, "closed", False):
                conn.invalidate()  # psycopg's connection broke: the next call reconnects
            # One call failed (operations turn their Problems into answers, so this is a
            # fault): the batch rolled back whole. Each call then runs alone, so only the
            # faulty one fails and the others still happen exactly once.
            if len(batch) > 1:
                for item in batch:
                    self._commit([item])
                return
            results = [(None, error)]
        # One wake-up of each waiting event loop for the whole batch, not one per answer.
        by_loop: dict[Any, list[Any]] = {}
        for (_fn, loop, future), outcome in zip(batch, results, strict=True):
            by_loop.setdefault(loop, []).append((future, *outcome))
        for loop, answers in by_loop.items():
            with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits
                loop.call_soon_threadsafe(_settle, answers)


def _settle(answers: list[tuple[asyncio.Future[Any], Any, BaseException | None]]) -> None:
    for future, result, error in answers:
        if future.cancelled():  # the client went away; the write stands, as committed
            continue
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a token of one store and one location, with its scopes."""

    token_id: int
    store_id: int
    location_id: int
    name: str
    scopes: frozenset[str]

    def stamp(self) -> dict[str, str]:
        return {"id": str(self.token_id), "name": self.name}


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def dumps(body: Any) -> bytes:
    """The one serialisation of every answer, so a replay is byte for byte the first one:
    compact UTF-8, what json.dumps(separators=(",", ":"), ensure_ascii=False) gives."""
    return orjson.dumps(body)


def make_engine(url: str, *, pool_size: int = 20) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=pool_size,
            max_overflow=pool_size,
        )

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # transactions are begun below, by us
            cursor = dbapi_conn.cursor()
            for pragma in (
                "journal_mode=WAL",
                "synchronous=FULL",  # a money ledger: a committed debit survives power loss
                "busy_timeout=30000",
                "foreign_keys=ON",
            ):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            mode = "IMMEDIATE" if conn.get_execution_options().get("writes") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    engine = sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)

    @sa.event.listens_for(engine, "connect")
    def _orjson(dbapi_conn: Any, _record: Any) -> None:
        # psycopg parses json columns with the json module: a tenth of a redemption's CPU.
        from psycopg.types.json import set_json_loads

        set_json_loads(orjson.loads, dbapi_conn)

    sa.event.listen(engine, "before_cursor_execute", _before_core)
    sa.event.listen(engine, "commit", _before_core)
    sa.event.listen(engine, "rollback", _drop_later)
    return engine


class Store:
    """The database: schema, transactions, tokens, idempotency, the miss counter."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 20,
        key_retention_hours: int | None = None,
        clock: Callable[[], int] = now_us,
    ) -> None:
        self.url = url
        # The provider's time in microseconds: what it stamps on keys and transactions and
        # purges keys by (a test starts a provider with its clock days ahead).
        self.now = clock
        # Only a serving provider forgets keys at its start (`serve --key-retention-hours`);
        # `init`, `demo` and `token` open the same database and must not purge by a default
        # the operator never chose.
        self.key_retention_us = (
            None if key_retention_hours is None else key_retention_hours * 3600 * 1_000_000
        )
        self.engine = make_engine(url, pool_size=pool_size)
        self.is_postgres = self.engine.dialect.name == "postgresql"
        self._writer: Any = contextlib.nullcontext() if self.is_postgres else threading.Lock()
        self.sql = Statements(self.is_postgres)
        self._currencies: dict[int, str] = {}
        try:
            self.migrate()
        except BaseException:
            self.engine.dispose()  # a refused schema leaves no connections open behind it
            raise
        with self.write() as conn:
            worker = conn.execute(
                id_workers.insert().values(started_at=now_us()).returning(id_workers.c.id)
            ).scalar_one()
        self.flakes = Flakes(worker)
        self._principals: dict[str, tuple[float, Principal | None]] = {}
        self._principals_lock = threading.Lock()
        self._group = GroupCommit(self.engine, self._writer)
        self._reads = GroupCommit(self.engine, contextlib.nullcontext(), writes=False)

    def close(self) -> None:
        self._group.close()
        self._reads.close()
        self.engine.dispose()

    # --- schema ---------------------------------------------------------------------------

    def migrate(self) -> None:
        """Create the schema, or bring an older one up to SCHEMA_VERSION."""
        with self.write() as conn:
            if self.is_postgres:  # two workers starting together must not both create tables
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7236001)")
            meta.create_all(conn, checkfirst=True)
            canceled.create(conn)  # version 6 (issue 19, till #1): canceled.py's table
            version = conn.exec_driver_sql("SELECT version FROM schema_version").scalar()
            if version is None:
                conn.execute(
                    sa.text("INSERT INTO schema_version VALUES (:v)"), {"v": SCHEMA_VERSION}
                )
            elif version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"The database is at schema {version}, newer than this provider "
                    f"({SCHEMA_VERSION}): upgrade posapp"
                )
            # Migrations from older versions, one step a version.
            if version is not None and version < 2:
                # Version 2 (issue 14): indexes for the gift list, a card's transactions and
                # the idempotency purge. IF NOT EXISTS: create_all may have made them.
                for index in (
                    "gifts_by_store ON gifts (store_id, id)",
                    "transactions_by_store_gift ON transactions (store_id, gift_id, id)",
                    "idempotency_by_age ON idempotency (created_at)",
                ):
                    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {index}")
                conn.exec_driver_sql("DROP INDEX IF EXISTS transactions_by_gift")
                conn.exec_driver_sql("UPDATE schema_version SET version = 2")
            if version is not None and version < 3:
                keys.add_column(conn)
                conn.exec_driver_sql("UPDATE schema_version SET version = 3")
            if version is not None and version < 4:
                # Version 4 (issue 18.1): transactions keep the till's client_reference.
                conn.exec_driver_sql(
                    "ALTER TABLE transactions ADD COLUMN client_reference VARCHAR(255)"
                )
                conn.exec_driver_sql(
                    "CREATE INDEX IF NOT EXISTS transactions_by_client_reference "
                    "ON transactions (store_id, client_reference, id)"
                )
                conn.exec_driver_sql("UPDATE schema_version SET version = 4")
            if version is not None and version < 5:
                # Version 5 (issue 19.14): a card is found by the end of its code.
                conn.exec_driver_sql("ALTER TABLE gifts ADD COLUMN code_tail VARCHAR(4)")
                last_four = "right(code_key, 4)" if self.is_postgres else "substr(code_key, -4)"
                conn.exec_driver_sql(f"UPDATE gifts SET code_tail = {last_four}")  # noqa: S608
                conn.exec_driver_sql(
                    "CREATE INDEX IF NOT EXISTS gifts_by_code_tail "
                    "ON gifts (store_id, code_tail, id)"
                )
                conn.exec_driver_sql("UPDATE schema_version SET version = 5")
            if version is not None and version < 6:  # made just above: canceled.create
                conn.exec_driver_sql("UPDATE schema_version SET version = 6")
            # Keys past their retention are forgotten (api.md "Key retention"): the same key
            # then runs as new, and only a client_reference lookup says what it did.
            if self.key_retention_us is not None:  # not a canceled reference's (canceled.py)
                canceled.forget_keys(conn, idempotency, self.now() - self.key_retention_us)

    # --- transactions ---------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Connection]:
        # SQLite has one writer. Threads of this process queue on a lock, woken the moment
        # it is free, rather than in SQLite's busy handler, which sleeps and polls.
        with self._writer, self.engine.connect() as conn:
            conn.execution_options(writes=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def lock_gift(self, conn: Connection, gift_id: int, store_id: int) -> Any:
        """The gift row, locked on PostgreSQL (SQLite's writer holds the whole database).
        A key's claim held back on PostgreSQL is sent in the same statement."""
        sql = self.sql
        claim = conn.connection.info.pop(CLAIM, None) if sql.postgres else None
        if claim is None:
            params = {"id": gift_id, "store_id": store_id}
            return sql.gift(conn, sql.lock_gift, params, gift_id=gift_id)
        _sql, key = claim
        params = {
            **{name: key[name] for name in ("key", "now", "empty", "bound")},
            "key_store_id": key["store_id"],
            "id": gift_id,
            "store_id": store_id,
        }
        row = sql.run(conn, sql.claim_and_lock, params, gift_id=gift_id).fetchone()
        if not row[0]:
            raise Replay
        return None if row[1] is None else Record.of(sql.gift_names, row[1:])

    def currency(self, conn: Connection, store_id: int) -> str:
        """A store's currency never changes, so it is read once."""
        found = self._currencies.get(store_id)
        if found is None:
            found = conn.execute(
                sa.select(stores.c.currency).where(stores.c.id == store_id)
            ).scalar_one()
            self._currencies[store_id] = found
        return found

    # --- tokens ---------------------------------------------------------------------------

    def create_store(self, name: str, currency: str) -> dict[str, str]:
        """api.md `init`: a store, its first location, an admin and a terminal token."""
        now = self.now()
        store_id, location_id = self.flakes.next(), self.flakes.next()
        with self.write() as conn:
            conn.execute(
                stores.insert().values(
                    id=store_id,
                    name=name,
                    currency=currency,
                    cash_out_enabled=False,
                    created_at=now,
                )
            )
            conn.execute(locations.insert().values(id=location_id, store_id=store_id, name="Main"))
        admin = self.create_token(store_id, location_id, "admin", {"admin", "terminal"})
        terminal = self.create_token(store_id, location_id, "terminal", {"terminal"})
        return {
            "store_id": str(store_id),
            "location_id": str(location_id),
            "admin_token": admin,
            "terminal_token": terminal,
        }

    def set_cash_out(self, store_id: int, allowed: bool, maximum: int | None) -> dict[str, Any]:
        """`posapp-provider cash-out`: what PATCH /v1/gift-card-config sets (api.md), for
        whoever runs the provider and has no admin client at hand."""
        with self.write() as conn:
            done = conn.execute(
                stores.update()
                .where(stores.c.id == store_id)
                .values(cash_out_enabled=allowed, cash_out_max=maximum)
            )
            if done.rowcount == 0:
                raise LookupError(f"no store {store_id}")
        return {"store_id": str(store_id), "cash_out_enabled": allowed, "cash_out_max": maximum}

    def create_location(self, store_id: int, name: str) -> int:
        location_id = self.flakes.next()
        with self.write() as conn:
            conn.execute(locations.insert().values(id=location_id, store_id=store_id, name=name))
        return location_id

    def create_token(self, store_id: int, location_id: int, name: str, scopes: set[str]) -> str:
        """A new token; the secret is returned once and only its sha256 is kept."""
        secret = new_token_secret()
        with self.write() as conn:
            found = conn.execute(
                sa.select(locations.c.id).where(
                    locations.c.id == location_id, locations.c.store_id == store_id
                )
            ).first()
            if found is None:
                raise LookupError(f"no location {location_id} in store {store_id}")
            conn.execute(
                tokens.insert().values(
                    id=self.flakes.next(),
                    store_id=store_id,
                    location_id=location_id,
                    name=name,
                    scopes=" ".join(sorted(scopes)),
                    secret_sha256=sha256(secret),
                    created_at=self.now(),
                )
            )
        return secret

    def cached_principal(self, secret: str) -> tuple[Principal | None] | None:
        """The cached answer for a token, if there is a fresh one (a 1-tuple: None is an
        answer too, for an unknown token)."""
        with self._principals_lock:
            cached = self._principals.get(sha256(secret))
        return (cached[1],) if cached and cached[0] > time.monotonic() else None

    def principal(self, secret: str) -> Principal | None:
        """The token's owner, cached briefly: every request asks, tokens rarely change."""
        cached = self.cached_principal(secret)
        if cached is not None:
            return cached[0]
        digest = sha256(secret)
        now = time.monotonic()
        with self.read() as conn:
            row = conn.execute(tokens.select().where(tokens.c.secret_sha256 == digest)).first()
        found = (
            None
            if row is None
            else Principal(
                row.id, row.store_id, row.location_id, row.name, frozenset(row.scopes.split())
            )
        )
        with self._principals_lock:
            if len(self._principals) > 10_000:
                self._principals.clear()
            self._principals[digest] = (now + 30.0, found)
        return found

    # --- idempotency ----------------------------------------------------------------------

    def replay(self, store_id: int, key: str, bound: str | None = None) -> tuple[int, bytes] | None:
        """The answer kept for the key; Problem when it was bound to another request."""
        with self.read() as conn:
            row = self.sql.run(
                conn, self.sql.stored_answer, {"store_id": store_id, "key": key}
            ).fetchone()
        if row is not None and (refusal := keys.reused(row[2], bound)) is not None:
            raise refusal
        return None if row is None or row[0] == 0 else (row[0], bytes(row[1]))

    def idempotent(
        self,
        store_id: int,
        key: str | None,
        operation: Callable[[Connection], tuple[int, Any]],
        bound: str | None = None,
    ) -> tuple[int, bytes, bool]:
        """`idempotent_in` in a transaction of its own (for callers off the event loop)."""
        with self.write() as conn:
            return self.idempotent_in(conn, store_id, key, operation, bound)

    async def idempotent_async(
        self,
        store_id: int,
        key: str | None,
        operation: Callable[[Connection], tuple[int, Any]],
        bound: str | None = None,
    ) -> tuple[int, bytes, bool]:
        """`idempotent_in` without blocking the event loop, on the group-commit writer."""
        answer: tuple[int, bytes, bool] = await self._group.run(
            lambda conn: self.idempotent_in(conn, store_id, key, operation, bound)
        )
        return answer

    async def read_async(self, fn: Callable[[Connection], Any]) -> Any:
        """fn's result from a read transaction on the reader thread, shared by a batch."""
        return await self._reads.run(fn)

    def idempotent_in(
        self,
        conn: Connection,
        store_id: int,
        key: str | None,
        operation: Callable[[Connection], tuple[int, Any]],
        bound: str | None = None,
    ) -> tuple[int, bytes, bool]:
        """Run a mutating operation once per key: (status, body, replayed). `bound`: what
        the key is bound to (keys.py); a key first bound to another request runs nothing.

        The key's row is inserted first in the operation's own transaction, so the stored
        answer commits with the money movement or not at all. A duplicate arriving while the
        first runs blocks on that row (PostgreSQL's unique index, SQLite's single writer),
        then finds the answer and replays it: it never runs twice. Problems are stored too
        (api.md replays 4xx); operations raise them before writing anything.
        """
        if key is None:
            return (*self._answer(conn, operation), False)
        run = self.sql.run
        params = {"store_id": store_id, "key": key, "now": self.now(), "empty": b"", "bound": bound}
        try:
            if self.sql.postgres:
                # The claim waits to go with the operation's first statement (a redemption's
                # gift lock: one round trip fewer); nothing is written before it.
                conn.connection.info[CLAIM] = (self.sql.claim_key, params)
                status, body = self._answer(conn, operation)
                if CLAIM in conn.connection.info:  # the operation asked the database nothing
                    _claim(conn)
            elif run(conn, self.sql.claim_key, params).fetchone() is not None:
                status, body = self._answer(conn, operation)
            else:
                raise Replay
        except Replay:
            return self._replay(conn, params)
        params.update(status=status, body=body)
        self.sql.later(conn, self.sql.keep_answer, params)
        return status, body, False

    def _replay(self, conn: Connection, params: dict[str, Any]) -> tuple[int, bytes, bool]:
        stored, body, bound_to = self.sql.run(conn, self.sql.stored_answer, params).fetchone()
        if (refusal := keys.reused(bound_to, params["bound"])) is not None:
            return refusal.status, dumps(refusal.body()), False  # not kept: the key is taken
        if stored == 0:  # cannot happen while the first holds its lock; said for safety
            raise Problem(
                "request_in_progress",
                "The same request is still being processed",
                headers={"Retry-After": "1"},
            )
        return stored, bytes(body), True

    @staticmethod
    def _answer(
        conn: Connection, operation: Callable[[Connection], tuple[int, Any]]
    ) -> tuple[int, bytes]:
        try:
            status, body = operation(conn)
        except Problem as problem:
            return problem.status, dumps(problem.body())
        return status, dumps(body)

    # --- unknown-code lookups (api.md: stops code enumeration) ------------------------------

    def misses_retry_after(self, token_id: int, limit: int, window_s: int) -> int | None:
        """Seconds until the token may look up codes again, or None when it may now: after
        `limit` misses in the window, until the oldest of them leaves it."""
        with self.read() as conn:
            return self.blocked_for(conn, token_id, limit, window_s, self.now())

    def record_miss(self, token_id: int, limit: int, window_s: int) -> int | None:
        """One step: a miss is counted if the token has fewer than `limit` in the window
        (None: answer it), else not, and the seconds until it may look up again. Per token
        in turn: SQLite's one writer, and on PostgreSQL the token's row locked."""
        now = self.now()
        with self.write() as conn:
            if self.is_postgres:
                conn.execute(
                    sa.select(tokens.c.id).where(tokens.c.id == token_id).with_for_update()
                )
            wait = self.blocked_for(conn, token_id, limit, window_s, now)
            if wait is not None:
                return wait
            conn.execute(lookup_misses.insert().values(token_id=token_id, at=now))
            conn.execute(
                lookup_misses.delete().where(
                    lookup_misses.c.token_id == token_id,
                    lookup_misses.c.at < now - window_s * 1_000_000,
                )
            )
        return None

    def blocked_for(
        self, conn: Connection, token_id: int, limit: int, window_s: int, now: int
    ) -> int | None:
        """In conn's transaction: seconds until the token may look up codes again, or None."""
        params = {"token_id": token_id, "since": now - window_s * 1_000_000, "limit": limit}
        times = [row[0] for row in self.sql.run(conn, self.sql.recent_misses, params).fetchall()]
        if len(times) < limit:
            return None
        # Blocked until the oldest of the newest `limit` misses leaves the window.
        free_at = times[limit - 1] + window_s * 1_000_000
        return max(1, -(-(int(free_at) - now) // 1_000_000))
