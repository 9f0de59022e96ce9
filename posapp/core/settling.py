"""One card, one movement at a time while an outcome is not known (issue 18).

A movement still to settle (no answer yet, or an answer the journal could not write) may
have moved money. A second movement on the same card before it settles is how a card gets
charged twice: the cashier, not told the first went through, presses again. So the till
moves no money on a card with a movement still to settle, and says why.
"""

from __future__ import annotations

from collections.abc import Iterable

from posapp.core.entry import Entry
from posapp.core.glossary import RECEIPT_OF, items
from posapp.core.intent import Intent
from posapp.core.money import format_money
from posapp.core.till import last_four

# What a cashier must not do while a movement of this kind is not confirmed.
DO_NOT = {
    "redemption": "Do not hand over the goods and do not charge the card again",
    "cash_out": "Do not pay out the cash and do not try the cash-out again",
    "activation": "Do not hand over the card and do not sell it again",
    "issue": "Do not hand over a card for this refund and do not refund it again",
    "reversal": "Do not give anything back yet and do not reverse it again",
}


def unsettled_on_card(to_settle: Iterable[Entry], wanted: Intent, code: str) -> Entry | None:
    """The first movement still to settle on the card `wanted` moves money on (the same
    serial, or the same gift at the provider); None when there is none. A refund to a new
    card moves money on no card there is yet."""
    if wanted.operation == "issue":
        return None
    for entry in to_settle:
        if entry.code == code or (wanted.gift_id is not None and entry.gift_id == wanted.gift_id):
            return entry
    return None


def _what(operation: str, amount: int | None, quantity: int | None, money: str) -> str:
    what = RECEIPT_OF.get(operation, "a transaction")
    if quantity is not None:
        return f"{what} of {items(quantity, None)}"
    return f"{what} of {money}" if amount is not None else what


def still_to_settle(entry: Entry, locale: str) -> str:
    """Why a card takes no movement now, and what to do."""
    money = format_money(entry.amount or 0, entry.currency, locale)
    what = _what(entry.operation, entry.amount, entry.quantity, money)
    return (
        f"Card {last_four(entry.code)} has {what} that is not confirmed yet: no more money "
        "moves on this card until the till has finished that one (it keeps trying by "
        "itself). Scan the card again in a moment."
    )


def not_written(
    wanted: Intent, code: str, currency: str, locale: str, *, journal: str, problem: str
) -> str:
    """An outcome the provider gave and the journal could not write: it may have moved
    money, so it is not confirmed; what not to do; the till finishes it by itself."""
    money = format_money(wanted.amount or 0, currency, locale)
    what = _what(wanted.operation, wanted.amount, wanted.quantity, money)
    where = "" if wanted.operation == "issue" else f" on {last_four(code)}"
    return (
        f"Not confirmed: {what}{where} may have gone through, but the till could not write "
        f"it to its journal {journal} ({problem}). {DO_NOT[wanted.operation]}; tell the manager. The "
        "till finishes it by itself as soon as it can write to its journal."
    )
