"""What a sale's receipts say (issue 23): the sale receipt (each card masked, what it paid
and its balance left, the total paid by cards, the rest to collect by other means, the main
register's ticket) and the cancellation receipt (each reversal, and any not made). Lines
only: core/receipt_lines.make_receipt puts the store's heading around them and the printer
lays them out for 58 mm (32 columns) or 80 mm. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from posapp.core.money import format_money
from posapp.core.receipt import Line
from posapp.core.sale import Sale
from posapp.core.serial_number import mask

# The words a customer reads (plain English, in one place; the i18n helper wraps them).
TICKET = "Ticket"
DUE = "Amount due"
CARD = "Card"
PAID = "  paid"
BALANCE_LEFT = "  balance left"
BY_CARDS = "Paid by gift cards"
IN_FULL = "Paid in full"
COLLECT = "Collect by other means"
REVERSED = "  given back"
BALANCE_NOW = "  balance now"
NOT_REVERSED = "  NOT given back"
GIVEN_BACK = "Given back to cards"
STILL_TAKEN = "Still taken by cards"
NOT_YET = (
    "Not every payment was given back: the sale stays open. What is not confirmed yet the "
    "till settles by itself; then cancel the sale again, or finish it."
)
NOTHING_PAID = "No card had paid: nothing to give back."


def card(code: str, masked: bool) -> str:
    """A card as receipts print it: core's one mask, with "*" (every printer has it)."""
    return mask(code, "*") if masked else code


def _head(sale: Sale, money: str) -> list[Line]:
    lines = [Line(TICKET, sale.ticket)] if sale.ticket else []
    return [*lines, Line(DUE, money)]


def sale_lines(sale: Sale, locale: str, *, masked: bool = True) -> list[Line]:
    """The sale receipt's lines: the ticket and the due, each card that paid with what it
    paid and its balance left, the total paid by cards, then paid in full or what is left
    to collect by other means."""

    def fmt(minor: int) -> str:
        return format_money(minor, sale.currency, locale)

    lines = _head(sale, fmt(sale.due))
    for p in sale.payments:
        if p.state != "done":
            continue
        lines += [Line(CARD, card(p.code, masked)), Line(PAID, fmt(p.amount))]
        if p.balance_after is not None:
            lines.append(Line(BALANCE_LEFT, fmt(p.balance_after)))
    lines.append(Line(BY_CARDS, fmt(sale.paid), bold=True))
    if sale.left:
        lines.append(Line(COLLECT, fmt(sale.left), bold=True))
    else:
        lines.append(Line(IN_FULL, "", bold=True))
    return lines


def cancel_lines(
    sale: Sale, balances: Mapping[int, int | None], locale: str, *, masked: bool = True
) -> tuple[list[Line], tuple[str, ...]]:
    """The cancellation receipt's lines and notes: each payment given back, newest first,
    with the card's balance after (`balances`, by the payment's entry), each one not given
    back, what went back in all and what stays taken."""

    def fmt(minor: int) -> str:
        return format_money(minor, sale.currency, locale)

    lines = _head(sale, fmt(sale.due))
    back = 0
    for payment in reversed(sale.payments):
        if payment.state != "reversed":
            continue
        lines += [Line(CARD, card(payment.code, masked)), Line(REVERSED, fmt(payment.amount))]
        balance = balances.get(payment.entry_id)
        if balance is not None:
            lines.append(Line(BALANCE_NOW, fmt(balance)))
        back += payment.amount
    for p in sale.done_newest_first():
        lines += [Line(CARD, card(p.code, masked)), Line(NOT_REVERSED, fmt(p.amount), bold=True)]
    lines.append(Line(GIVEN_BACK, fmt(back), bold=True))
    notes: tuple[str, ...] = ()
    if sale.paid or sale.pending:
        lines.append(Line(STILL_TAKEN, fmt(sale.paid), bold=True))
        notes = (NOT_YET,)
    elif not back:
        notes = (NOTHING_PAID,)
    return lines, notes
