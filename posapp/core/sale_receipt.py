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
from posapp.i18n import N_, _

# The words a customer reads (posapp/i18n.py: marked here, translated where printed); a
# card's own lines are indented under it (INDENT).
TICKET = N_("Ticket")
DUE = N_("Amount due")
CARD = N_("Card")
PAID = N_("paid")
BALANCE_LEFT = N_("balance left")
BY_CARDS = N_("Paid by gift cards")
IN_FULL = N_("Paid in full")
COLLECT = N_("Collect by other means")
REVERSED = N_("given back")
BALANCE_NOW = N_("balance now")
NOT_REVERSED = N_("NOT given back")
GIVEN_BACK = N_("Given back to cards")
STILL_TAKEN = N_("Still taken by cards")
NOT_YET = N_(
    "Not every payment was given back: the sale stays open. What is not confirmed yet the "
    "till settles by itself; then cancel the sale again, or finish it."
)
NOTHING_PAID = N_("No card had paid: nothing to give back.")
INDENT = "  "


def under(label: str) -> str:
    """A line of the card above it, indented under it."""
    return INDENT + _(label)


def card(code: str, masked: bool) -> str:
    """A card as receipts print it: core's one mask, with "*" (every printer has it)."""
    return mask(code, "*") if masked else code


def _head(sale: Sale, money: str) -> list[Line]:
    lines = [Line(_(TICKET), sale.ticket)] if sale.ticket else []
    return [*lines, Line(_(DUE), money)]


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
        lines += [Line(_(CARD), card(p.code, masked)), Line(under(PAID), fmt(p.amount))]
        if p.balance_after is not None:
            lines.append(Line(under(BALANCE_LEFT), fmt(p.balance_after)))
    lines.append(Line(_(BY_CARDS), fmt(sale.paid), bold=True))
    if sale.left:
        lines.append(Line(_(COLLECT), fmt(sale.left), bold=True))
    else:
        lines.append(Line(_(IN_FULL), "", bold=True))
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
        lines += [
            Line(_(CARD), card(payment.code, masked)),
            Line(under(REVERSED), fmt(payment.amount)),
        ]
        balance = balances.get(payment.entry_id)
        if balance is not None:
            lines.append(Line(under(BALANCE_NOW), fmt(balance)))
        back += payment.amount
    for p in sale.done_newest_first():
        lines += [
            Line(_(CARD), card(p.code, masked)),
            Line(under(NOT_REVERSED), fmt(p.amount), bold=True),
        ]
    lines.append(Line(_(GIVEN_BACK), fmt(back), bold=True))
    notes: tuple[str, ...] = ()
    if sale.paid or sale.pending:
        lines.append(Line(_(STILL_TAKEN), fmt(sale.paid), bold=True))
        notes = (_(NOT_YET),)
    elif not back:
        notes = (_(NOTHING_PAID),)
    return lines, notes
