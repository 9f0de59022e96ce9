"""Undoing a transaction the journal holds: a redemption or cash-out reversed (its value back
on the card), or a card sold or issued as a refund voided (issue 19.3; api.md "Voiding a card
sold or issued"): what can be undone, in words, before anything is sent.

Pure over the journal port: the movement itself goes through the terminal's journalled call
like any other (intent and key first, then the provider, then the outcome).
"""

from __future__ import annotations

import time
from datetime import datetime

from posapp.core import intent as intents
from posapp.core.cash_side import spent_since
from posapp.core.entry import Entry
from posapp.core.gift import Gift
from posapp.core.glossary import RECEIPT_OF, day, transaction
from posapp.core.intent import Intent
from posapp.core.money import format_money
from posapp.core.serial_number import short
from posapp.core.till_request import Reversible
from posapp.i18n import _
from posapp.terminal.ports import CashierError, ShiftJournal

REVERSED = ("redemption", "cash_out")  # their value goes back to the card
VOIDED = ("activation", "issue")  # the card is closed, its value taken off
UNDONE = REVERSED + VOIDED


def verb(operation: str) -> str:
    """What undoing it is called: a card sold or issued is voided, the rest reversed."""
    return "void" if operation in VOIDED else "reverse"


def undo_intent(
    journal: ShiftJournal, original: Entry, *, reason: str | None = None, shift: int | None = None
) -> Intent:
    """The intent that undoes `original`, or CashierError saying why it cannot be.

    A card sold or issued is voided only in its own shift: its cash is in this shift's drawer
    and on this shift's report. A redemption or cash-out of an earlier shift (a receipt kept
    from another day, issue 19.13) can still be reversed: the till asks the manager's PIN."""
    what = transaction(original.operation).lower()
    if original.operation not in UNDONE:
        known = RECEIPT_OF.get(original.operation)
        this = _(known) if known else _("a {transaction}").format(transaction=what)
        said = _(
            "Only redemptions, cash-outs, cards sold and refunds to cards can be undone; this "
            "is {what}"
        )
        raise CashierError(said.format(what=this))
    current = journal.current_shift() if shift is None else shift
    if original.operation in VOIDED and original.shift_id != current:
        made = day(datetime.fromtimestamp(original.created_at))
        said = _(
            "This {what} was made in an earlier shift ({day}): a card is voided only in the "
            "shift that sold it. The manager can change the card in the gift cards screen (F12)"
        )
        raise CashierError(said.format(what=what, day=made))
    if original.to_settle:
        raise CashierError(
            _("This transaction is still to settle: void it once it is settled")
            if original.operation in VOIDED
            else _("This transaction is still to settle: reverse it once it is settled")
        )
    if not original.moved_money or original.transaction_id is None:
        raise CashierError(_("This transaction did not go through, so there is nothing to undo"))
    if journal.reversal_of(original.id) is not None:
        raise CashierError(
            _("This transaction was already voided")
            if original.operation in VOIDED
            else _("This transaction was already reversed")
        )
    if original.operation in VOIDED:
        assert original.amount is not None  # a sale or refund card moves an amount
        return intents.void(
            original.transaction_id, gift_id=original.gift_id, amount=original.amount, reason=reason
        )
    return intents.reverse(
        original.transaction_id,
        gift_id=original.gift_id,
        amount=original.amount,
        quantity=original.quantity,
        reason=reason,
    )


def closed_since(original: Entry, card: Gift, locale: str) -> str | None:
    """Why `original` cannot be reversed onto its card as the provider knows it now, read
    before the manager's PIN; None when it can (the retrial of a till, O: a redemption was
    reversed onto a card paid out in cash since, and its value sat on a closed card).

    api.md "Rules": a redemption is not reversed onto a card disabled (a cash-out disables
    it) or canceled since; a cash-out's own reversal enables its card again. A void's rule
    (api.md "Voiding a card sold or issued": the card spent since, the provider's
    `card_used`) is said here too: the demo retrial's void asked the PIN first, promising
    "their $25.00 back" for a card holding $20.00, then refused with no advice and
    journalled a declined void."""
    if original.operation in VOIDED and original.amount is not None:
        if card.balance == original.amount:
            return None
        held = format_money(card.balance or 0, original.currency, locale)
        value = format_money(original.amount, original.currency, locale)
        return spent_since(original.operation, short(original.code), held, value)
    if original.operation != "redemption" or card.status not in ("disabled", "canceled"):
        return None
    held = format_money(original.amount or 0, original.currency, locale)
    if card.cashed_out:
        said = _(
            "Not reversed: {card} was paid out in cash since, so the card is closed and the "
            "{amount} cannot go back on it. Nothing was done: if the customer is owed {amount}, "
            "give it another way, as the store refunds"
        )
    elif card.status == "canceled":
        said = _(
            "Not reversed: {card} was canceled since, so the card is closed and the {amount} "
            "cannot go back on it. Nothing was done: if the customer is owed {amount}, give it "
            "another way, as the store refunds"
        )
    else:
        said = _(
            "Not reversed: {card} was put on hold (disabled) since, so the {amount} cannot go "
            "back on it. Nothing was done: if the customer is owed {amount}, give it another "
            "way, as the store refunds, or a manager enables the card again (F12, Gift cards) "
            "and then reverses it"
        )
    return said.format(card=short(original.code), amount=held)


def reversible(entries: list[Entry]) -> list[Reversible]:
    """What can still be undone, oldest first as the journal lists it: redemptions and
    cash-outs to reverse, cards sold or issued as refunds to void (terminal/reversal.py),
    that moved money and have no reversal or void (done or still to settle)."""
    undone = {
        e.reverses_entry
        for e in entries
        if e.operation in ("reversal", "void") and (e.moved_money or e.to_settle)
    }
    return [
        Reversible(
            e.id,
            e.operation,
            e.code,
            e.amount,
            e.currency,
            time.strftime("%H:%M", time.localtime(e.created_at)),
            e.quantity,
            e.item_label,
        )
        for e in entries
        if e.operation in UNDONE and e.moved_money and e.id not in undone
    ]
