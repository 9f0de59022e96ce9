"""A manager PIN set while the till runs works at once (issue 19: `posapp set-pin` was not
seen until a restart, so a fresh till's PIN pads stayed shut).

Every two seconds, on a worker thread, the config file's size and time are looked at; when
they change, [manager] pin_hash is read again (SettingsStore.pin_hash_if_changed,
posapp/adapters/settings_file.py) and given to the engine's PIN check and to the till, on
the Tk thread. A stat is cheap; the Tk thread never touches the file."""

from __future__ import annotations

import logging

from posapp.config_form import SettingsStore
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
    def __init__(self, window: ScreenHost, settings: SettingsStore) -> None:
        self.window = window
        self.settings = settings
        self.job = window.root.after(EVERY_MS, self._look)

    def _look(self) -> None:
        worker = self.window.worker
        if worker.closed:
            return

        def took(pin_hash: str | None) -> None:
            if pin_hash is not None:
                take_pin(self.window, pin_hash)
            self.job = self.window.root.after(EVERY_MS, self._look)

        def failed(error: BaseException) -> None:
            # A file caught half-written, or not TOML for a moment: read again next time.
            log.warning("the config file could not be read for the PIN: %s", error)
            self.job = self.window.root.after(EVERY_MS, self._look)

        worker.submit(self.settings.pin_hash_if_changed, took, failed)
