"""A refund to a new gift card, done: one statement in the cashier's words. Pure.

The demo trial (6): the result read "Refund to gift card: $15.99 done; receipt printed." in
the amber of a wrong-PIN warning said after it, and nothing told the cashier that the slip
is the customer's card: its code is printed on it in full, and nowhere else on paper.
"""

from __future__ import annotations

from posapp.core.serial_number import short

HAND_OVER = "Give the customer this slip: it is their card"


def refund_done(amount: str, code: str | None, printed: str, *, on_paper: bool) -> str:
    """`printed`: what became of the slip ("receipt printed", or where it went); `on_paper`:
    it came out of a printer the cashier can hand the slip from."""
    card = f"the new card {short(code)}" if code else "a new card"
    done = f"Refund of {amount} put on {card}; {printed}."
    if on_paper:
        return f"{done} {HAND_OVER}."
    return done
