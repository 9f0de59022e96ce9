"""The manager PIN's lock-out: a frozen value whose `wrong` and `right` return the next one.
Pure: the clocks come in as a `Now`.

Issue 18.8: the lock was an absolute wall-clock time (a lock taken with the clock a year
ahead read "locked for 31536060 s more" once the clock was put right), and it was 5 tries a
minute forever: 10,000 tries, every 4-digit PIN, in 2,000 one-minute locks, 33 hours (17 on
average). Now:
- a lock is kept as its length and when it began, on the monotonic clock of the boot it
  began in (which no setting of the date moves); after a reboot, on the wall clock, but
  never longer than its own length, whichever way the clock was moved;
- each lock-out in a row doubles the next lock, from a minute up to an hour, until the
  right PIN is entered: 10,000 tries take 83 days (41 on average);
- the wrong tries since the last right PIN are counted, for the manager to see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from posapp.core.receipt import Line
from posapp.i18n import _, ngettext

MAX_TRIES = 5  # wrong PINs in a row before a lock
FIRST_LOCK_S = 60.0
LONGEST_LOCK_S = 3600.0


@dataclass(frozen=True, slots=True)
class Now:
    wall: float  # time.time(): survives a reboot, but anyone can set it
    mono: float  # time.monotonic(): only counts on, within one boot
    boot: str  # which boot `mono` belongs to


@dataclass(frozen=True, slots=True)
class PinLock:
    tries: int = 0  # wrong PINs since the last lock or the last right PIN
    lockouts: int = 0  # locks in a row since the last right PIN
    lock_s: float = 0.0  # the last lock's length (0: none yet)
    locked_at: float = 0.0  # the wall clock when it began
    boot: str = ""  # the boot it began in, and the monotonic clock then
    locked_mono: float = 0.0
    wrong: int = 0  # wrong PINs since the last right one
    last_wrong_at: float = 0.0  # the wall clock of the last of them

    def left(self, now: Now) -> float:
        """Seconds of the lock still to run (0: not locked), never more than its length."""
        if self.lock_s <= 0:
            return 0.0
        ran = now.mono - self.locked_mono if now.boot == self.boot else now.wall - self.locked_at
        return self.lock_s - min(max(ran, 0.0), self.lock_s)

    def wrong_pin(self, now: Now) -> PinLock:
        tried = replace(self, tries=self.tries + 1, wrong=self.wrong + 1, last_wrong_at=now.wall)
        if tried.tries < MAX_TRIES:
            return tried
        lockouts = self.lockouts + 1
        return replace(
            tried,
            tries=0,
            lockouts=lockouts,
            lock_s=lock_length(lockouts),
            locked_at=now.wall,
            boot=now.boot,
            locked_mono=now.mono,
        )

    def right_pin(self) -> PinLock:
        return PinLock()

    @property
    def tries_left(self) -> int:
        return MAX_TRIES - self.tries


def lock_length(lockouts: int) -> float:
    """The lock after the n-th lock-out in a row: a minute, doubled each time, up to an hour."""
    return min(FIRST_LOCK_S * float(2 ** min(lockouts - 1, 32)), LONGEST_LOCK_S)


def duration(seconds: float) -> str:
    """'45 s', '4 min', '1 h', '2 min 5 s': how long, as a person says it."""
    whole = max(int(seconds + 0.999), 1)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
        f"{secs} s" if secs else "",
    ]
    return " ".join(p for p in parts if p)


def wrong_pin_lines(wrong: int, locks: int) -> tuple[Line, ...]:
    """The X and Z reports' lines for the shift's wrong manager PINs: a report is what the
    owner reads each day, on paper, whoever entered the next right PIN (issue 18.8)."""
    if not wrong:
        return ()
    said = str(wrong)
    if locks:
        said = ngettext(
            "{wrong}, locked {locks} time", "{wrong}, locked {locks} times", locks
        ).format(wrong=wrong, locks=locks)
    return (Line(_("Wrong manager PINs"), said, bold=True),)
