"""The till's sentences (core/till.py): the word beside the busy indicator, what the amount
overlay's OK says, what an open overlay was about to do, and how words are put together.
Pure functions of the till's state, no Tk."""

from __future__ import annotations

from typing import Literal

from posapp.core.entry import NOT_SENT
from posapp.core.gift import Gift
from posapp.core.keypad import AmountEntry
from posapp.core.serial_number import short
from posapp.core.till_request import Request
from posapp.i18n import _, language

# "due": F11's amount due of a sale; "pay": a card's payment in it (core/till_sale.py).
Purpose = Literal["redeem", "sell", "refund", "due", "pay"]


def refused(words: str, card: str) -> str:
    """A scanned card the provider refused, named (`card`: its masked serial, "••0006"), as
    a sentence (the Adyen trial, 5a #4, #13: the panel went to "No card" and the red words
    named no card, nor ended as a sentence does)."""
    if not card:
        return words
    said = _("Card {card}: {words}").format(card=card, words=words)
    return said if said.endswith((".", "…", "!", "?")) else said + "."


def waiting(phase: str, looking_up_sale: bool, in_flight: Request | None) -> str:
    """The word beside the busy indicator while a call is waiting; "" when none is."""
    if phase == "checking" or looking_up_sale:
        return _("Asking the provider…")
    if phase == "busy" and in_flight is not None:
        if in_flight.kind == "sale_open":  # the journal only
            return _("Opening the sale…")
        printing_only = in_flight.kind in ("balance", "reprint", "sale_finish")  # no provider
        return _("Printing…") if printing_only else _("Asking the provider…")
    return ""


def ok_words(entry: AmountEntry | None, purpose: Purpose | None, card: Gift | None) -> str:
    """The amount overlay's OK button: what Enter will do, naming card and amount."""
    if entry is None:
        return _("OK")
    if entry.doubt:  # Enter is refused: the OK is off and says what was refused
        if entry.refused is not None:
            return _("Refused: {reason}").format(reason=entry.on_show())
        return _("Fix the amount first")
    if not entry.minor:  # the retrial of a till (7): "Sell a card for $0.00" was on
        return _("Type the amount first")
    return _doing_with(purpose, card, entry.shown())


def _doing_with(purpose: Purpose | None, card: Gift | None, amount: str) -> str:
    """ "Redeem $5.00 from ••0001"; without `amount` (none typed yet), "Redeem from ••0001"."""
    if purpose == "redeem" and card is not None:
        if amount:
            return _("Redeem {amount} from {card}").format(amount=amount, card=short(card.code))
        return _("Redeem from {card}").format(card=short(card.code))
    if purpose == "refund":
        if amount:
            return _("Refund {amount} to a new card").format(amount=amount)
        return _("Refund to a new card")
    if purpose == "due":
        return _("Start a sale of {amount}").format(amount=amount) if amount else _("Start a sale")
    if purpose == "pay" and card is not None:
        if amount:
            return _("Pay {amount} from {card}").format(amount=amount, card=short(card.code))
        return _("Pay from {card}").format(card=short(card.code))
    return _("Sell a card for {amount}").format(amount=amount) if amount else _("Sell a card")


def open_words(
    phase: str,
    entry: AmountEntry | None,
    purpose: Purpose | None,
    card: Gift | None,
    pending: Request | None,
) -> str:
    """What the open overlay was about to do, naming card and amount ("Redeem $5.00
    from ••0001"); "" when nothing is open."""
    if phase == "entering" and entry is not None:
        typed = entry.minor and not entry.doubt  # an amount in doubt is named by none
        return _doing_with(purpose, card, entry.shown() if typed else "")
    if phase == "confirming" and pending is not None:
        return pending.words
    if phase == "picking":
        return _("Reverse a transaction")
    return ""


def cancelled(words: str, had_card: bool, card: bool = True) -> str:
    """ "another card" only when there was one before (the demo retrial, 108: a refund to a
    new card, no card on screen, said "as another card was scanned"); a scan that is no card
    (an ISBN, a scratch) says so (the retrial of a till, 5)."""
    if not words:
        return ""
    if not card:
        return _("Cancelled: {words}, as a scan came in that is not a card.").format(words=words)
    if had_card:
        return _("Cancelled: {words}, as another card was scanned.").format(words=words)
    return _("Cancelled: {words}, as a card was scanned.").format(words=words)


def sentences(*parts: str) -> str:
    """Words one after the other, each ending as a sentence does."""
    said = [p for p in parts if p]
    if len(said) < 2:
        return "".join(said)
    return " ".join(p if p.endswith((".", "…", "!", "?")) else p + "." for p in said)


def doing(call: Request) -> str:
    """What a call is doing, to go inside a sentence ("Wait: redeem $5.00 from ••0001");
    German keeps its capital (its nouns have one, and it starts with one), and so does a
    word in capitals ("OFFLINE: redeem …", issue 24)."""
    if not call.words:
        return call.kind
    first = call.words.split(" ", 1)[0].rstrip(":")
    if language() == "de" or (len(first) > 1 and first.isupper()):
        return call.words
    return call.words[0].lower() + call.words[1:]


def not_started(call: Request) -> str:
    """A call still waiting behind others for the till's workers when its time ran out: it is
    taken out and never sent (nothing moved), so it is said as never sent, not as unknown.
    Short: the panel shows a few lines, what happened and what to do first (the card and
    amount are on the panel above it)."""
    if call.moves_money:
        return _("{not_sent} The till was too busy to send it in time; try again.").format(
            not_sent=_(NOT_SENT)
        )
    return _("{not_sent} The till was too busy to do it in time; try again.").format(
        not_sent=_(NOT_SENT)
    )
