"""Work off the Tk thread (house rule 1): calls run on a small pool; their results come back
through a queue that the Tk thread drains with after(), in capped batches (Thonny's way)."""

from __future__ import annotations

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
        self.root.after(DRAIN_MS, self._drain)

    def submit(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Future[Any]:
        """`call` runs on a worker thread; `on_done` or `on_error` later on the Tk thread."""
        future = self.pool.submit(call)

        def finished(done: Future[Any]) -> None:
            error = done.exception()
            if error is None:
                result = done.result()
                self.results.put(lambda: on_done(result))
            else:
                self.results.put(lambda: on_error(error))

        future.add_done_callback(finished)
        return future

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
        self.root.after(DRAIN_MS, self._drain)

    def close(self) -> None:
        self._closed = True
        self.pool.shutdown(wait=False, cancel_futures=True)
