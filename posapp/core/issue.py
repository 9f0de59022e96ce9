"""A refund to a new gift card, done: one statement in the cashier's words. Pure.

The demo trial (6): the result read "Refund to gift card: $15.99 done; receipt printed." in
the amber of a wrong-PIN warning said after it, and nothing told the cashier that the slip
is the customer's card: its code is printed on it in full, and nowhere else on paper.
"""

from __future__ import annotations

from posapp.core.serial_number import short
from posapp.i18n import N_, _

HAND_OVER = N_("Give the customer this slip: it is their card")


def refund_done(amount: str, code: str | None, printed: str, *, on_paper: bool) -> str:
    """`printed`: what became of the slip ("receipt printed", or where it went); `on_paper`:
    it came out of a printer the cashier can hand the slip from."""
    if code:
        done = _("Refund of {amount} put on the new card {card}; {printed}.").format(
            amount=amount, card=short(code), printed=printed
        )
    else:
        done = _("Refund of {amount} put on a new card; {printed}.").format(
            amount=amount, printed=printed
        )
    if on_paper:
        return f"{done} {_(HAND_OVER)}."
    return done
