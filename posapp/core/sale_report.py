"""A shift's sales paid card by card in the X and Z reports and the reconciliation (issue
23): how many were paid in full, handed to other tender, cancelled, still open; and each
sale whose journal does not add up (a cancelled sale with a payment not given back, a sale
whose cards took more than its due). Their movements are counted with the others' above
them (core/reports.py): a sale is a way of grouping them, not more money. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from posapp.core.money import format_money
from posapp.core.receipt import Line
from posapp.core.sale import Sale
from posapp.core.serial_number import short
from posapp.i18n import N_, _

# The words a manager reads (posapp/i18n.py: marked here, translated where printed).
COUNTED = (
    ("paid", N_("Sales paid in full by cards ({n})")),
    ("handed_over", N_("Sales finished by other means ({n})")),
    ("cancelled", N_("Sales cancelled ({n})")),
    ("open", N_("Sales still open ({n})")),
)
CANCELLED_NOT_BACK = N_(
    "Sale {sale} was cancelled, but {amount} from {card} is not given back: reverse it (F7) "
    "or give it back another way"
)
OVER_DUE = N_("Sale {sale}: its cards paid {paid}, more than its {due} due")
STILL_OPEN = N_("Sale {sale} ({due}) is still open: {paid} paid by cards. Finish it or cancel it")
STILL_OPEN_TICKET = N_(
    "Sale {sale} ({due}, ticket {ticket}) is still open: {paid} paid by cards. "
    "Finish it or cancel it"
)
NOT_KNOWN = N_("Sale {sale}: {amount} from {card} is not confirmed yet")


def report_lines(counted: Mapping[str, int], dues: Mapping[str, str] | None = None) -> list[Line]:
    """The report's sale lines: none when the shift had no sale; beside each count, what
    those sales were for (`dues`, the amounts due added up, in words: the sale trial, 14)."""
    if not any(counted.values()):
        return []
    dues = dues or {}
    return [
        Line(_(words).format(n=counted.get(state, 0)), dues.get(state, ""))
        for state, words in COUNTED
    ]


def dues(sales: Iterable[Sale], locale: str = "en_US") -> dict[str, str]:
    """The amounts due of the sales in each state, added up, in words ("$93.20")."""
    added: dict[str, int] = {}
    currency: dict[str, str] = {}
    for sale in sales:
        added[sale.state] = added.get(sale.state, 0) + sale.due
        currency[sale.state] = sale.currency
    return {k: format_money(v, currency[k], locale) for k, v in added.items()}


def sale_problems(sales: Iterable[Sale], locale: str = "en_US") -> list[str]:
    """Each of the shift's sales (with their payments) that does not add up, in words."""
    problems = []
    for sale in sales:

        def fmt(minor: int, sale: Sale = sale) -> str:
            return format_money(minor, sale.currency, locale)

        name = str(sale.id)
        if sale.paid > sale.due:
            problems.append(_(OVER_DUE).format(sale=name, paid=fmt(sale.paid), due=fmt(sale.due)))
        for p in sale.payments:
            if p.state in ("pending", "unknown"):
                problems.append(
                    _(NOT_KNOWN).format(sale=name, amount=fmt(p.amount), card=short(p.code))
                )
            elif sale.state == "cancelled" and p.state in ("done", "reversing"):
                problems.append(
                    _(CANCELLED_NOT_BACK).format(
                        sale=name, amount=fmt(p.amount), card=short(p.code)
                    )
                )
        if sale.state == "open":
            words = _(STILL_OPEN_TICKET) if sale.ticket else _(STILL_OPEN)
            problems.append(
                words.format(sale=name, due=fmt(sale.due), ticket=sale.ticket, paid=fmt(sale.paid))
            )
    return problems
