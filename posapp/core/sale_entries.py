"""A sale's payments read from its journal entries (issue 23): each redemption made for the
sale is a payment, and where it stands follows its entry and the reversal made of it. Pure:
the journal keeps the entries (adapters/sale_record.py), the settler settles them as any
other movement, and the sale read again says what they became."""

from __future__ import annotations

from collections.abc import Iterable

from posapp.core.entry import Entry
from posapp.core.sale import PaymentState, Sale, SalePayment


def _declined(entry: Entry) -> bool:
    return not entry.moved_money and not entry.to_settle


def payment_state(entry: Entry, reversals: Iterable[Entry]) -> PaymentState:
    """Where a redemption of the sale stands: not known yet (pending: in flight or left by
    a till that stopped; unknown: its answer was lost), declined, done, or undone by a
    reversal (reversing while that reversal is not known, reversed once it went through; a
    declined reversal leaves the payment done)."""
    if entry.state == "pending":
        return "pending"
    if entry.to_settle:
        return "unknown"
    if not entry.moved_money:
        return "declined"
    standing = [r for r in reversals if not _declined(r)]
    if not standing:
        return "done"
    return "reversed" if any(r.moved_money for r in standing) else "reversing"


def with_payments(sale: Sale, entries: Iterable[Entry]) -> Sale:
    """The sale as kept (no payments) with the payments its entries say, oldest first."""
    made = list(entries)
    payments = tuple(
        SalePayment(
            entry_id=e.id,
            code=e.code,
            amount=e.amount or 0,
            state=payment_state(e, [r for r in made if r.reverses_entry == e.id]),
            balance_after=e.balance_after if e.moved_money else None,
        )
        for e in made
        if e.operation == "redemption"
    )
    return Sale(
        id=sale.id,
        due=sale.due,
        currency=sale.currency,
        ticket=sale.ticket,
        payments=payments,
        state=sale.state,
    )


def balance_now(entries: Iterable[Entry], payment: SalePayment) -> int | None:
    """What the card held after the reversal of `payment` went through (for the
    cancellation receipt), or None when it is not known."""
    for e in entries:
        if e.reverses_entry == payment.entry_id and e.moved_money:
            return e.balance_after
    return None
