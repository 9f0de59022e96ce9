"""Scans from every scanner to the till, bounded and paced (issue 18.7).

The serial reader's thread and the keyboard wedge put each scan into one ScanFeed (the
newest few kept, older ones dropped and counted in the log); the Tk thread takes one, gives
it to the till at once, and when more wait, takes the next after GAP_MS. A person scans a
card every second or so; a flood of 10,000 a second reaches the till 20 times a second, and
the card scanned after the flood is among the next few taken.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import TypedDict

from hardware.scanners.feed import CAPACITY, ScanFeed

GAP_MS = 50  # between two scans given to the till: 20 a second, more than anyone scans
REPORT_MS = 600  # after the last one of a flood: its count is logged once it is quiet


class Scans:
    def __init__(
        self,
        root: tk.Misc,
        post: Callable[[Callable[[], None]], None],
        deliver: Callable[[str], None],
    ) -> None:
        """`post` runs a call on the Tk thread from any thread (Worker.post); `deliver`
        gives a scan to the till (on the Tk thread)."""
        self.root, self.deliver = root, deliver
        self.feed = ScanFeed(lambda: post(self._take), CAPACITY)
        self._job: str | None = None
        self._report_job: str | None = None

    def put(self, text: str) -> None:
        """From any thread: a scan, as a scanner read it."""
        self.feed.put(text)

    def _take(self) -> None:
        if self._job is not None:
            return  # paced: the timer takes the next one
        text = self.feed.take()
        if text is None:
            return
        if self.feed.waiting:  # more than one at a time: a flood, taken at a pace
            self._job = self.root.after(GAP_MS, self._next)
        elif self.feed.dropped and self._report_job is None:
            self._report_job = self.root.after(REPORT_MS, self._report)  # the flood's count
        self.deliver(text)

    def _report(self) -> None:
        self._report_job = None
        if self.feed.report():  # not quiet yet
            self._report_job = self.root.after(REPORT_MS, self._report)

    def _next(self) -> None:
        self._job = None
        self._take()

    def close(self) -> None:
        for job in (self._job, self._report_job):
            if job is not None:
                self.root.after_cancel(job)
        self._job = self._report_job = None


class ReaderOptions(TypedDict):
    keep_last: int
    on_dropped: Callable[[int], None]


def reader_options(scans: Scans) -> ReaderOptions:
    """What a SerialScanner takes to hand only what the feed can keep."""
    return {"keep_last": CAPACITY, "on_dropped": scans.feed.drop}
