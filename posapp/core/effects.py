"""What the till asks the window to do besides a call that moves money (core/till.py's
`Move`): checks, sounds, a scan for a manager screen. Values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Check:
    """A card to check with the provider (the scan as it came)."""

    request: int
    text: str


@dataclass(frozen=True, slots=True)
class CheckSale:
    """A card scanned to sell, to look up before the confirm (issue 19.4): sold already?"""

    request: int
    text: str


@dataclass(frozen=True, slots=True)
class CheckPin:
    """The manager PIN to check (a slow hash, off the Tk thread)."""

    request: int
    pin: str


@dataclass(frozen=True, slots=True)
class ToScreen:
    """A scan while a manager screen is open: the screen takes it or says why not."""

    text: str


@dataclass(frozen=True, slots=True)
class Sound:
    """The good or the bad sound."""

    kind: Literal["good", "bad"]


@dataclass(frozen=True, slots=True)
class RefreshShift:
    """Read the shift list again."""

    pass


@dataclass(frozen=True, slots=True)
class CheckUndo:
    """A transaction to reverse or void: its card looked up before the manager's PIN (the
    retrial of a till, O: a redemption was reversed onto a card cashed out since)."""

    request: int
    entry_id: int
