"""A card's code as people see it: the one mask (issue 18.9), for logs, screens and receipts.

product.md: serials are shown by their last four. The last characters tell two cards apart
at the counter, but what is shown must not give the card away: api.md allows codes of 1 to
64 characters, and "the last four" of a code of four was all of it (issue 18.9). So a code of
8 or more shows its last 4, of 5 to 7 its last 1 to 3, of 4 or fewer nothing.
"""

from __future__ import annotations

TAIL = 4  # the most a mask shows


def shown(code: str) -> str:
    """What a mask leaves of the code: its last four at most, at least four hidden."""
    return code[len(code) - min(TAIL, max(len(code) - TAIL, 0)) :]


def mask(code: str, hidden: str = "•") -> str:
    """The whole code with all but `shown` hidden: `hidden` is the sign for each hidden
    character ("*" where a printer lacks "•", and in logs)."""
    tail = shown(code)
    return hidden * (len(code) - len(tail)) + tail


def short(code: str) -> str:
    """How the till names a card in its words and lists: "••0001" (two signs, then what
    `mask` shows)."""
    return "••" + shown(code)
