"""What the cashier does while a money movement's outcome is not known. Pure.

A call with no answer in time is kept and settled by the till (terminal/settle.py): it went
through, or it did not and the provider canceled it (api.md "Canceling a movement that never
came"). Until then the customer stands at the counter, and the trial's cashier read only
"It is kept to settle and finished automatically" (trial till #1/A): one who took another
payment meanwhile, or let the customer go with the goods, was wrong whichever way it went.
So the panel and the NOT CONFIRMED slip say what to do now: hold on, take nothing else.
"""

from __future__ import annotations

from posapp.core.settled import OPERATION_OF

# What to do until the outcome is known, by movement.
HOLD = {
    "redemption": "hold the goods, do not take another payment until this is confirmed",
    "cash_out": "do not pay out the cash or take another payment until this is confirmed",
    "activation": "hold the card, do not take another payment until this is confirmed",
    "issue": "do not refund the customer another way until this is confirmed",
    "reversal": "do not give anything back another way until this is confirmed",
    "void": "do not give the money back until this is confirmed",
}


def hold(kind: str) -> str:
    """What to do until it is confirmed, for a till call's kind or a movement."""
    return HOLD.get(OPERATION_OF.get(kind, kind), HOLD["redemption"])


def no_answer(kind: str, words: str) -> str:
    """The panel's words for a call left without an answer (`words`: what it asked)."""
    to_do = hold(kind)
    return (
        f"Not confirmed yet: {words}. {to_do[0].upper()}{to_do[1:]}. The till finds out by "
        "itself and then says what to do; the receipt says NOT CONFIRMED."
    )


def on_slip(kind: str) -> str:
    """The NOT CONFIRMED slip's note under its lines."""
    return (
        f"The provider has not confirmed this yet: {hold(kind)}. The till finds out by itself "
        "and prints what happened; keep this slip."
    )
