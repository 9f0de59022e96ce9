"""An action's key pressed again while what that key opened is still open: nothing to do and
nothing to say. The trials read "Redeem is not open here" after a second F2 in Redeem, and
"Reports is not open here" after F10 in Reports: wrong words about what is on screen."""

from __future__ import annotations

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
}


def already_open(name: str, phase: str, what: str | None) -> bool:
    """`what`: the purpose of an amount, the screen on show, or the kind of the request
    waiting for Enter (None for the pick list)."""
    if name == "manager" and (phase, what) == ("screen", "manager"):
        return True  # F12 on the manager menu it opened
    return OPENS.get(name) == (phase, what)
