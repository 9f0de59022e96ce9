"""Many calls in one transaction and one commit, on one thread per kind (writes, reads)."""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeAlias, TypeVar, cast

from sqlalchemy.engine import Connection, Engine

T = TypeVar("T")
# A waiting call: what to run, and the event loop and future to answer it on.
_Call: TypeAlias = tuple[
    Callable[[Connection], object], asyncio.AbstractEventLoop, asyncio.Future[object]
]
_Outcome: TypeAlias = tuple[asyncio.Future[object], object, BaseException | None]


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

    def __init__(
        self, engine: Engine, lock: AbstractContextManager[object], *, writes: bool = True
    ) -> None:
        self.engine = engine
        self.lock = lock
        self.writes = writes
        self.queue: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self.conn: Connection | None = None
        name = "provider-writer" if writes else "provider-reader"
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """fn's result once its batch has committed, awaited on the caller's event loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[object] = loop.create_future()
        self.queue.put((fn, loop, future))
        return cast(T, await future)  # the future holds what fn gave

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

    def _commit(self, batch: list[_Call]) -> None:
        results: list[tuple[object, BaseException | None]]
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
        by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
        for (_fn, loop, future), outcome in zip(batch, results, strict=True):
            by_loop.setdefault(loop, []).append((future, *outcome))
        for loop, answers in by_loop.items():
            with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits
                loop.call_soon_threadsafe(_settle, answers)


def _settle(answers: list[_Outcome]) -> None:
    for future, result, error in answers:
        if future.cancelled():  # the client went away; the write stands, as committed
            continue
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)
