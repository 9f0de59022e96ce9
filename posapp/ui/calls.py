"""The till's effects carried out off the Tk thread (house rule 1): a card check, a money
movement with its receipt, a PIN check. Each answer goes back to the till with the request
id it answers; a money call also gets a deadline, after which the till stops waiting
(`Till.timeout`) and a late answer only reaches the shift list."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

from posapp.core.card_pin import digits_of
from posapp.core.till_events import (
    Answered,
    CashOutKnown,
    Check,
    CheckFailed,
    CheckPin,
    CheckSale,
    CheckUndo,
    Move,
    ReadSale,
    SaleChecked,
    SaleRead,
    SaleResumed,
    Timeout,
    UndoChecked,
)
from posapp.core.till_request import Request, Result
from posapp.core.till_words import not_started
from posapp.deadline import deadline_s
from posapp.ui.host import ScreenHost
from posapp.ui.reprint import chosen_entry
from posapp.ui.worker import Latest

if TYPE_CHECKING:  # the use cases load with the engine, after the window is drawn
    from posapp.core.sale import Sale
    from posapp.terminal.till_calls import Ran


class Calls:
    def __init__(self, window: ScreenHost) -> None:
        self.window = window
        self.deadlines: dict[int, str] = {}  # request id -> its after() job
        self.running: dict[int, tuple[Request, Future[Ran]]] = {}  # request id -> its call
        self.checks = Latest(window.worker)  # one card check at a time, the newest waiting

    def look(self, effect: Check | CheckSale | CheckUndo | ReadSale) -> None:
        """A look-up before anything moves: a scan, a card to sell, a transaction to undo;
        or the open sale read again (a sale's call failed or timed out)."""
        if isinstance(effect, ReadSale):
            self.read_sale()
        elif isinstance(effect, Check):
            self.check(effect)
        elif isinstance(effect, CheckSale):
            self.check_sale(effect)
        else:
            self.check_undo(effect)

    def check(self, effect: Check) -> None:
        """A scan: a refund slip, a receipt's transaction, or a card (TillCalls.check)."""
        window, calls = self.window, self.window.services_.calls
        self.checks.submit(
            lambda: calls.check(effect),
            window.send,
            lambda error: window.send(CheckFailed(effect.request, window.words_for(error))),
        )

    def check_sale(self, effect: CheckSale) -> None:
        """A card scanned to sell, looked up off the Tk thread."""
        window, calls = self.window, self.window.services_.calls
        window.worker.submit(
            lambda: calls.check_sale(effect),
            window.send,
            lambda error: window.send(SaleChecked(effect.request, window.words_for(error))),
        )

    def check_undo(self, effect: CheckUndo) -> None:
        """The card of a transaction to undo, looked up before the PIN."""
        window, calls = self.window, self.window.services_.calls
        window.worker.submit(
            lambda: calls.check_undo(effect),
            window.send,
            lambda error: window.send(UndoChecked(effect.request, window.words_for(error))),
        )

    def pin(self, effect: CheckPin) -> None:
        window, calls = self.window, self.window.services_.calls
        window.worker.submit(
            lambda: calls.check_pin(effect),
            window.send,
            lambda error: window.send(calls.pin_failed(effect, error)),
        )

    def move(self, effect: Move) -> None:
        window, request = self.window, effect.request
        wait_ms = int(deadline_s(window.config.provider) * 1000)
        self.deadlines[request.id] = window.root.after(wait_ms, lambda: self._timed_out(request.id))

        def done(answer: Ran) -> None:
            self._answered(request.id)
            window.last_job = answer.job or window.last_job
            window.send(Answered(request.id, answer.result))
            window.on_painted("receipt")

        calls = self.window.services_.calls

        def failed(error: BaseException) -> None:
            self._answered(request.id)
            window.send(Answered(request.id, calls.failed(request, error)))
            if request.kind == "cash_out":  # the store's switch or limit refused it? F8 learns
                self.cash_out_policy()

        # F9: the row chosen in the shift list, read here on the Tk thread (ui/reprint.py).
        chosen = chosen_entry(window.shift) if request.kind == "reprint" else None
        if chosen is not None:
            window.shift.selection_remove(*window.shift.selection())
        pin = digits_of(effect.pin)  # the card's own, where it has one: for this call only
        future = window.worker.submit(lambda: calls.run(request, chosen, pin=pin), done, failed)
        self.running[request.id] = (request, future)

    def read_sale(self, *, resumed: bool = False) -> None:
        """The sale open in the journal, read off the Tk thread: on attach (a till stopped
        in the middle of one resumes it), or after a sale's call failed or timed out."""
        window, calls = self.window, self.window.services_.calls

        def read(sale: Sale | None) -> None:
            if not resumed:
                window.send(SaleRead(sale))
            elif sale is not None:
                window.send(SaleResumed(sale))

        window.worker.submit(
            calls.current_sale, read, lambda error: window.say(window.words_for(error), "bad")
        )

    def cash_out_policy(self) -> None:
        """The store's cash-out switch and limit read again, off the Tk thread, for F8 (the
        trial of a till, 5b #8: the limit refused the cash-out, F8 still offered it)."""
        from posapp.ui.cash_out import cash_out_policy  # loaded with the engine, by then

        window, terminal = self.window, self.window.services_.terminal
        window.worker.submit(
            lambda: cash_out_policy(terminal),
            lambda policy: window.send(CashOutKnown(policy)),
            lambda _error: None,  # the status watch asks again within 10 s
        )

    def _answered(self, request: int) -> None:
        self.running.pop(request, None)
        job = self.deadlines.pop(request, None)
        if job is not None:
            self.window.root.after_cancel(job)

    def _timed_out(self, request: int) -> None:
        """Its deadline counts from the key: a call still queued behind other calls (the
        pool's four threads busy) is taken out and never sent, and said so; one that started
        is left to answer late (Till.timeout), as its money may have moved."""
        self.deadlines.pop(request, None)
        call, future = self.running.pop(request, (None, None))
        if call is not None and future is not None and future.cancel():
            self.window.send(Answered(request, Result(not_started(call), "bad", moved=False)))
            return
        self.window.send(Timeout(request))
