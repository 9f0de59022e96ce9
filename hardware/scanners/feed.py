"""Scans on their way to the till, bounded (issue 18.7).

A scanner flood (10,000 scans a second through a serial port) queued without limit: 59,537
scans waiting, 66 -> 327 MB, and a real card scanned after it shown 8 s later. No person
scans more than a few cards a second, so a feed keeps the newest few scans and drops the
older ones, counting them; the till takes them one at a time, so a flood costs it a scan now
and then and the card scanned after it comes next.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger("hardware.scanner")

CAPACITY = 4  # scans waiting: more than anyone scans between two looks of the till
REPORT_EVERY_S = 10.0  # a flood that goes on is logged this often, as a count
QUIET_S = 0.5  # no drop for this long: the flood is over


class ScanFeed:
    """Any thread puts; one taker (the till's thread) takes. `on_ready` is called, from the
    putting thread, when a scan arrives and the taker is not already due to take."""

    def __init__(
        self,
        on_ready: Callable[[], None],
        capacity: int = CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.on_ready, self.capacity, self.clock = on_ready, capacity, clock
        self._scans: deque[str] = deque()
        self._lock = threading.Lock()
        self._due = False  # the taker has been told and has not found the feed empty since
        self.dropped = 0  # since the last report
        self.dropped_total = 0
        self.most_waiting = 0
        self._since = 0.0  # when the drops being counted began
        self._last_drop = 0.0

    def put(self, text: str) -> None:
        with self._lock:
            if len(self._scans) >= self.capacity:
                self._scans.popleft()  # the oldest waiting: the newest is the one to show
                self._drop(1)
            self._scans.append(text)
            self.most_waiting = max(self.most_waiting, len(self._scans))
            wake, self._due = not self._due, True
        if wake:
            self.on_ready()

    def drop(self, count: int) -> None:
        """Scans dropped before they were put (a reader's read that brought more)."""
        with self._lock:
            self._drop(count)

    def _drop(self, count: int) -> None:
        self._last_drop = self.clock()
        if not self.dropped:
            self._since = self._last_drop
        self.dropped += count
        self.dropped_total += count

    def take(self) -> str | None:
        """The oldest scan waiting, or None. Once the feed is empty the next put wakes the
        taker again; while scans wait, the taker comes back for them on its own."""
        with self._lock:
            text = self._scans.popleft() if self._scans else None
            self._due = bool(self._scans)
            report = self._report_due()
        if report:
            log.warning(report)
        return text

    def report(self) -> bool:
        """The flood's line, if it is over (or has lasted REPORT_EVERY_S); True while drops
        are still to be told (the taker asks again a little later)."""
        with self._lock:
            words = self._report_due()
            pending = bool(self.dropped)
        if words:
            log.warning(words)
        return pending

    @property
    def waiting(self) -> int:
        return len(self._scans)

    def _report_due(self) -> str | None:
        """One line for a flood: when it is over, and every REPORT_EVERY_S while it lasts."""
        now = self.clock()
        over = now - self._last_drop >= QUIET_S
        if not self.dropped or not (over or now - self._since >= REPORT_EVERY_S):
            return None
        words = (
            f"scanner flood: {self.dropped:,} scans dropped in {now - self._since:.1f} s, more "
            f"than a person scans (only the newest {self.capacity} are kept); a scanner stuck "
            "or sending in a loop?"
        )
        self.dropped = 0
        return words
