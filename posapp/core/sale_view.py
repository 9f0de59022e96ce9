"""What the panel says about a sale paid card by card (issue 23), in a cashier's words: the
window draws this in place of the card while the sale is open (ui/panel.py). Due, paid by
cards and left in large type; each card's payment below, masked (core's one mask)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from posapp.core.money import format_money
from posapp.core.sale import Sale, SalePayment
from posapp.core.serial_number import short
from posapp.i18n import N_, _

# The words a cashier reads (posapp/i18n.py: marked here, translated where said).
# Short enough for the panel's width with the largest amounts ("Due $10,000.00 · paid
# $10,000.00"), and no badge beside it: a longer heading was cut ("paid by cards $12").
HEADING = N_("Due {due} · paid {paid}")
LEFT = N_("Left {left}")
PAID_UP = N_("Paid in full")
TICKET = N_("Ticket {ticket}")
STATES = {
    "done": N_("{card} paid {amount}"),
    "pending": N_("{card} {amount}: being paid…"),
    "unknown": N_("{card} {amount}: not confirmed yet"),
    "declined": N_("{card} {amount}: declined"),
    "reversing": N_("{card} {amount}: refund not confirmed yet"),
    "reversed": N_("{card} {amount}: refunded"),
}
ON_CARD = N_("{card} paid {amount}, {balance} left on it")
MORE = N_("and {count} more cards above")
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
        lines = [_(MORE).format(count=hidden), *lines[hidden:]]  # 2 or more
    if sale.ticket:
        lines.insert(0, _(TICKET).format(ticket=sale.ticket))
    return SaleView(
        heading=_(HEADING).format(due=money(sale.due), paid=money(sale.paid)),
        left=_(LEFT).format(left=money(sale.left)) if sale.left else _(PAID_UP),
        details="\n".join(lines),
    )


def _line(payment: SalePayment, money: Callable[[int], str]) -> str:
    card, amount = short(payment.code), money(payment.amount)
    if payment.state == "done" and payment.balance_after is not None:
        balance = money(payment.balance_after)
        return _(ON_CARD).format(card=card, amount=amount, balance=balance)
    return _(STATES[payment.state]).format(card=card, amount=amount)
