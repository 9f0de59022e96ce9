"""The till's effects carried out off the Tk thread (house rule 1): a card check, a money
movement with its receipt, a PIN check. Each answer goes back to the till with the request
id it answers; a money call also gets a deadline, after which the till stops waiting
(`Till.timeout`) and a late answer only reaches the shift list."""

from __future__ import annotations

from collections.abc import Callable

from posapp.core.entry import Entry
from posapp.core.gift import Gift
from posapp.core.serials import CardRef
from posapp.core.till_events import (
    Answered,
    CardFound,
    Check,
    CheckFailed,
    CheckPin,
    CheckSale,
    CheckUndo,
    Move,
    PinChecked,
    SaleChecked,
    Timeout,
    TransactionFound,
    UndoChecked,
)
from posapp.core.till_request import (
    Result,
    Reversible,
)
from posapp.deadline import deadline_s
from posapp.terminal.activation import sale_refusal
from posapp.terminal.ports import CashierError, NotConfirmed
from posapp.terminal.receipt_lookup import scanned_earlier, why_not
from posapp.terminal.refund_slip import refund_card_of
from posapp.terminal.reversal import closed_since
from posapp.terminal.till_calls import Ran, TillCalls
from posapp.ui.host import ScreenHost
from posapp.ui.pick import reversible
from posapp.ui.reprint import chosen_entry, reprint
from posapp.ui.worker import Latest


def transaction_for_barcode(
    text: str, entries: Callable[[str], list[Entry]], locale: str = "en_US"
) -> Reversible | None:
    """A receipt's transaction barcode, scanned: the shift's transaction it belongs to, to
    reverse or void; None when the text is no receipt of this shift (a card, or an earlier
    shift's receipt: terminal/receipt_lookup.py). A receipt of what cannot be undone says
    what it is, as a CashierError. `entries` gives its entry and any reversal of it, by index
    (the terminal's; text that cannot be an id is not looked up)."""
    found = entries(text)
    pick = reversible(found)
    if pick:
        return pick[0]
    if not found:
        return None
    raise CashierError(why_not(found[0], found[1] if found[1:] else None, locale))


class Calls:
    def __init__(self, window: ScreenHost) -> None:
        self.window = window
        self.deadlines: dict[int, str] = {}  # request id -> its after() job
        self.checks = Latest(window.worker)  # one card check at a time, the newest waiting

    def look(self, effect: Check | CheckSale | CheckUndo) -> None:
        """A look-up before anything moves: a scan, a card to sell, a transaction to undo."""
        if isinstance(effect, Check):
            self.check(effect)
        elif isinstance(effect, CheckSale):
            self.check_sale(effect)
        else:
            self.check_undo(effect)

    def check(self, effect: Check) -> None:
        window = self.window
        terminal = window.terminal

        def look() -> Gift | Reversible | tuple[Gift, str]:
            slip = refund_card_of(terminal.journal, effect.text)  # its card, not a void
            if slip is not None:
                return terminal.check(slip[0]), slip[1]
            found = transaction_for_barcode(
                effect.text, terminal.shift.entry_for_transaction, terminal.locale
            ) or scanned_earlier(
                terminal.journal, terminal.provider, effect.text, locale=terminal.locale
            )
            return found if found is not None else terminal.check(effect.text)

        def done(found: Gift | Reversible | tuple[Gift, str]) -> None:
            if isinstance(found, Reversible):
                window.send(TransactionFound(effect.request, found))
            elif isinstance(found, tuple):
                window.send(CardFound(effect.request, found[0], notice=found[1]))
            else:
                window.send(CardFound(effect.request, found))

        self.checks.submit(
            look,
            done,
            lambda error: window.send(CheckFailed(effect.request, window.words_for(error))),
        )

    def check_sale(self, effect: CheckSale) -> None:
        """A card scanned to sell, looked up off the Tk thread (terminal/activation.py)."""
        window = self.window
        terminal = window.terminal

        def look() -> str | None:
            return sale_refusal(
                terminal.provider, terminal.card_ref(effect.text), locale=terminal.locale
            )

        window.worker.submit(
            look,
            lambda problem: window.send(SaleChecked(effect.request, problem)),
            lambda error: window.send(SaleChecked(effect.request, window.words_for(error))),
        )

    def check_undo(self, effect: CheckUndo) -> None:
        """The card of a transaction to undo, looked up before the PIN (terminal/reversal)."""
        window, terminal = self.window, self.window.terminal

        def look() -> str | None:
            original = terminal.journal.entry(effect.entry_id)
            if original.operation == "cash_out":  # its reversal opens the card again
                return None
            card = terminal.check(CardRef("code", original.code, "journal"))
            return closed_since(original, card, terminal.locale)

        window.worker.submit(
            look,
            lambda problem: window.send(UndoChecked(effect.request, problem)),
            lambda error: window.send(UndoChecked(effect.request, window.words_for(error))),
        )

    def pin(self, effect: CheckPin) -> None:
        window = self.window
        pin = window.services_.pin
        window.worker.submit(
            lambda: pin.check(effect.pin),
            lambda notice: window.send(PinChecked(effect.request, None, notice=notice)),
            lambda error: window.send(PinChecked(effect.request, window.words_for(error))),
        )

    def move(self, effect: Move) -> None:
        window, request = self.window, effect.request
        wait_ms = int(deadline_s(window.config.provider) * 1000)
        self.deadlines[request.id] = window.root.after(wait_ms, lambda: self._timed_out(request.id))

        def done(answer: Ran) -> None:
            self._answered(request.id)
            window.last_receipt = answer.receipt
            window.last_job = answer.job or window.last_job
            window.send(Answered(request.id, answer.result))
            window.on_painted("receipt")

        def failed(error: BaseException) -> None:
            self._answered(request.id)
            # Not confirmed: money may have moved, so the balance on screen is not to be trusted.
            clears = isinstance(error, NotConfirmed)
            # A CashierError from a money call: refused, or never sent (nothing moved).
            refused = isinstance(error, CashierError) and not clears
            moved = False if refused and request.moves_money else None
            result = Result(window.words_for(error), "bad", clears_card=clears, moved=moved)
            window.send(Answered(request.id, result))

        # F9: the row chosen in the shift list, read here on the Tk thread (ui/reprint.py).
        chosen = chosen_entry(window.shift) if request.kind == "reprint" else None
        if chosen is not None:
            window.shift.selection_remove(*window.shift.selection())
        calls = TillCalls(window.terminal, window.services_.printer)
        window.worker.submit(
            lambda: calls.run(request, lambda: reprint(window, chosen)), done, failed
        )

    @property
    def in_flight(self) -> bool:
        return bool(self.deadlines)

    def _answered(self, request: int) -> None:
        job = self.deadlines.pop(request, None)
        if job is not None:
            self.window.root.after_cancel(job)

    def _timed_out(self, request: int) -> None:
        self.deadlines.pop(request, None)
        self.window.send(Timeout(request))
