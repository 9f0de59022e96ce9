"""Work off the Tk thread (house rule 1): calls run on a small pool; their results come back
through a queue that the Tk thread drains in capped batches (Thonny's way).

The Tk thread learns of a result when it arrives: each put writes a byte to a pipe that Tk
watches with createfilehandler, so the drain runs at once instead of at the next poll
(issue 14: a 15 ms poll was 8 of a scan's 14 ms). Where Tk has no file handlers (Windows),
the queue is polled with after(), as before."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import queue
import threading
import tkinter as tk
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
V = TypeVar("V")
DRAIN_MS = 15
BATCH = 50


class Worker:
    def __init__(self, root: tk.Misc, threads: int = 4) -> None:
        self.root = root
        self.results: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="posapp-worker")
        self._closed = False
        self._tickets = itertools.count()
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._job: str | None = None
        self._pipe: tuple[int, int] | None = None
        self._pipe_lock = threading.Lock()  # a write never meets a closed (reused) fd
        try:
            read, write = os.pipe()
            os.set_blocking(read, False)
            os.set_blocking(write, False)
            self.root.tk.createfilehandler(read, tk.READABLE, self._on_pipe)
            self._pipe = (read, write)
        except (AttributeError, tk.TclError, OSError):  # no file handlers here: poll
            self._job = self.root.after(DRAIN_MS, self._drain)

    def submit(
        self,
        call: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> Future[T]:
        """`call` runs on a worker thread; `on_done` or `on_error` later on the Tk thread.

        The callbacks stay in a table that only the Tk thread touches: if the worker thread
        held the last reference to one, a Tk variable could be freed there, and Tcl refuses
        calls from other threads."""
        ticket = next(self._tickets)
        future = self.pool.submit(call)

        def finish() -> None:
            if future.cancelled():  # taken out before it started: whoever did says so
                return
            error = future.exception()
            if error is None:
                on_done(future.result())
            else:
                on_error(error)

        # Before the future can be done: its answer is posted to this (the Tk) thread,
        # which runs it only after this returns.
        self._callbacks[ticket] = finish
        future.add_done_callback(lambda _done: self.post(functools.partial(self._finish, ticket)))
        return future

    @property
    def closed(self) -> bool:
        return self._closed

    def _finish(self, ticket: int) -> None:
        self._callbacks.pop(ticket)()

    def post(self, action: Callable[[], None]) -> None:
        """From any thread (a scanner's, the settler's): run `action` on the Tk thread."""
        self.results.put(action)
        self._wake()

    def _wake(self) -> None:
        with self._pipe_lock:
            if self._pipe is not None:
                with contextlib.suppress(BlockingIOError):  # full: a wake-up is pending
                    os.write(self._pipe[1], b"!")

    def _on_pipe(self, fd: int, _mask: int) -> None:
        # Empty the pipe before the queue: a put after this read writes a byte, so no
        # result is left waiting for a wake-up that already happened.
        with contextlib.suppress(BlockingIOError):
            while os.read(fd, 4096):
                pass
        if not self._closed and not self._run_batch():
            self._wake()  # more than a batch: the rest after Tk has seen other events

    def _drain(self) -> None:
        if self._closed:
            return
        self._run_batch()
        self._job = self.root.after(DRAIN_MS, self._drain)

    def _run_batch(self) -> bool:
        """Up to BATCH actions; True when the queue is empty."""
        for _ in range(BATCH):
            try:
                action = self.results.get_nowait()
            except queue.Empty:
                return True
            action()
        return self.results.empty()

    def close(self, *, wait: bool = False) -> None:
        """Stop draining; queued calls are dropped. `wait` also waits for the running ones,
        so that nothing of the window is still held by a worker thread afterwards."""
        self._closed = True
        if self._job is not None:
            self.root.after_cancel(self._job)
        with self._pipe_lock:
            if self._pipe is not None:
                self.root.tk.deletefilehandler(self._pipe[0])
                for fd in self._pipe:
                    os.close(fd)
                self._pipe = None
        self.pool.shutdown(wait=wait, cancel_futures=True)
        if wait:
            self._callbacks.clear()
            while not self.results.empty():
                self.results.get_nowait()


class Latest:
    """One call of a kind at a time on a Worker; asked for while one runs, a call waits, and
    a newer one takes its place (issue 18.7: a flood of scans made a card check each, and
    the pool's queue grew without bound while the card scanned after it waited behind
    them). The till answers only its latest check, so one that is replaced is never run."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self._running = False
        self._waiting: Callable[[], None] | None = None  # submits the call waiting

    def submit(
        self,
        call: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """On the Tk thread, like Worker.submit."""
        if self._running:
            self._waiting = lambda: self.submit(call, on_done, on_error)
            return
        self._running = True
        self.worker.submit(
            call,
            lambda value: self._then(on_done, value),
            lambda error: self._then(on_error, error),
        )

    def _then(self, answer: Callable[[V], None], value: V) -> None:
        self._running = False
        waiting, self._waiting = self._waiting, None
        try:
            answer(value)
        finally:
            if waiting is not None:
                waiting()
