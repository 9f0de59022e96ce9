"""A fresh till has no manager PIN: the keys that ask for one say so before their PIN pad,
in these words (issue 19: they showed a pad and said it only after a PIN was typed)."""

from __future__ import annotations

# The [manager] require_pin_for action each key asks the PIN for (F12: the manager menu).
PIN_FOR_ACTION = {
    "refund": "refund",
    "reverse": "reverse",
    "cash_out": "cash_out",
    "manager": "cards",
}
# What asks for the PIN, as the sentence that says none is set names it.
NEEDS_PIN = {
    "refund": "A refund to a new card",
    "reverse": "A reversal",
    "reversal": "A reversal",
    "cash_out": "A cash-out",
    "manager": "The manager menu",
}


def no_pin(what: str) -> str:
    """Said before a PIN pad that no PIN could open (issue 19: said after one was typed)."""
    return (
        f"{what} needs the manager PIN, and none is set on this till yet. Whoever set the "
        "till up sets one with `posapp set-pin`; the till takes it at once."
    )
