"""The provider's storage: SQLAlchemy Core over SQLite (default) or PostgreSQL, one code path.

This is a money ledger, so SQLite runs in WAL with synchronous=FULL and a busy timeout,
and every writing transaction starts with BEGIN IMMEDIATE (it takes the write lock first,
so two writers never deadlock upgrading a read lock). On PostgreSQL the gift row is locked
with SELECT ... FOR UPDATE and the debit is still a conditional UPDATE.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from posapp.core.json_value import JsonOutObject
from posapp.provider import keys
from posapp.provider.answers import Reply, dumps
from posapp.provider.engine import make_engine
from posapp.provider.group_commit import GroupCommit
from posapp.provider.ledger import Flakes, Problem, new_token_secret, now_us
from posapp.provider.rows import GiftRow
from posapp.provider.schema import (
    id_workers,
    locations,
    lookup_misses,
    migrate,
    stores,
    tokens,
)
from posapp.provider.statements import Replay, Statements, held, holding, send_claim
from posapp.provider.tokens import Principal, sha256

T = TypeVar("T")

# api.md "Idempotency": keys are kept at least 24 hours; `serve --key-retention-hours`.
KEY_RETENTION_HOURS = 48


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
        self._writer: AbstractContextManager[object] = (
            contextlib.nullcontext() if self.is_postgres else threading.Lock()
        )
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
        forget = None if self.key_retention_us is None else self.now() - self.key_retention_us
        with self.write() as conn:
            migrate(conn, postgres=self.is_postgres, forget_before=forget)

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

    def lock_gift(self, conn: Connection, gift_id: int, store_id: int) -> GiftRow | None:
        """The gift row, locked on PostgreSQL (SQLite's writer holds the whole database).
        A key's claim held back on PostgreSQL is sent in the same statement."""
        sql = self.sql
        hold = held(conn) if sql.postgres else None
        claim = None if hold is None else hold.claim
        if hold is None or claim is None:
            params: dict[str, object] = {"id": gift_id, "store_id": store_id}
            return sql.gift(conn, sql.lock_gift, params, gift_id=gift_id)
        hold.claim = None
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
        return None if row[1] is None else GiftRow.from_db(row[1:])

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

    def set_cash_out(self, store_id: int, allowed: bool, maximum: int | None) -> JsonOutObject:
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
        operation: Callable[[Connection], Reply],
        bound: str | None = None,
    ) -> tuple[int, bytes, bool]:
        """`idempotent_in` in a transaction of its own (for callers off the event loop)."""
        with self.write() as conn:
            return self.idempotent_in(conn, store_id, key, operation, bound)

    async def idempotent_async(
        self,
        store_id: int,
        key: str | None,
        operation: Callable[[Connection], Reply],
        bound: str | None = None,
    ) -> tuple[int, bytes, bool]:
        """`idempotent_in` without blocking the event loop, on the group-commit writer."""
        answer: tuple[int, bytes, bool] = await self._group.run(
            lambda conn: self.idempotent_in(conn, store_id, key, operation, bound)
        )
        return answer

    async def read_async(self, fn: Callable[[Connection], T]) -> T:
        """fn's result from a read transaction on the reader thread, shared by a batch."""
        return await self._reads.run(fn)

    def idempotent_in(
        self,
        conn: Connection,
        store_id: int,
        key: str | None,
        operation: Callable[[Connection], Reply],
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
                hold = holding(conn)
                hold.claim = (self.sql.claim_key, params)
                status, body = self._answer(conn, operation)
                if hold.claim is not None:  # the operation asked the database nothing
                    send_claim(conn, hold)
            elif run(conn, self.sql.claim_key, params).fetchone() is not None:
                status, body = self._answer(conn, operation)
            else:
                raise Replay
        except Replay:
            return self._replay(conn, params, bound)
        params.update(status=status, body=body)
        self.sql.later(conn, self.sql.keep_answer, params)
        return status, body, False

    def _replay(
        self, conn: Connection, params: dict[str, object], bound: str | None
    ) -> tuple[int, bytes, bool]:
        stored, body, bound_to = self.sql.run(conn, self.sql.stored_answer, params).fetchone()
        if (refusal := keys.reused(bound_to, bound)) is not None:
            return refusal.status, dumps(refusal.body()), False  # not kept: the key is taken
        if stored == 0:  # cannot happen while the first holds its lock; said for safety
            raise Problem(
                "request_in_progress",
                "The same request is still being processed",
                headers={"Retry-After": "1"},
            )
        return stored, bytes(body), True

    @staticmethod
    def _answer(conn: Connection, operation: Callable[[Connection], Reply]) -> tuple[int, bytes]:
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
