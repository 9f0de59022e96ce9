"""A sale paid card by card (issue 23): an amount due, paid by one card after another, the
rest handed to other tender, or the whole sale cancelled with every card given back.

The sale is in the journal before its first payment (adapters/sale_record.py), and each
payment is a redemption made as any other (journal first, terminal/movement.py) with the
sale's id in its intent's own entry: a till killed in the middle of a sale finds it open at
the next start, its payments settled by the settler like any other movement. What a sale is
now is always read back from the journal (core/sale_entries.py), never kept in memory.

A cancellation reverses each done payment, newest first, through the reversal use case
(Terminal.reverse) with no manager PIN: the sale is open and the customer is at the counter.
A reversal declined or not known leaves the sale open, says so, and is settled like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from posapp.core.gift import Gift, GiftCardConfig
from posapp.core.money import AmountError, check_amount, format_money
from posapp.core.receipt import Line, Receipt, ReceiptKind
from posapp.core.receipt_lines import make_receipt
from posapp.core.sale import Sale, SalePayment
from posapp.core.sale_entries import balance_now, with_payments
from posapp.core.sale_receipt import cancel_lines, sale_lines
from posapp.core.serial_number import short
from posapp.core.settings import ReceiptHeading, TillSettings
from posapp.i18n import N_, _
from posapp.terminal.ports import CashierError, JournalPort
from posapp.terminal.shift import Shift

# The words a cashier reads (posapp/i18n.py: marked here, translated where said).
ALREADY_OPEN = N_("A sale of {due} is open ({paid} paid by cards): finish it or cancel it first")
NO_SUCH_SALE = N_("There is no such sale: start one with F11")
OVER = {
    "paid": N_("This sale is paid already: start a new one with F11"),
    "handed_over": N_("This sale was finished already: start a new one with F11"),
    "cancelled": N_("This sale was cancelled: start a new one with F11"),
}
BAD_TICKET = N_(
    "A ticket number is at most {most} letters, digits and signs on one line; "
    "leave it empty if the register gives none"
)
ITEM_CARD = N_(
    "An item gift card pays for its items, not an amount: redeem it on its own, outside this sale"
)
OTHER_CURRENCY = N_("This card holds {card}, the sale is in {sale}: it cannot pay this sale")
PAID_UNKNOWN = N_("{amount} from {card} is not confirmed yet")
NOT_KNOWN_YET = N_(
    "{amount} from {card} is not confirmed yet: the till is finding out by itself. "
    "Wait until it says, then finish the sale"
)
BACK_UNKNOWN_YET = N_(
    "{amount} back to {card} is not confirmed yet: the till is finding out by itself. "
    "Wait until it says, then cancel the sale again"
)
WAITING = {"pending": NOT_KNOWN_YET, "unknown": NOT_KNOWN_YET, "reversing": BACK_UNKNOWN_YET}
NOTHING_PAID = N_("No card has paid in this sale: cancel it (Esc) instead")
LEFT_OPEN = N_(
    "The sale stays open: {what}. The till settles what is not known by itself; then cancel "
    "the sale again, or finish it"
)
NOT_GIVEN_BACK = N_("{amount} was not given back to {card} ({why})")
STILL_UNKNOWN = N_("{amount} back to {card} is not confirmed yet")
SALE_NUMBER = "Sale {sale}"  # a sale without a ticket, in the provider's ledger (not shown)
REASON = "Sale cancelled"  # the reversals' reason, for the provider's ledger (not shown)
TICKET_MOST = 32


class SaleLeftOpen(CashierError):
    """A cancellation that could not give every payment back: the sale stays open. Its
    words say which; `receipt` lists what was given back and what was not; `sale` is the
    sale as it stands."""

    def __init__(self, words: str, receipt: Receipt, sale: Sale) -> None:
        super().__init__(words)
        self.receipt, self.sale = receipt, sale


class Till(Protocol):
    """What a sale uses of the terminal (terminal/service.py's Terminal, which holds its
    Sales): its journal and settings, the store's currency, and its redemption and reversal
    use cases, each made with the sale's id."""

    journal: JournalPort
    settings: TillSettings

    @property
    def locale(self) -> str: ...
    @property
    def heading(self) -> ReceiptHeading: ...
    @property
    def shift(self) -> Shift: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    def store_config(self, *, fresh: bool = False) -> GiftCardConfig: ...
    def redeem(
        self,
        gift: Gift,
        amount: int | None = None,
        *,
        use_all: bool = False,
        quantity: int | None = None,
        pin: str | None = None,
        sale_id: int | None = None,
        reference: str | None = None,
    ) -> Receipt: ...
    def reverse(
        self,
        entry_id: int,
        reason: str | None = None,
        *,
        pin: str | None = None,
        sale_id: int | None = None,
    ) -> Receipt: ...


class Sales:
    """The terminal's sales paid card by card (Terminal.sales)."""

    def __init__(self, terminal: Till) -> None:
        self.terminal = terminal
        self.journal = terminal.journal

    # --- reads ----------------------------------------------------------------------------

    def current(self) -> Sale | None:
        """The open sale (the newest, if a cancellation left others open), as the journal
        has it: after a restart too, its payments as the settler settled them."""
        found = self.journal.open_sales()
        return self._with_payments(found[-1]) if found else None

    def sale(self, sale_id: int) -> Sale:
        kept = self.journal.sale(sale_id)
        if kept is None:
            raise CashierError(_(NO_SUCH_SALE))
        return self._with_payments(kept)

    def _with_payments(self, kept: Sale) -> Sale:
        return with_payments(kept, self.journal.sale_entries(kept.id))

    def _open(self, sale_id: int) -> Sale:
        sale = self.sale(sale_id)
        if not sale.is_open:
            raise CashierError(_(OVER[sale.state]))
        return sale

    # --- the sale -------------------------------------------------------------------------

    def open(self, due: int, ticket: str | None) -> Sale:
        """A sale of `due` (minor units, the store's currency) opened, journalled; `ticket`:
        the main register's ticket or receipt number, if typed."""
        terminal = self.terminal
        refused = terminal.settings.offers.refusal("redemption")
        if refused:  # NewStore: its cards are spent at its own checkout
            raise CashierError(refused)
        currency = terminal.store_config().currency
        try:
            due = check_amount(due, currency, terminal.locale)
        except AmountError as exc:
            raise CashierError(str(exc)) from exc
        ticket = (ticket or "").strip() or None
        if ticket is not None and (len(ticket) > TICKET_MOST or not ticket.isprintable()):
            raise CashierError(_(BAD_TICKET).format(most=TICKET_MOST))
        current = self.current()
        if current is not None:
            raise CashierError(
                _(ALREADY_OPEN).format(
                    due=self._fmt(current.due, current), paid=self._fmt(current.paid, current)
                )
            )
        return self.journal.open_sale(due, currency, ticket)

    def pay(
        self, sale_id: int, card: Gift, amount: int, *, pin: str | None = None
    ) -> tuple[Receipt | None, Sale]:
        """One card's redemption in the sale, journal first; the card's own slip when
        [receipt] sale_card_slips is true or its outcome is not confirmed, else None. A
        declined card raises CashierError as a redemption does, the sale as it was."""
        sale = self._open(sale_id)
        locale = self.terminal.locale
        if card.kind == "item":
            raise CashierError(_(ITEM_CARD))
        if card.currency != sale.currency:
            raise CashierError(_(OTHER_CURRENCY).format(card=card.currency, sale=sale.currency))
        why = card.why_not_redeemable()
        if why:
            raise CashierError(why)
        refused = sale.refusal(amount, card.eligible_value, locale)
        if refused:
            raise CashierError(refused)
        # The sale in the provider's ledger (the sale trial, finding 2): its ticket, else its
        # number. Our API keeps it as the redemption's `reference`; Square's and Adyen's
        # reference fields carry the till's own name for the movement (its look-up).
        reference = sale.ticket or SALE_NUMBER.format(sale=sale.id)
        slip = self.terminal.redeem(card, amount, pin=pin, sale_id=sale_id, reference=reference)
        keep = self.terminal.settings.sale_card_slips or slip.not_confirmed
        return (slip if keep else None), self.sale(sale_id)

    def finish(self, sale_id: int) -> tuple[Receipt, Sale]:
        """The sale ended: paid in full, or handed to other tender for what is left; the
        sale receipt."""
        sale = self._open(sale_id)
        self._all_known(sale)
        if not sale.paid:
            raise CashierError(_(NOTHING_PAID))
        self.journal.close_sale(sale_id, "paid" if not sale.left else "handed_over")
        sale = self.sale(sale_id)
        return self.receipt(sale), sale

    def cancel(self, sale_id: int) -> tuple[Receipt, Sale]:
        """Every done payment given back, newest first, with no manager PIN; the
        cancellation receipt. One not given back (declined, or not known) leaves the sale
        open: SaleLeftOpen, with the receipt of what was given back."""
        sale = self._open(sale_id)
        failed: list[str] = []
        for payment in sale.done_newest_first():
            if payment.state == "reversing":
                continue  # its reversal is to settle: the settler finishes it
            try:
                reversal = self.terminal.reverse(payment.entry_id, REASON, sale_id=sale_id)
            except CashierError as exc:
                failed.append(self._not_back(payment, sale, str(exc).rstrip(".")))
                continue
            if reversal.not_confirmed:
                failed.append(self._unknown(payment, sale))
        sale = self.sale(sale_id)
        entries = self.journal.sale_entries(sale_id)
        back = {p.entry_id: balance_now(entries, p) for p in sale.payments}
        masked = self.terminal.heading.mask_serial
        lines, notes = cancel_lines(sale, back, self.terminal.locale, masked=masked)
        if not sale.paid and not sale.pending:
            self.journal.close_sale(sale_id, "cancelled")
            sale = self.sale(sale_id)
            return self._receipt("sale_cancelled", lines, notes), sale
        failed += [self._unknown(p, sale) for p in sale.payments if p.state == "reversing"]
        failed += [
            _(PAID_UNKNOWN).format(amount=self._fmt(p.amount, sale), card=short(p.code))
            for p in sale.payments
            if p.state in ("pending", "unknown")
        ]
        words = _(LEFT_OPEN).format(what="; ".join(dict.fromkeys(failed)))
        raise SaleLeftOpen(words, self._receipt("sale_cancelled", lines, notes), sale)

    # --- an ended sale's receipt (journal version 15) -------------------------------------

    def receipt(self, sale: Sale) -> Receipt:
        """The receipt of an ended sale, as the journal has it: the sale receipt, or the
        cancellation receipt."""
        masked = self.terminal.heading.mask_serial
        locale = self.terminal.locale
        if sale.state != "cancelled":
            # Its number and barcode (the sale trial, finding 2): its last card's payment's,
            # which the till reads back as any receipt's (F7 then names the sale).
            done = [p for p in sale.payments if p.state == "done"]
            number = self.journal.receipt_number(done[-1].entry_id) if done else None
            lines = sale_lines(sale, locale, masked=masked)
            return self._receipt("sale", lines, number=number)
        entries = self.journal.sale_entries(sale.id)
        back = {p.entry_id: balance_now(entries, p) for p in sale.payments}
        lines, notes = cancel_lines(sale, back, locale, masked=masked)
        return self._receipt("sale_cancelled", lines, notes)

    def printed(self, sale_id: int) -> None:
        """The ended sale's receipt went to the printer (or the printer kept it for F9)."""
        self.journal.sale_printed(sale_id)

    def ended_unprinted(self) -> Sale | None:
        """The sale that ended last when its receipt never went to the printer: the till
        stopped between the two (the sale trial, finding 1). None when it was printed."""
        found = self.journal.last_closed_sale()
        if found is None or found[1]:
            return None
        return self._with_payments(found[0])

    # --- words and receipts ---------------------------------------------------------------

    def _all_known(self, sale: Sale) -> None:
        """A sale ends only once each payment is known, and each reversal asked: what
        turns out done later would leave the receipt and the drawer wrong."""
        for p in sale.payments:
            words = WAITING.get(p.state)
            if words is not None:
                amount = self._fmt(p.amount, sale)
                raise CashierError(_(words).format(amount=amount, card=short(p.code)))

    def _not_back(self, payment: SalePayment, sale: Sale, why: str) -> str:
        amount = self._fmt(payment.amount, sale)
        return _(NOT_GIVEN_BACK).format(amount=amount, card=short(payment.code), why=why)

    def _unknown(self, payment: SalePayment, sale: Sale) -> str:
        amount = self._fmt(payment.amount, sale)
        return _(STILL_UNKNOWN).format(amount=amount, card=short(payment.code))

    def _fmt(self, minor: int, sale: Sale) -> str:
        return format_money(minor, sale.currency, self.terminal.locale)

    def _receipt(
        self,
        kind: ReceiptKind,
        lines: list[Line],
        notes: tuple[str, ...] = (),
        *,
        number: str | None = None,
    ) -> Receipt:
        terminal = self.terminal
        return make_receipt(
            terminal.heading,
            kind,
            lines,
            cashier=terminal.shift.cashier or "",
            when=terminal.clock(),
            notes=notes,
            receipt_number=number,
        )
