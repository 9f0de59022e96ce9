"""Work off the Tk thread (house rule 1): calls run on a small pool; their results come back
through a queue that the Tk thread drains with after(), in capped batches (Thonny's way)."""

from __future__ import annotations

import functools
import itertools
import queue
import tkinter as tk
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

DRAIN_MS = 15
BATCH = 50


class Worker:
    def __init__(self, root: tk.Misc, threads: int = 4) -> None:
        self.root = root
        self.results: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="posapp-worker")
        self._closed = False
        self._tickets = itertools.count()
        self._callbacks: dict[
            int, tuple[Callable[[Any], None], Callable[[BaseException], None]]
        ] = {}
        self._job = self.root.after(DRAIN_MS, self._drain)

    def submit(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Future[Any]:
        """`call` runs on a worker thread; `on_done` or `on_error` later on the Tk thread.

        The callbacks stay in a table that only the Tk thread touches: if the worker thread
        held the last reference to one, a Tk variable could be freed there, and Tcl refuses
        calls from other threads."""
        ticket = next(self._tickets)
        self._callbacks[ticket] = (on_done, on_error)
        future = self.pool.submit(call)
        future.add_done_callback(
            lambda done: self.results.put(functools.partial(self._finish, ticket, done))
        )
        return future

    def _finish(self, ticket: int, done: Future[Any]) -> None:
        on_done, on_error = self._callbacks.pop(ticket)
        error = done.exception()
        if error is None:
            on_done(done.result())
        else:
            on_error(error)

    def post(self, action: Callable[[], None]) -> None:
        """From any thread (a scanner's, the settler's): run `action` on the Tk thread."""
        self.results.put(action)

    def _drain(self) -> None:
        if self._closed:
            return
        for _ in range(BATCH):
            try:
                action = self.results.get_nowait()
            except queue.Empty:
                break
            action()
        self._job = self.root.after(DRAIN_MS, self._drain)

    def close(self, *, wait: bool = False) -> None:
        """Stop draining; queued calls are dropped. `wait` also waits for the running ones,
        so that nothing of the window is still held by a worker thread afterwards."""
        self._closed = True
        self.root.after_cancel(self._job)
        self.pool.shutdown(wait=wait, cancel_futures=True)
        if wait:
            self._callbacks.clear()
            while not self.results.empty():
                self.results.get_nowait()
