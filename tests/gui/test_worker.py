"""posapp.ui.worker: results reach the Tk thread when they arrive (issue 14), through a pipe
Tk watches; the after() poll where there is none."""

from __future__ import annotations

import _tkinter
import threading
import tkinter as tk
from collections.abc import Iterator
from typing import Any

import pytest

from posapp.ui import worker as worker_module
from posapp.ui.worker import BATCH, Worker
from tests.helpers import wait_for


@pytest.fixture
def root(xvfb: Any) -> Iterator[tk.Tk]:
    root = tk.Tk()
    root.withdraw()
    yield root
    root.destroy()


def only_file_events(root: tk.Tk) -> None:
    """One turn of Tk's loop that serves file handlers and nothing else: no timers."""
    root.tk.dooneevent(_tkinter.FILE_EVENTS | _tkinter.DONT_WAIT)


def test_a_result_is_delivered_by_the_pipe_not_by_a_timer(root: tk.Tk) -> None:
    worker = Worker(root)
    seen: list[tuple[str, int]] = []
    try:
        worker.submit(
            lambda: "balance",
            lambda value: seen.append((value, threading.get_ident())),
            lambda error: seen.append((repr(error), 0)),
        )
        wait_for(lambda: (only_file_events(root), seen)[1], 5, "the result by the pipe", 0)
        assert seen == [("balance", threading.get_ident())]  # on the Tk thread
    finally:
        worker.close(wait=True)


def test_more_than_a_batch_arrives_whole_and_in_order(root: tk.Tk) -> None:
    worker = Worker(root)
    seen: list[int] = []
    try:
        posting = threading.Thread(
            target=lambda: [worker.post(lambda i=i: seen.append(i)) for i in range(3 * BATCH)]
        )
        posting.start()
        posting.join(10)
        wait_for(lambda: (only_file_events(root), len(seen) == 3 * BATCH)[1], 5, "all", 0)
        assert seen == list(range(3 * BATCH))
    finally:
        worker.close(wait=True)


def test_a_post_after_close_is_dropped_quietly(root: tk.Tk) -> None:
    worker = Worker(root)
    worker.close(wait=True)
    seen: list[int] = []
    posting = threading.Thread(target=lambda: worker.post(lambda: seen.append(1)))
    posting.start()
    posting.join(10)
    root.update()
    assert seen == []


def test_without_a_pipe_the_queue_is_polled(root: tk.Tk, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pipe() -> tuple[int, int]:
        raise OSError("no pipes here")

    monkeypatch.setattr(worker_module.os, "pipe", no_pipe)
    worker = Worker(root)
    seen: list[str] = []
    try:
        worker.submit(lambda: "polled", seen.append, lambda error: seen.append(repr(error)))
        wait_for(lambda: (root.update(), seen)[1], 5, "the result by after()")
        assert seen == ["polled"]
    finally:
        worker.close(wait=True)
