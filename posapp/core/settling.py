"""One card, one movement at a time while an outcome is not known (issue 18).

A movement still to settle (in flight, no answer yet, or an answer the journal could not
write) may have moved money. A second movement on the same card before it settles is how a
card gets charged twice: the cashier, not told the first went through, presses again. So the
till moves no money on a card with a movement still to settle, and says why. A refund to a
new card has no card yet: while one is still to settle, no other is issued (the review of the
last stop: F6 pressed again after no answer in time issued a second card).
"""

from __future__ import annotations

from collections.abc import Iterable

from posapp.core.entry import NEW_CARD, Entry
from posapp.core.glossary import RECEIPT_OF, items
from posapp.core.intent import Intent
from posapp.core.money import format_money
from posapp.core.serial_number import short
from posapp.i18n import N_, _

# What a cashier must not do while a movement of this kind is not confirmed ({card}: ••0001).
DO_NOT = {
    "redemption": N_("do not hand over the goods or charge {card} again"),
    "cash_out": N_("do not pay out the cash or try {card} again"),
    "activation": N_("do not hand over card {card} or sell it again"),
    "issue": N_("do not hand over a card for this refund or refund it again"),
    "reversal": N_("do not give anything back or reverse it again"),
    "void": N_("do not give the money back or void {card} again"),
    "adjustment": N_("do not change {card} again"),
    "card_created": N_("do not create {card} again"),
    "card_canceled": N_("do not cancel {card} again"),
}

# A card with a redemption taken offline, not yet sent (issue 24): nothing more on it until
# the provider has it, so the card is never spent twice on the till's word alone.
OFFLINE_QUEUED = N_(
    "Wait: {card} paid {amount} offline, and the till sends it to the gift card provider "
    "when it answers again. Nothing more moves on this card until then: take another payment"
)


def unsettled_on_card(to_settle: Iterable[Entry], wanted: Intent, code: str) -> Entry | None:
    """The first movement still to settle on the card `wanted` moves money on (the same
    serial, or the same gift at the provider); None when there is none. A refund to a new
    card moves money on no card there is yet: it waits on a refund to a new card still to
    settle (one holds core.entry.NEW_CARD as its code until the provider names its card)."""
    if wanted.operation == "issue":
        return next((e for e in to_settle if e.operation == "issue" and e.code == NEW_CARD), None)
    for entry in to_settle:
        if entry.code == code or (wanted.gift_id is not None and entry.gift_id == wanted.gift_id):
            return entry
    return None


def _what(
    operation: str, amount: int | None, quantity: int | None, money: str, label: str | None
) -> str:
    what = _(RECEIPT_OF.get(operation, N_("a transaction")))
    if quantity is not None:
        return _("{what} of {amount}").format(what=what, amount=items(quantity, label))
    if amount is None:
        return what
    return _("{what} of {amount}").format(what=what, amount=money)


def still_to_settle(entry: Entry, locale: str) -> str:
    """Why a card takes no movement now, and what to do (the panel shows a few lines: the
    refusal and what to do come first)."""
    money = format_money(entry.amount or 0, entry.currency, locale)
    if entry.operation == "issue" and entry.code == NEW_CARD:
        said = _(  # what not to do first: the panel shows a few lines
            "Wait: a refund of {amount} to a new card is not confirmed yet: do not refund it "
            "again until the till has finished it, in a moment."
        )
        return said.format(amount=money)
    if entry.offline:  # issue 24: it waits for the provider, not for a moment
        return _(OFFLINE_QUEUED).format(card=short(entry.code), amount=money)
    what = _what(entry.operation, entry.amount, entry.quantity, money, entry.item_label)
    said = _(
        "Wait: {card} has {what} not confirmed yet. Nothing more moves on this card until "
        "the till has finished it; scan the card again in a moment."
    )
    return said.format(card=short(entry.code), what=what)


def not_written(
    wanted: Intent,
    code: str,
    currency: str,
    locale: str,
    problem: str,
    item_label: str | None = None,
) -> str:
    """An outcome the provider gave and the journal could not write: it may have moved
    money, so it is not confirmed; what not to do first, then why; the till finishes it by
    itself (the settler writes it, then settles it)."""
    money = format_money(wanted.amount or 0, currency, locale)
    what = _what(wanted.operation, wanted.amount, wanted.quantity, money, item_label)
    do_not = _(DO_NOT[wanted.operation]).format(card=short(code))
    said = _(
        "Not confirmed: {do_not}. The {what} may have gone through, but the till could not "
        "write it to its journal: {problem}. Tell the manager; the till finishes it by itself "
        "once it can write again."
    )
    return said.format(do_not=do_not, what=what.removeprefix("a "), problem=problem)
