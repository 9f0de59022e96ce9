"""What a movement left not confirmed turned out to be, in the cashier's words. Pure.

A lost answer leaves the cashier told "not confirmed: do not hand over the goods" (core/
settling.py). The till settles it by itself, later; the shift list then said "settled: done"
while the panel went on saying NOT CONFIRMED in orange, and nothing told the cashier whether
to hand over the goods after all (issue 19.10). When a settle finishes, the panel says what
happened and what to do now, and a short slip says the same on paper (Terminal.settled_slip
makes it from `slip`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from posapp.core.entry import Entry
from posapp.core.glossary import RECEIPT_OF, items, transaction
from posapp.core.money import format_money
from posapp.core.receipt import Line
from posapp.core.serial_number import short
from posapp.i18n import N_, _

# A till call's kind (core.till_request.Request.kind) and the movement it makes.
OPERATION_OF = {
    "redemption": "redemption",
    "redeem_all": "redemption",
    "redeem_items": "redemption",
    "cash_out": "cash_out",
    "activation": "activation",
    "issue": "issue",
    "reversal": "reversal",
    "void": "void",
    "sale_pay": "redemption",  # a card's payment in a sale (issue 23)
    "sale_cancel": "reversal",  # a sale cancelled: its payments reversed
}

# What to do now: (it went through, it did not). The first half of each is what happened to
# the card, the second what the cashier does about it.
TO_DO = {
    "redemption": (
        N_("The card was charged: hand over the goods."),
        N_(
            "Not charged: the card was not charged; take the payment again if the customer is still here."
        ),
    ),
    "cash_out": (
        N_("The card was paid out: give the customer the cash."),
        N_(
            "Not paid out: nothing was taken from the card; do not pay out the cash, do it again if the customer is still here."
        ),
    ),
    "activation": (
        N_("The card is active: hand it over."),
        N_(
            "Not activated: the card holds nothing; do not hand it over, sell it again if the customer is still here."
        ),
    ),
    "issue": (
        N_("The refund card is made: hand over the slip, it carries the card's code."),
        N_(
            "No refund card was made: nothing was refunded; do the refund again if the customer is still here."
        ),
    ),
    "reversal": (
        N_("The value is back on the card."),
        N_("Nothing went back on the card: reverse it again if the customer is still here."),
    ),
    "void": (
        N_("The card is voided: give the customer their money back."),
        N_("Not voided: do not give the money back; void it again if the customer is still here."),
    ),
}
# The slip's one-word outcome: (it went through, it did not).
OUTCOME = {
    "redemption": (N_("Charged"), N_("Not charged")),
    "cash_out": (N_("Paid out"), N_("Not paid out")),
    "activation": (N_("Card active"), N_("Not activated")),
    "issue": (N_("Card made"), N_("No card made")),
    "reversal": (N_("Reversed"), N_("Not reversed")),
    "void": (N_("Voided"), N_("Not voided")),
}


@dataclass(frozen=True, slots=True)
class Settled:
    """A settled movement, as the panel and its slip say it."""

    moved: bool  # it went through: the money (or items) moved
    words: str  # the panel's: what happened, and what to do now
    tone: Literal[
        "ok", "warn"
    ]  # "ok" when it went through, "warn" when the cashier must undo something
    lines: tuple[Line, ...]  # the slip's
    notes: tuple[str, ...]  # the slip's, under its lines: what to do now


def to_do(operation: str, moved: bool) -> str:
    done, not_done = TO_DO.get(operation, ("", ""))
    said = done if moved else not_done
    return _(said) if said else ""


def settled(entry: Entry, locale: str, made_at: datetime) -> Settled:
    """The words and slip of an entry that was to settle and is settled now."""
    moved = entry.moved_money
    op = entry.operation
    said = {
        "what": _(RECEIPT_OF.get(op, N_("a transaction"))),
        "amount": _moved(entry, locale),
        "card": short(entry.code),
        "to_do": to_do(op, moved),
    }
    if op == "issue":  # a refund card: the provider named it, the cashier has none to name
        words = (
            _("Settled: {what} of {amount} went through. {to_do}")
            if moved
            else _("Settled: {what} of {amount} did not go through. {to_do}")
        )
    else:
        words = (
            _("Settled: {what} of {amount} on {card} went through. {to_do}")
            if moved
            else _("Settled: {what} of {amount} on {card} did not go through. {to_do}")
        )
    outcome = OUTCOME.get(op, (N_("Done"), N_("Not done")))[0 if moved else 1]
    lines = [
        Line(
            _("{what} of {time}").format(what=transaction(op), time=f"{made_at:%H:%M}"),
            _moved(entry, locale),
            bold=True,
        ),
        Line(_("Outcome"), _(outcome), bold=True),
    ]
    if moved and entry.balance_after is not None:
        label = _("Card value") if op in ("activation", "issue") else _("Balance left")
        lines.append(Line(label, format_money(entry.balance_after, entry.currency, locale)))
    return Settled(
        moved, words.format(**said), "ok" if moved else "warn", tuple(lines), (to_do(op, moved),)
    )


def late(kind: str, request_words: str, moved: bool) -> str:
    """A call's answer that came after the till stopped waiting (core.till.Till.timeout):
    what it asked, whether it went through, and what to do now."""
    said = (
        _("The late answer came: {request} went through. {to_do}")
        if moved
        else _("The late answer came: {request} did not go through. {to_do}")
    )
    return said.format(request=request_words, to_do=to_do(OPERATION_OF[kind], moved))


def _moved(entry: Entry, locale: str) -> str:
    if entry.quantity is not None:
        return items(entry.quantity, entry.item_label)
    return format_money(entry.amount or 0, entry.currency, locale)
