"""Keyboard-wedge scans told from a person typing, by the time between keys. Pure.

A USB scanner "types" the code in a few milliseconds a key and ends with Enter (or Tab); a
person, even a fast typist, leaves 60 ms or more between keys. Tk gives each key event a
time in milliseconds (`event.time`); the classifier needs nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENDS = frozenset({"Return", "KP_Enter", "Tab"})
MIN_LENGTH = 4
MAX_LENGTH = 256  # as a serial scanner's longest line (hardware.scanners.serial.MAX_LINE)


@dataclass(frozen=True, slots=True)
class Key:
    keysym: str  # Tk's name: "a", "Return", "KP_Enter", "Shift_L", ...
    char: str  # what it types ("" for Shift and the like)
    time_ms: int


@dataclass
class WedgeClassifier:
    """Feed every key; `feed` answers the scanned text when a scan ends, else None.

    The window holds every printable key back until it knows (posapp.ui.window), so a scan
    never lands in the amount field.
    """

    max_key_gap_ms: int = 50
    buffer: list[Key] = field(default_factory=list)
    # A burst of keys at scanner speed longer than any scan (issue 18.7: a scanner stuck
    # in a loop): held no longer, and its keys are dropped until it pauses or ends.
    overlong: bool = False
    last_ms: int | None = None

    def feed(self, key: Key) -> str | None:
        last, self.last_ms = self.last_ms, key.time_ms
        if last is not None and not 0 <= key.time_ms - last <= self.max_key_gap_ms:
            self.buffer.clear()  # too slow (or the clock wrapped): a person, start again
            self.overlong = False
        if key.keysym in ENDS:
            text = "".join(k.char for k in self.buffer)
            fast = bool(self.buffer) and not self.overlong
            self.buffer.clear()
            self.overlong = False
            return text if fast and len(text) >= MIN_LENGTH else None
        if key.char and key.char.isprintable() and not self.overlong:
            self.buffer.append(key)
            if len(self.buffer) > MAX_LENGTH:
                self.buffer.clear()
                self.overlong = True
        return None
