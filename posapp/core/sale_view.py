"""What the panel says about a sale paid card by card (issue 23), in a cashier's words: the
window draws this in place of the card while the sale is open (ui/panel.py). Due, paid by
cards and left in large type; each card's payment below, masked (core's one mask)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from posapp.core.money import format_money
from posapp.core.sale import Sale, SalePayment
from posapp.core.serial_number import short

# The words a cashier reads (plain English, in one place; the i18n helper wraps them).
# Short enough for the panel's width with the largest amounts ("Due $10,000.00 · paid
# $10,000.00"), and no badge beside it: a longer heading was cut ("paid by cards $12").
HEADING = "Due {due} · paid {paid}"
LEFT = "Left {left}"
PAID_UP = "Paid in full"
TICKET = "Ticket {ticket}"
STATES = {
    "done": "{card} paid {amount}",
    "pending": "{card} {amount}: being paid…",
    "unknown": "{card} {amount}: not confirmed yet",
    "declined": "{card} {amount}: declined",
    "reversing": "{card} {amount}: refund not confirmed yet",
    "reversed": "{card} {amount}: refunded",
}
ON_CARD = "{said}, {balance} left on it"
MORE = "and {count} more above"
LINES = 4  # the panel's detail lines (ui/panel.py DETAIL_LINES)


@dataclass(frozen=True, slots=True)
class SaleView:
    heading: str  # "Due $83.20 · paid $40.00" (large)
    left: str  # "Left $43.20" (the largest figure), or "Paid in full"
    details: str  # the ticket, and each card's payment, newest last


def sale_view(sale: Sale, locale: str = "en_US") -> SaleView:
    def money(minor: int) -> str:
        return format_money(minor, sale.currency, locale)

    lines = [_line(p, money) for p in sale.payments]
    room = LINES - (1 if sale.ticket else 0)
    if len(lines) > room:
        hidden = len(lines) - room + 1
        lines = [MORE.format(count=hidden), *lines[hidden:]]
    if sale.ticket:
        lines.insert(0, TICKET.format(ticket=sale.ticket))
    return SaleView(
        heading=HEADING.format(due=money(sale.due), paid=money(sale.paid)),
        left=LEFT.format(left=money(sale.left)) if sale.left else PAID_UP,
        details="\n".join(lines),
    )


def _line(payment: SalePayment, money: Callable[[int], str]) -> str:
    said = STATES[payment.state].format(card=short(payment.code), amount=money(payment.amount))
    if payment.state == "done" and payment.balance_after is not None:
        return ON_CARD.format(said=said, balance=money(payment.balance_after))
    return said
