"""One call runs a till request (redesign §4.3): the money movement or slip through the
terminal's use cases, its receipt through the printer port, the card read again, and the
words of what happened (core/done_words.py). Run on a worker thread; the window only
schedules it and hands the answer to the till."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol, assert_never

from posapp.core import sale_undo
from posapp.core.adjustment import is_change
from posapp.core.card_pin import CardPin, digits_of
from posapp.core.done_words import Printed, done_words
from posapp.core.receipt import Receipt
from posapp.core.sale import Sale
from posapp.core.serial_number import short
from posapp.core.serials import CardRef
from posapp.core.till_events import (
    CardFound,
    CardPinAsked,
    CardSeen,
    Check,
    CheckFailed,
    CheckPin,
    CheckSale,
    CheckUndo,
    PinChecked,
    SaleChecked,
    TransactionFound,
    UndoChecked,
)
from posapp.core.till_request import (
    CancelSale,
    CashOut,
    FinishSale,
    OpenManager,
    OpenSale,
    PaySale,
    PrintBalance,
    Redeem,
    RedeemAll,
    RedeemItems,
    RedeemOffline,
    Refund,
    Reprint,
    Request,
    Result,
    Reverse,
    Sell,
    Void,
)
from posapp.i18n import _
from posapp.terminal import offline_calls
from posapp.terminal.activation import sale_refusal
from posapp.terminal.last_receipt import LastReceipt
from posapp.terminal.offline import NotChecked
from posapp.terminal.ports import (
    WRONG_PIN,
    CashierError,
    Declined,
    NotConfirmed,
    PinNeeded,
    PrintFailed,
    ReceiptPrinter,
)
from posapp.terminal.receipt_lookup import scanned_earlier, transaction_for_barcode
from posapp.terminal.refund_slip import refund_card_of
from posapp.terminal.reversal import closed_since
from posapp.terminal.sale_calls import run_sale
from posapp.terminal.sale_undo import of_sale, sale_of
from posapp.terminal.service import Terminal
from posapp.terminal.words import words_for

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Ran:
    """A request's answer: its result in words, its receipt, and the printer's job."""

    result: Result
    receipt: Receipt | None  # a sale's card paid with no slip of its own has none
    job: bytes | None


class PinCheck(Protocol):
    """The manager PIN (adapters/secrets.py's ManagerPin): the wrong PINs tried before a
    right one, in words; a wrong or locked-out PIN raises, in words."""

    def check(self, pin: str) -> str: ...


@dataclass
class TillCalls:
    terminal: Terminal
    printer: ReceiptPrinter
    last: LastReceipt
    pin: PinCheck

    def check_pin(self, effect: CheckPin) -> PinChecked:
        """The manager PIN asked before an action (issue 18.8: the notice counts wrong tries)."""
        return PinChecked(effect.request, None, notice=self.pin.check(effect.pin))

    @staticmethod
    def pin_failed(effect: CheckPin, error: BaseException) -> PinChecked:
        """A PIN refused (or the check broke): its words (terminal/words.py)."""
        return PinChecked(effect.request, words_for(error)[0])

    @staticmethod
    def failed(request: Request, error: BaseException) -> Result:
        """What a failed request means, in words (terminal/words.py: an internal error is
        logged here, once, and said as "Something went wrong")."""
        # Not confirmed: money may have moved, so the balance on screen is not to be trusted.
        clears = isinstance(error, NotConfirmed)
        # A CashierError from a money call: refused, or never sent (nothing moved).
        refused = isinstance(error, CashierError) and not clears
        moved = False if refused and request.moves_money else None
        return Result(words_for(error)[0], "bad", clears_card=clears, moved=moved)

    def check(
        self, effect: Check
    ) -> CardFound | TransactionFound | CardPinAsked | CheckFailed | CardSeen:
        """A scan looked up before anything moves: a refund slip's barcode (its card, not a
        void), a receipt's transaction barcode (this shift's, then an earlier one's), else
        the card it names, with the PIN typed or carried by the scan; a card that needs its
        PIN (or was sent a wrong one) asks for it (issue 21 point 3)."""
        terminal = self.terminal
        slip = refund_card_of(terminal.journal, effect.text)
        if slip is not None:
            return CardFound(effect.request, terminal.check(slip[0]), notice=slip[1])
        found = transaction_for_barcode(
            effect.text, terminal.shift.entry_for_transaction, terminal.locale
        ) or scanned_earlier(
            terminal.journal, terminal.provider, effect.text, locale=terminal.locale
        )
        if found is not None:
            return TransactionFound(effect.request, found)
        ref = terminal.card_ref(effect.text)
        pin = digits_of(effect.pin) or ref.pin
        try:
            gift = terminal.check(ref, pin=pin)
        except PinNeeded as exc:
            return CardPinAsked(effect.request, effect.text, str(exc))
        except Declined as exc:
            if exc.code != WRONG_PIN:
                raise
            return CardPinAsked(effect.request, effect.text, str(exc), wrong=True)
        except CashierError as exc:  # its words name the card (the Adyen trial, 5a #4)
            if isinstance(exc, NotChecked) and (
                seen := offline_calls.seen(terminal.offline, effect, exc)
            ):
                return seen  # not sent: the card as last seen online (issue 24)
            card = short(ref.value) if ref.lookup == "code" else ""
            return CheckFailed(effect.request, words_for(exc)[0], card)
        return CardFound(effect.request, gift, pin=CardPin(pin) if pin else None)

    def check_sale(self, effect: CheckSale) -> SaleChecked:
        """A card scanned to sell, as the provider knows it (terminal/activation.py)."""
        terminal = self.terminal
        ref = terminal.card_ref(effect.text)
        return SaleChecked(
            effect.request, sale_refusal(terminal.provider, ref, locale=terminal.locale)
        )

    def check_undo(self, effect: CheckUndo) -> UndoChecked:
        """The card of a transaction to undo, read before the PIN (terminal/reversal.py)."""
        terminal = self.terminal
        original = terminal.journal.entry(effect.entry_id)
        sale = sale_undo.before_undo(sale_of(terminal, original.sale_id))
        if original.operation == "cash_out":  # its reversal opens the card again
            return UndoChecked(effect.request, None)
        try:
            card = terminal.check(
                CardRef("code", original.code, "journal"), pin=digits_of(effect.pin)
            )
        except PinNeeded:
            # A card read only with its PIN, not on screen with it (issue 21.3): what it
            # holds now is not known, and its reversal needs no PIN (Terminal.reverse).
            return UndoChecked(effect.request, None, sale)
        return UndoChecked(effect.request, closed_since(original, card, terminal.locale), sale)

    def run(self, request: Request, chosen: int | None = None, *, pin: str | None = None) -> Ran:
        """The request done, printed and said; `chosen`: for F9, the journal entry of the
        row chosen in the shift list (read on the Tk thread), else the last receipt; `pin`:
        the PIN of the card on screen, sent with its movement and its read after."""
        if isinstance(request.job, OpenSale | PaySale | FinishSale | CancelSale):
            sales, locale = self.terminal.sales, self.terminal.locale
            result, job = run_sale(sales, request, self.print_kept, locale, pin)
            # Each sale opened, paid, finished and cancelled in the log too (the sale trial,
            # finding 9): the words name a card only by its last digits (serial_number.short).
            sale = result.sale
            name = "" if sale is None else f"sale {sale.id} ({sale.ticket or 'no ticket'}), "
            log.info("%s%s: %s", name, request.words or request.kind, result.words)
            return Ran(result, None, job)
        receipt = self.receipt_of(request, chosen, pin)
        paper, job = self.print_kept(receipt)
        if isinstance(request.job, RedeemOffline):  # no provider to read the card again
            log.info("%s: %s", request.words, "taken offline" if receipt.offline else "done")
            result = offline_calls.done(request, receipt, paper, self.terminal.locale)
            return Ran(result, receipt, job)
        card = request.card
        fresh = None
        if card is not None and request.moves_money and not receipt.not_confirmed:
            fresh = self.terminal.refresh(card, pin=pin)
        elif request.kind in ("activation", "issue", "reversal", "void"):
            # The card just sold or issued, or the one the reversal gave back to: shown, as
            # the words name it (not the card that happened to be on screen).
            fresh = self.terminal.card_after(receipt, pin=pin)
        # What was done, in the log too (the Adyen trial, 5a #6: a whole shift left no line).
        outcome = "not confirmed" if receipt.not_confirmed else "done"
        log.info("%s: %s", request.words or request.kind, outcome)
        return Ran(done_words(request, receipt, paper, fresh, self.terminal.locale), receipt, job)

    def print_kept(self, receipt: Receipt) -> tuple[Printed, bytes | None]:
        """The receipt printed, and kept for F9; what became of the paper, and the job."""
        printer = self.printer
        problem = ""
        try:
            printed = printer.print(receipt)
            job, said = printed.data, printed.said
        except PrintFailed as exc:  # the receipt is kept to print again; the sale stands
            problem, job, said = str(exc), exc.data, "receipt not printed"
        self.last.keep(receipt)  # F9 prints it again
        return Printed(said, printer.transport is not None, problem), job

    def current_sale(self) -> Sale | None:
        """The sale open in the journal (after a restart too, issue 23); else one that
        ended when the till stopped before its receipt printed (it says so); or None."""
        sales = self.terminal.sales
        return sales.current() or sales.ended_unprinted()

    def receipt_of(self, request: Request, chosen: int | None, pin: str | None = None) -> Receipt:
        terminal = self.terminal
        match request.job:
            case Redeem(card, amount):
                return terminal.redeem(card, amount, pin=pin)
            case RedeemAll(card):
                return terminal.redeem(card, use_all=True, pin=pin)
            case RedeemOffline() as offline:
                return offline_calls.redeem(terminal.offline, offline)
            case RedeemItems(card, quantity):
                return terminal.redeem(card, quantity=quantity, pin=pin)
            case CashOut(card, _, law):
                return terminal.cash_out(card, pin=pin, law=law)
            case Sell(scanned, amount, pricebook):
                # A denomination is priced by the provider: no amount of ours goes with it.
                return terminal.sell(
                    scanned, amount=None if pricebook else amount, pricebook=pricebook
                )
            case Refund(amount, email):
                return terminal.refund_to_card(amount, email)
            case Reverse(entry_id) | Void(entry_id):
                return of_sale(terminal, entry_id, terminal.reverse(entry_id, pin=pin))
            case PrintBalance(card):
                return terminal.print_balance(card)
            case Reprint():
                return self.reprint(chosen)
            case OpenManager():  # the till opens the menu itself: never sent as a call
                raise ValueError("opening the manager menu is not a call")
            case OpenSale() | PaySale() | FinishSale() | CancelSale():  # run() runs them
                raise ValueError("a sale's request has its receipts in terminal/sale_calls.py")
            case _:
                assert_never(request.job)

    def reprint(self, chosen: int | None) -> Receipt:
        """F9: the chosen entry's receipt again, or the last receipt (ui/reprint.py: the
        second trial, till #7/G), marked DUPLICATE."""
        if chosen is None:
            return self.last.reprint()
        entry = self.terminal.journal.entry(chosen)
        if is_change(entry):
            raise CashierError(
                _("A manager's change to a card has no receipt: the X and Z reports list it")
            )
        return offline_calls.as_made(self.terminal, entry).reprint()
