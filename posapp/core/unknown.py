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
from posapp.i18n import N_, _

# What to do until the outcome is known, by movement.
HOLD = {
    "redemption": N_("hold the goods, do not take another payment until this is confirmed"),
    "cash_out": N_("do not pay out the cash or take another payment until this is confirmed"),
    "activation": N_("hold the card, do not take another payment until this is confirmed"),
    "issue": N_("do not refund the customer another way until this is confirmed"),
    "reversal": N_("do not give anything back another way until this is confirmed"),
    "void": N_("do not give the money back until this is confirmed"),
}


def hold(kind: str) -> str:
    """What to do until it is confirmed, for a till call's kind or a movement."""
    return _(HOLD.get(OPERATION_OF.get(kind, kind), HOLD["redemption"]))


def no_answer(kind: str, words: str) -> str:
    """The panel's words for a call left without an answer (`words`: what it asked)."""
    to_do = hold(kind)
    said = _(
        "Not confirmed yet: {words}. {to_do}. The till finds out by itself and then says what "
        "to do; the receipt says NOT CONFIRMED."
    )
    return said.format(words=words, to_do=to_do[:1].upper() + to_do[1:])


def on_slip(kind: str) -> str:
    """The NOT CONFIRMED slip's note under its lines."""
    said = _(
        "The provider has not confirmed this yet: {to_do}. The till finds out by itself and "
        "prints what happened; keep this slip."
    )
    return said.format(to_do=hold(kind))
