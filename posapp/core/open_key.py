"""An action's key pressed again while what that key opened is still open: nothing to do and
nothing to say. The trials read "Redeem is not open here" after a second F2 in Redeem, and
"Reports is not open here" after F10 in Reports: wrong words about what is on screen."""

from __future__ import annotations

from typing import Protocol

# What each key opens and waits on: a phase with its purpose, screen or request's kind.
OPENS: dict[str, tuple[str, str | None]] = {
    "redeem": ("entering", "redeem"),
    "sell": ("entering", "sell"),
    "refund": ("entering", "refund"),
    "use_all": ("confirming", "redeem_all"),
    "cash_out": ("confirming", "cash_out"),
    "reverse": ("picking", None),
    "reports": ("screen", "reports"),
    "manager": ("confirming", "open_manager"),
    "sale": ("entering", "due"),
}


class Asked(Protocol):
    @property
    def kind(self) -> str: ...


class Open(Protocol):
    """What the till has open (posapp.core.till.Till)."""

    @property
    def phase(self) -> str: ...
    @property
    def purpose(self) -> str | None: ...
    @property
    def screen(self) -> str | None: ...
    @property
    def pending(self) -> Asked | None: ...


def already_open(name: str, till: Open) -> bool:
    """Whether the key of action `name` opened what the till has open now."""
    if till.phase == "entering":
        what = till.purpose
    elif till.phase == "screen":
        what = till.screen
        if name == "manager" and what == "manager":
            return True  # F12 on the manager menu it opened
    elif till.phase == "confirming" and till.pending is not None:
        what = till.pending.kind
    else:
        what = None
    return OPENS.get(name) == (till.phase, what)
