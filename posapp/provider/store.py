"""The provider's storage: SQLAlchemy Core over SQLite (default) or PostgreSQL, one code path.

This is a money ledger, so SQLite runs in WAL with synchronous=FULL and a busy timeout,
and every writing transaction starts with BEGIN IMMEDIATE (it takes the write lock first,
so two writers never deadlock upgrading a read lock). On PostgreSQL the gift row is locked
with SELECT ... FOR UPDATE and the debit is still a conditional UPDATE.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from posapp.provider.ledger import Flakes, Problem, new_token_secret, now_us

SCHEMA_VERSION = 1
IDEMPOTENCY_KEEP_US = 48 * 3600 * 1_000_000  # api.md: at least 24 hours

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
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("reverses", sa.BigInteger, nullable=True),
    sa.Column("reversed_by", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("created_by", sa.JSON, nullable=False),
    sa.Index("transactions_by_store", "store_id", "id"),
    sa.Index("transactions_by_gift", "gift_id", "id"),
)
idempotency = sa.Table(
    "idempotency",
    meta,
    sa.Column("store_id", sa.BigInteger, primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
lookup_misses = sa.Table(
    "lookup_misses",
    meta,
    sa.Column("token_id", sa.BigInteger, nullable=False),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Index("misses_by_token", "token_id", "at"),
)


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
    """The one serialisation of every answer, so a replay is byte for byte the first one."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


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
    return sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


class Store:
    """The database: schema, transactions, tokens, idempotency, the miss counter."""

    def __init__(self, url: str, *, pool_size: int = 20) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size)
        self.is_postgres = self.engine.dialect.name == "postgresql"
        self._insert: Any = postgresql.insert if self.is_postgres else sqlite.insert
        self.migrate()
        with self.write() as conn:
            worker = conn.execute(
                id_workers.insert().values(started_at=now_us()).returning(id_workers.c.id)
            ).scalar_one()
        self.flakes = Flakes(worker)
        self._principals: dict[str, tuple[float, Principal | None]] = {}
        self._principals_lock = threading.Lock()

    def close(self) -> None:
        self.engine.dispose()

    # --- schema ---------------------------------------------------------------------------

    def migrate(self) -> None:
        """Create the schema, or bring an older one up to SCHEMA_VERSION."""
        with self.write() as conn:
            if self.is_postgres:  # two workers starting together must not both create tables
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7236001)")
            meta.create_all(conn, checkfirst=True)
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
            # Migrations from older versions go here, one step a version.
            conn.execute(
                idempotency.delete().where(
                    idempotency.c.created_at < now_us() - IDEMPOTENCY_KEEP_US
                )
            )

    # --- transactions ---------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(writes=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def lock_gift(self, conn: Connection, gift_id: int, store_id: int) -> Any:
        query = gifts.select().where(gifts.c.id == gift_id, gifts.c.store_id == store_id)
        return conn.execute(query.with_for_update() if self.is_postgres else query).first()

    # --- tokens ---------------------------------------------------------------------------

    def create_store(self, name: str, currency: str) -> dict[str, str]:
        """api.md `init`: a store, its first location, an admin and a terminal token."""
        now = now_us()
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
                    created_at=now_us(),
                )
            )
        return secret

    def principal(self, secret: str) -> Principal | None:
        """The token's owner, cached briefly: every request asks, tokens rarely change."""
        digest = sha256(secret)
        now = time.monotonic()
        with self._principals_lock:
            cached = self._principals.get(digest)
        if cached and cached[0] > now:
            return cached[1]
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

    def replay(self, store_id: int, key: str) -> tuple[int, bytes] | None:
        with self.read() as conn:
            row = conn.execute(
                sa.select(idempotency.c.status, idempotency.c.body).where(
                    idempotency.c.store_id == store_id, idempotency.c.key == key
                )
            ).first()
        return None if row is None else (row.status, row.body)

    def idempotent(
        self,
        store_id: int,
        key: str | None,
        operation: Callable[[Connection], tuple[int, Any]],
    ) -> tuple[int, bytes, bool]:
        """Run a mutating operation once per key: (status, body, replayed).

        The key's row is inserted first in the operation's own transaction, so the stored
        answer commits with the money movement or not at all. A duplicate arriving while the
        first runs blocks on that row (PostgreSQL's unique index, SQLite's write lock),
        then finds the answer and replays it: it never runs twice. Problems are stored too
        (api.md replays 4xx); operations raise them before writing anything.
        """
        if key is None:
            with self.write() as conn:
                return (*self._answer(conn, operation), False)
        with self.write() as conn:
            inserted = conn.execute(
                self._insert(idempotency)
                .values(store_id=store_id, key=key, status=0, body=b"", created_at=now_us())
                .on_conflict_do_nothing()
                .returning(idempotency.c.key)
            ).first()
            if inserted is not None:
                status, body = self._answer(conn, operation)
                conn.execute(
                    idempotency.update()
                    .where(idempotency.c.store_id == store_id, idempotency.c.key == key)
                    .values(status=status, body=body)
                )
                return status, body, False
            row = conn.execute(
                sa.select(idempotency.c.status, idempotency.c.body).where(
                    idempotency.c.store_id == store_id, idempotency.c.key == key
                )
            ).one()
        if row.status == 0:  # cannot happen while the first holds its lock; said for safety
            raise Problem(
                "request_in_progress",
                "The same request is still being processed",
                headers={"Retry-After": "1"},
            )
        return row.status, row.body, True

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
        """Seconds until the token may look up codes again, or None when it may now."""
        now = now_us()
        since = now - window_s * 1_000_000
        with self.read() as conn:
            times = (
                conn.execute(
                    sa.select(lookup_misses.c.at)
                    .where(lookup_misses.c.token_id == token_id, lookup_misses.c.at > since)
                    .order_by(lookup_misses.c.at.desc())
                    .limit(limit + 1)
                )
                .scalars()
                .all()
            )
        if len(times) <= limit:
            return None
        # Blocked until the newest-but-`limit` miss leaves the window.
        free_at = times[limit] + window_s * 1_000_000
        return max(1, -(-(int(free_at) - now) // 1_000_000))

    def record_miss(self, token_id: int, window_s: int) -> None:
        now = now_us()
        with self.write() as conn:
            conn.execute(lookup_misses.insert().values(token_id=token_id, at=now))
            conn.execute(
                lookup_misses.delete().where(
                    lookup_misses.c.token_id == token_id,
                    lookup_misses.c.at < now - window_s * 1_000_000,
                )
            )
