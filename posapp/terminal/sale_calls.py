"""A sale's till requests run (issue 23): F11's sale opened, a card's payment, the sale
finished or cancelled, through the terminal's `Sales` (terminal/sale.py); their receipts
printed; their words for the panel, each answer carrying the sale as it stands now
(`Result.sale`), so the till draws due, paid and left. Run on a worker thread, as
terminal/till_calls.py's other requests are."""

from __future__ import annotations

from collections.abc import Callable

from posapp.core import unknown
from posapp.core.done_words import Printed
from posapp.core.money import format_money
from posapp.core.receipt import Receipt
from posapp.core.sale import Sale
from posapp.core.serial_number import short
from posapp.core.till_request import CancelSale, FinishSale, OpenSale, PaySale, Request, Result
from posapp.i18n import N_, _
from posapp.terminal.sale import SaleLeftOpen, Sales

# The words a cashier reads (posapp/i18n.py: marked here, translated where said).
STARTED = N_("Sale of {due} started")
STARTED_TICKET = N_("Sale of {due} started (ticket {ticket})")
PAID = N_("Paid {amount} from {card}.")
PAID_SLIP = N_("Paid {amount} from {card}; {said} (the card's slip).")
PAID_LEFT_ON_CARD = N_("Paid {amount} from {card}; {balance} is left on the card.")
PAID_LEFT_SLIP = N_(
    "Paid {amount} from {card}; {balance} is left on the card; {said} (the card's slip)."
)
PAID_IN_FULL = N_("Sale paid in full: {due} by cards; {said}.")
HANDED_OVER = N_("Sale finished: {paid} paid by cards. {collect} now; {said}.")
CANCELLED = N_("Sale cancelled: every card paid was refunded ({paid}); {said}.")
CANCELLED_NOTHING = N_("Sale cancelled: no card had paid, nothing to print.")
LEFT_OPEN = N_("{words} The cancellation receipt lists what was refunded; {said}.")

Print = Callable[[Receipt], tuple[Printed, bytes | None]]


def run_sale(
    sales: Sales, request: Request, printing: Print, locale: str, pin: str | None
) -> tuple[Result, bytes | None]:
    """The sale's request done, its receipt (if any) printed, and said; a failure raises as
    the use case does (CashierError, NotConfirmed), save a cancellation left open, which
    prints what it refunded and says what it did not."""
    job = request.job
    match job:
        case OpenSale(due, ticket):
            sale = sales.open(due, ticket)
            return Result(_started(sale, locale), sale=sale), None
        case PaySale(sale_id, card, amount):
            slip, sale = sales.pay(sale_id, card, amount, pin=pin)
            return _paid(request, sale, card.code, amount, slip, printing, locale)
        case FinishSale(sale_id):
            receipt, sale = sales.finish(sale_id)
            printed, data = printing(receipt)
            sales.printed(sale.id)  # a till stopped before this says so at its start
            return Result(_finished(sale, printed, locale), sale=sale), data
        case CancelSale(sale_id):
            try:
                receipt, sale = sales.cancel(sale_id)
            except SaleLeftOpen as exc:
                printed, data = printing(exc.receipt)
                words = _(LEFT_OPEN).format(words=_sentence(str(exc)), said=printed.said)
                return Result(_warned(words, printed), "bad", clears_card=True, sale=exc.sale), data
            if not any(p.state == "reversed" for p in sale.payments):
                # No card paid: nothing to give back, no receipt (the sale trial, 12).
                sales.printed(sale.id)
                return Result(_(CANCELLED_NOTHING), clears_card=True, sale=sale), None
            printed, data = printing(receipt)
            sales.printed(sale.id)
            return Result(_cancelled(sale, printed, locale), clears_card=True, sale=sale), data
        case _:
            raise ValueError(f"not a sale's request: {request.kind}")


def _started(sale: Sale, locale: str) -> str:
    due = format_money(sale.due, sale.currency, locale)
    if sale.ticket:
        return _(STARTED_TICKET).format(due=due, ticket=sale.ticket)
    return _(STARTED).format(due=due)


def _paid(
    request: Request,
    sale: Sale,
    code: str,
    amount: int,
    slip: Receipt | None,
    printing: Print,
    locale: str,
) -> tuple[Result, bytes | None]:
    data = None
    printed = None
    if slip is not None:
        printed, data = printing(slip)
    if slip is not None and slip.not_confirmed:
        words = unknown.no_answer(request.kind, request.words)  # hold on, take nothing
        return Result(_warned(words, printed), "warn", clears_card=True, sale=sale), data
    money = format_money(amount, sale.currency, locale)
    mine = [p for p in sale.payments if p.code == code and p.amount == amount]
    balance = mine[-1].balance_after if mine else None
    card = short(code)
    said = printed.said if printed is not None else ""
    if balance is None:
        words = _(PAID_SLIP if said else PAID).format(amount=money, card=card, said=said)
    else:
        left = format_money(balance, sale.currency, locale)
        shape = PAID_LEFT_SLIP if said else PAID_LEFT_ON_CARD
        words = _(shape).format(amount=money, card=card, balance=left, said=said)
    # The card's balance on screen is old now: the panel shows the sale, a scan the card.
    return Result(_warned(words, printed), clears_card=True, moved=True, sale=sale), data


def _finished(sale: Sale, printed: Printed, locale: str) -> str:
    if sale.state == "paid":
        due = format_money(sale.due, sale.currency, locale)
        words = _(PAID_IN_FULL).format(due=due, said=printed.said)
    else:
        paid = format_money(sale.paid, sale.currency, locale)
        words = _(HANDED_OVER).format(paid=paid, collect=sale.collect(locale), said=printed.said)
    return _warned(words, printed)


def _cancelled(sale: Sale, printed: Printed, locale: str) -> str:
    refunded = sum(p.amount for p in sale.payments if p.state == "reversed")
    paid = format_money(refunded, sale.currency, locale)
    return _warned(_(CANCELLED).format(paid=paid, said=printed.said), printed)


def _warned(words: str, printed: Printed | None) -> str:
    """The printer's own words after, when it failed (the receipt is kept for F9)."""
    return f"{words} {printed.problem}" if printed is not None and printed.problem else words


def _sentence(words: str) -> str:
    return words if words.endswith((".", "!", "?", "…")) else words + "."
