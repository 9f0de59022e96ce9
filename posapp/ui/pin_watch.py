"""A manager PIN set while the till runs works at once (issue 19: `posapp set-pin` was not
seen until a restart, so a fresh till's PIN pads stayed shut).

Every two seconds, on a worker thread, the config file's size and time are looked at; when
they change, [manager] pin_hash is read again (posapp.config_file.read_pin_hash) and given
to the engine's PIN check and to the till, on the Tk thread. A stat is cheap; the Tk thread
never touches the file."""

from __future__ import annotations

import logging
from pathlib import Path

from posapp.core.till_events import PinSet
from posapp.ui.host import ScreenHost

log = logging.getLogger("posapp.ui")
EVERY_MS = 2000


def take_pin(window: ScreenHost, pin_hash: str) -> None:
    """On the Tk thread: the PIN as the file now has it (Settings' Save gives it here too)."""
    window.services_.pin.stored_hash = pin_hash
    if window.till.pin_set != bool(pin_hash):
        window.send(PinSet(bool(pin_hash)))


class PinWatch:
    def __init__(self, window: ScreenHost, path: Path) -> None:
        self.window = window
        self.path = path
        self.seen = self._stamp()
        self.job = window.root.after(EVERY_MS, self._look)

    def _stamp(self) -> tuple[int, int] | None:
        try:
            found = self.path.stat()
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size

    def _look(self) -> None:
        worker = self.window.worker
        if worker.closed:
            return

        def read() -> str | None:
            stamp = self._stamp()
            if stamp is None or stamp == self.seen:
                return None
            from posapp.config_file import read_pin_hash

            pin_hash = read_pin_hash(self.path)
            self.seen = stamp
            return pin_hash

        def took(pin_hash: str | None) -> None:
            if pin_hash is not None:
                take_pin(self.window, pin_hash)
            self.job = self.window.root.after(EVERY_MS, self._look)

        def failed(error: BaseException) -> None:
            # A file caught half-written, or not TOML for a moment: read again next time.
            log.warning("the config file could not be read for the PIN: %s", error)
            self.job = self.window.root.after(EVERY_MS, self._look)

        worker.submit(read, took, failed)
