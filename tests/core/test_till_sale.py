"""The till in a sale paid card by card (issue 23, core/till_sale.py): F11's amount due, a
card's payment offered and named, finishing and cancelling, a sale resumed after a restart;
then the invariants over random event sequences against a model of the engine (Sales): the
done payments never add up past the due, a cancelled sale's payments are each reversed once,
at most one call in flight."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from msgspec.structs import replace

from posapp.core.actions import ACTIONS
from posapp.core.sale import Sale, SalePayment
from posapp.core.till import Till
from posapp.core.till_events import (
    ActionKey,
    ActionName,
    AmountKey,
    Answered,
    Cancel,
    CardFound,
    CardSeen,
    Check,
    CheckFailed,
    Confirm,
    Effect,
    Move,
    ReadSale,
    SaleRead,
    SaleResumed,
    Scan,
    Settled,
    Sound,
    Timeout,
    TransactionFound,
)
from posapp.core.till_request import (
    CancelSale,
    FinishSale,
    OpenSale,
    PaySale,
    Result,
    Reversible,
)
from tests.core.test_till import gift, only_move, till


def opened(t: Till, due: str = "8320", ticket: str = "R-4411") -> Sale:
    """F11, the amount due typed, Enter: the sale the engine opened, answered."""
    assert t.action("sale") == []
    assert (t.phase, t.purpose) == ("entering", "due")
    for key in due:
        t.amount_key(key)
    move = only_move(t.confirm(ticket=ticket))
    assert isinstance(move.request.job, OpenSale)
    sale = Sale(1, move.request.job.due, "USD", move.request.job.ticket)
    t.answered(move.request.id, Result("Sale started", sale=sale))
    return sale


def found(t: Till, code: str, balance: int = 4000, **kw: object) -> list[Effect]:
    (check,) = [e for e in t.scan(f"SVS_GC-{code}", now=float(len(code))) if isinstance(e, Check)]
    return t.card_found(check.request, gift(code, balance, **kw))  # type: ignore[arg-type]


def paid(sale: Sale, entry: int, code: str, amount: int, state: str = "done") -> Sale:
    return sale.with_payment(SalePayment(entry, code, amount, state))  # type: ignore[arg-type]


def test_f11_opens_the_amount_due_and_enter_starts_the_sale_with_its_ticket() -> None:
    t = till()
    t.action("sale")
    for key in "8320":
        t.amount_key(key)
    assert t.ok_words() == "Start a sale of $83.20"
    move = only_move(t.confirm(ticket="  R-4411 "))
    assert move.request.job == OpenSale(8320, "R-4411")
    assert t.waiting() == "Opening the sale…"
    sale = Sale(7, 8320, "USD", "R-4411")
    t.answered(move.request.id, Result("Sale started", sale=sale))
    assert t.open_sale == sale
    assert t.in_sale
    assert t.phase == "idle"
    assert "Scan the next card, or F11: collect $83.20 by other means" in t.message


def test_a_card_in_a_sale_offers_the_smaller_of_its_value_and_what_is_left() -> None:
    t = till()
    opened(t)
    assert found(t, "500000000000001", 4000) == [Sound("good")]
    assert (t.phase, t.purpose) == ("entering", "pay")
    assert t.entry is not None
    assert t.entry.minor == 4000
    assert t.ok_words() == "Pay $40.00 from ••0001 (sale: $43.20 left)"
    t.cancel()  # Esc: back to the sale, the card on screen
    assert (t.phase, t.in_sale) == ("card", True)
    found(t, "500000000000002", 10000)  # holds more than is left: what is left
    assert t.entry is not None
    assert t.entry.minor == 8320
    assert t.ok_words() == "Pay $83.20 from ••0002 (sale: $0.00 left)"


def test_the_cashier_may_type_less_and_not_more_than_is_left() -> None:
    t = till()
    opened(t, "5000")
    found(t, "500000000000001", 9000)
    t.amount_key("2")  # the first key starts a new amount in place of the offer
    t.amount_key("0")
    t.amount_key("0")
    t.amount_key("0")
    assert t.entry is not None
    assert t.entry.minor == 2000
    assert t.ok_words() == "Pay $20.00 from ••0001 (sale: $30.00 left)"
    t.amount_key("0")  # $200.00: more than the sale's $50.00
    assert t.tone == "bad"
    assert t.message.startswith("$200.00 is more than is left to pay in this sale ($50.00)")
    assert t.confirm() == [Sound("bad")]  # in doubt: Enter waits for BackSpace
    t.amount_key("BackSpace")
    for key in "1234":
        t.amount_key(key)
    move = only_move(t.confirm())
    assert move.request.job == PaySale(1, gift("500000000000001", 9000), 1234)
    assert move.request.words == "Pay $12.34 from ••0001"


def test_a_declined_card_leaves_the_sale_where_it_was_and_reads_it_again() -> None:
    t = till()
    sale = opened(t)
    found(t, "500000000000001", 4000)
    move = only_move(t.confirm())
    effects = t.answered(move.request.id, Result("Card declined: insufficient funds", "bad"))
    assert ReadSale() in effects
    assert t.open_sale == sale
    assert t.message == "Card declined: insufficient funds"
    t.handle(SaleRead(sale))
    assert t.in_sale


def test_paid_in_full_finishes_by_itself() -> None:
    t = till()
    sale = opened(t, "5000")
    found(t, "500000000000001", 9000)
    move = only_move(t.confirm())
    after = replace(paid(sale, 11, "500000000000001", 5000), state="open")
    effects = t.answered(move.request.id, Result("Paid $50.00 from ••0001", sale=after))
    finish = only_move(effects)
    assert finish.request.job == FinishSale(1)
    assert t.busy
    assert t.message == "Paid $50.00 from ••0001. Paid in full: printing the sale receipt…"
    done = replace(after, state="paid")
    t.answered(finish.request.id, Result("Sale paid in full", sale=done))
    assert (t.open_sale, t.in_sale, t.message) == (None, False, "Sale paid in full")


def test_f11_in_a_sale_hands_the_rest_over_after_enter() -> None:
    t = till()
    sale = opened(t)
    sale = paid(sale, 11, "500000000000001", 5000)
    t.handle(SaleRead(sale))
    (f11,) = [a for a in ACTIONS if a.name == "sale"]
    assert f11.words(t) == "Finish sale: collect $33.20"
    assert t.action("sale") == []
    assert t.pending is not None
    assert t.pending.words == "Finish the sale, then collect $33.20 by other means"
    assert only_move(t.confirm()).request.job == FinishSale(1)


def test_enter_on_the_cashier_screen_in_a_sale_asks_to_finish_it() -> None:
    t = till()
    assert t.scan("", now=1.0) == []  # no sale: an empty Enter does nothing
    sale = opened(t)
    assert t.scan("", now=1.5) == [Sound("bad")]  # nothing paid yet: nothing to finish
    assert t.message == "No card has paid in this sale yet: scan a card, or Esc to cancel the sale"
    t.handle(SaleRead(paid(sale, 11, "500000000000001", 1000)))
    t.scan("  ", now=2.0)  # Enter on the empty scan field (ui/window.py sends it as a scan)
    assert t.pending is not None
    assert isinstance(t.pending.job, FinishSale)
    t.cancel()
    assert (t.phase, t.in_sale) == ("idle", True)


def test_a_payment_not_confirmed_yet_keeps_the_sale_from_finishing() -> None:
    t = till()
    sale = paid(opened(t), 11, "500000000000001", 2000, "unknown")
    t.handle(SaleRead(sale))
    assert t.action("sale") == [Sound("bad")]
    assert t.message.startswith("$20.00 paid by a card is not confirmed yet")
    found(t, "500000000000002", 9000)  # what is unknown counts as paid in the offer
    assert t.entry is not None
    assert t.entry.minor == 8320 - 2000


def test_esc_in_a_sale_asks_to_cancel_it_naming_every_card_and_enter_cancels() -> None:
    t = till()
    sale = opened(t)
    sale = paid(paid(sale, 11, "500000000000001", 4000), 12, "500000000000002", 2000)
    t.handle(SaleRead(sale))
    t.cancel()
    assert t.pending is not None
    assert t.pending.pin_for is None  # no manager PIN while the sale is open
    assert t.pending.words == "Cancel the sale and refund every card paid"
    assert t.pending.detail == (
        "Cancel the sale? Every card paid is refunded (••0002 $20.00, ••0001 $40.00). "
        "Esc keeps the sale open."
    )
    move = only_move(t.confirm())
    assert isinstance(move.request.job, CancelSale)
    t.answered(move.request.id, Result("Cancelling failed", "bad"))
    assert t.in_sale  # a failure leaves the sale open, and it is read again


def test_every_other_key_in_a_sale_says_to_finish_or_cancel_it_but_f4() -> None:
    t = till()
    opened(t)
    found(t, "500000000000001", 4000)
    t.cancel()  # the card on screen, the sale open
    for action in ACTIONS:
        if action.name in ("balance", "sale"):
            assert action.enabled(t)
            continue
        assert not action.enabled(t)
        assert t.action(action.name) == [Sound("bad")], action.name
        assert t.message == (
            "A sale is open ($83.20 left): scan the next card, F11 to finish it, or Esc to "
            "cancel it"
        )


def test_an_item_gift_is_refused_in_a_sale_with_the_reason() -> None:
    t = till()
    opened(t)
    assert found(t, "500000000000003", kind="item") == [Sound("bad")]
    assert t.phase == "card"
    assert t.entry is None
    assert t.message.startswith("Card ••0003 holds items, not money: it cannot pay toward")


def test_a_sale_open_when_the_till_stopped_is_resumed() -> None:
    t = till()
    sale = paid(Sale(4, 8320, "USD", None), 9, "500000000000001", 4000)
    t.handle(SaleResumed(sale))
    assert t.open_sale == sale
    assert t.message == "A sale was open when the till stopped: finish it (F11) or Esc to cancel it"
    found(t, "500000000000002", 9000)
    assert t.entry is not None
    assert t.entry.minor == 4320


def test_a_sale_ended_before_its_receipt_printed_is_said_at_the_start() -> None:
    """The sale trial, finding 1: the till stopped after the sale closed, before its receipt
    printed; at the next start it says which sale and that F9 prints it, in no sale."""
    t = till()
    sale = replace(paid(Sale(4, 1000, "USD", "4716"), 9, "500000000000001", 1000), state="paid")
    t.handle(SaleResumed(sale))
    assert t.open_sale is None
    assert t.message == "Sale 4716 was paid in full when the till stopped: F9 prints its receipt"
    assert t.tone == "warn"
    t = till()
    handed = paid(Sale(5, 3000, "USD", None), 9, "500000000000001", 1000)
    t.handle(SaleResumed(replace(handed, state="handed_over")))
    assert t.message == (
        "Sale 5 was finished when the till stopped (Collect $20.00 by other means): F9 prints "
        "its receipt"
    )


def test_a_movement_settled_in_a_sale_reads_the_sale_again() -> None:
    """A payment left unknown settles: the sale's pending figure is the journal's now."""
    t = till()
    opened(t)
    assert ReadSale() in t.handle(Settled("Settled: the card was charged.", "ok"))
    t.cancel()  # the cancel confirm open over the panel: read again all the same
    assert t.pending is not None
    assert t.handle(Settled("Settled: another.", "ok")) == [ReadSale()]
    t.cancel()  # Esc on the confirm keeps the sale
    t.handle(SaleRead(None))  # the sale was closed meanwhile
    assert not t.in_sale
    assert t.handle(Settled("Settled: one more.", "ok")) == [Sound("good")]


def test_a_sale_call_past_its_deadline_reads_the_sale_again() -> None:
    t = till()
    opened(t)
    found(t, "500000000000001", 4000)
    move = only_move(t.confirm())
    assert ReadSale() in t.handle(Timeout(move.request.id))
    assert t.in_sale
    assert not t.busy


# --- invariants over random sequences, against a model of the engine ----------------------

CODES = ["500000000000001", "500000000000002", "500000000000003"]
BALANCES = [1500, 4000, 10000]


@dataclass
class Engine:
    """A model of terminal/sale.py's Sales: it refuses (ValueError, a CashierError there) what
    the real one refuses: a second open sale, a call on a sale that is over, an amount core/
    sale.py refuses; it counts each payment's reversals, so the invariants are the ledger's."""

    sales: dict[int, Sale] = field(default_factory=dict)
    reversals: dict[int, int] = field(default_factory=dict)  # entry -> times reversed
    entries: int = 0

    def open(self, due: int, ticket: str | None) -> Sale:
        if any(s.is_open for s in self.sales.values()):
            raise ValueError("a second sale opened")  # CashierError, as Sales says
        sale = Sale(len(self.sales) + 1, due, "USD", ticket)
        self.sales[sale.id] = sale
        return sale

    def pay(self, job: PaySale, outcome: str) -> Sale:
        sale = self.sales[job.sale_id]
        if not (sale.is_open):
            raise ValueError("a payment on a sale that is over")  # CashierError, as Sales says
        if sale.refusal(job.amount, job.card.eligible_value) or outcome == "declined":
            raise ValueError("refused")
        self.entries += 1
        state = "done" if outcome == "done" else "unknown"
        sale = paid(sale, self.entries, job.card.code, job.amount, state)
        self.sales[sale.id] = sale
        return sale

    def settle(self) -> None:
        """The settler: every unknown payment found done."""
        for sale in self.sales.values():
            for p in sale.payments:
                if p.state == "unknown":
                    self.sales[sale.id] = sale = sale.with_payment(replace(p, state="done"))

    def finish(self, sale_id: int) -> Sale:
        sale = self.sales[sale_id]
        if not (sale.is_open):
            raise ValueError("a sale finished twice")  # CashierError, as Sales says
        if sale.pending or not sale.paid:
            raise ValueError("not now")
        sale = replace(sale, state="paid" if not sale.left else "handed_over")
        self.sales[sale_id] = sale
        return sale

    def cancel(self, sale_id: int) -> Sale:
        sale = self.sales[sale_id]
        if not (sale.is_open):
            raise ValueError("a sale cancelled twice")  # CashierError, as Sales says
        for p in sale.done_newest_first():
            self.reversals[p.entry_id] = self.reversals.get(p.entry_id, 0) + 1
            sale = sale.with_payment(replace(p, state="reversed"))
        if sale.pending:
            self.sales[sale_id] = sale
            raise ValueError("left open")
        sale = replace(sale, state="cancelled")
        self.sales[sale_id] = sale
        return sale

    def current(self) -> Sale | None:
        return next((s for s in self.sales.values() if s.is_open), None)


class SaleMachine(RuleBasedStateMachine):
    """A cashier in sales: F11, amounts, scans, Enter, Esc, F-keys, while the engine answers
    late, declines, or loses an answer that the settler later finds done."""

    @initialize(in_sale=st.booleans())
    def start(self, in_sale: bool) -> None:
        self.till = till()
        self.engine = Engine()
        self.now = 1000.0
        self.checks: list[tuple[int, str]] = []
        self.moves: dict[int, Move] = {}
        self.timed_out: set[int] = set()
        self.reads = 0
        if in_sale:  # half the runs start in a sale of $83.20, to go further into it
            self.till.handle(SaleRead(self.engine.open(8320, None)))

    def _run(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, Move):
                outstanding = [i for i in self.moves if i not in self.timed_out]
                assert not outstanding, "a second call started while one is in flight"
                job, sale = effect.request.job, self.till.open_sale
                if isinstance(job, PaySale):
                    assert sale is not None
                    assert sale.id == job.sale_id
                    assert job.card == self.till.card
                    room = sale.left - sale.pending
                    assert 0 < job.amount <= min(room, job.card.eligible_value), "over"
                self.moves[effect.request.id] = effect
            elif isinstance(effect, Check):
                self.checks.append((effect.request, effect.text))
            elif isinstance(effect, ReadSale):
                self.reads += 1

    @rule(name=st.sampled_from(["sale", "sale", "redeem", "balance", "sell", "reverse"]))
    def key(self, name: ActionName) -> None:
        self._run(self.till.handle(ActionKey(name)))

    @rule(due=st.sampled_from(["8320", "2000", "12000"]), ticket=st.sampled_from(["", "R-1"]))
    def f11_due_enter(self, due: str, ticket: str) -> None:
        """F11, the amount due and Enter at a cashier's pace (each key an event)."""
        for event in [ActionKey("sale"), *(AmountKey(k) for k in due), Confirm(ticket=ticket)]:
            self._run(self.till.handle(event))

    @rule(pick=st.integers(0, 2), less=st.sampled_from(["", "5", "500", "99999"]))
    def card_scanned_and_found(self, pick: int, less: str) -> None:
        """A card scanned and found at once, an amount typed in place of the offer, Enter."""
        self.now += 3.0
        self._run(self.till.handle(Scan(f"SVS_GC-{CODES[pick]}", self.now)))
        if self.checks and self.checks[-1][0] == self.till.checking:
            request, _text = self.checks.pop()
            g = gift(CODES[pick], BALANCES[pick])
            self._run(self.till.handle(CardFound(request, g)))
        for key in less:
            self._run(self.till.handle(AmountKey(key)))
        self._run(self.till.handle(Confirm()))

    @rule(key=st.sampled_from([*"0123456789", "BackSpace"]))
    def amount_key(self, key: str) -> None:
        self._run(self.till.handle(AmountKey(key)))

    @rule(ticket=st.sampled_from(["", "R-1"]))
    def enter(self, ticket: str) -> None:
        self._run(self.till.handle(Confirm(ticket=ticket)))

    @rule()
    def escape(self) -> None:
        self._run(self.till.handle(Cancel()))

    @rule(pick=st.integers(0, 2), gap=st.sampled_from([0.1, 3.0]))
    def scan(self, pick: int, gap: float) -> None:
        self.now += gap
        self._run(self.till.handle(Scan(f"SVS_GC-{CODES[pick]}", self.now)))

    @precondition(lambda self: self.checks)
    @rule(pick=st.integers(0, 10), ok=st.booleans(), item=st.booleans())
    def check_answer(self, pick: int, ok: bool, item: bool) -> None:
        request, text = self.checks.pop(pick % len(self.checks))
        code = text.removeprefix("SVS_GC-")
        if ok:
            g = gift(code, BALANCES[CODES.index(code)], kind="item" if item else "monetary")
            self._run(self.till.handle(CardFound(request, g)))
        else:
            self._run(self.till.handle(CheckFailed(request, "Gift card not found")))

    @precondition(lambda self: self.moves)
    @rule(
        pick=st.integers(0, 10),
        outcome=st.sampled_from(["done", "declined", "unknown"]),
    )
    def move_answer(self, pick: int, outcome: str) -> None:
        request_id = sorted(self.moves)[pick % len(self.moves)]
        job = self.moves.pop(request_id).request.job
        try:
            match job:
                case OpenSale(due, ticket):
                    result = Result("Sale started", sale=self.engine.open(due, ticket))
                case PaySale():
                    sale = self.engine.pay(job, outcome)
                    result = Result("Paid", sale=sale)
                    if outcome == "unknown":
                        result = Result("Not confirmed", "warn", clears_card=True, sale=sale)
                case FinishSale(sale_id):
                    result = Result("Finished", sale=self.engine.finish(sale_id))
                case CancelSale(sale_id):
                    result = Result("Cancelled", sale=self.engine.cancel(sale_id), clears_card=True)
                case _:
                    result = Result("done")
        except ValueError as exc:
            result = Result(str(exc), "bad", moved=False)
        self._run(self.till.handle(Answered(request_id, result)))

    @precondition(lambda self: self.till.in_flight is not None)
    @rule()
    def deadline(self) -> None:
        assert self.till.in_flight is not None
        request = self.till.in_flight.id
        self._run(self.till.handle(Timeout(request)))
        self.timed_out.add(request)

    @precondition(lambda self: self.reads)
    @rule()
    def read_answer(self) -> None:
        """The ReadSale the till asked for: the engine's open sale, as it is now."""
        self.reads -= 1
        self._run(self.till.handle(SaleRead(self.engine.current())))

    @rule()
    def settler(self) -> None:
        self.engine.settle()

    @invariant()
    def done_payments_never_pass_the_due(self) -> None:
        for sale in self.engine.sales.values():
            assert sale.paid <= sale.due, sale

    @invariant()
    def each_payment_of_a_cancelled_sale_is_reversed_once(self) -> None:
        assert all(n == 1 for n in self.engine.reversals.values()), self.engine.reversals
        for sale in self.engine.sales.values():
            if sale.state == "cancelled":
                assert all(p.state != "done" for p in sale.payments)

    @invariant()
    def at_most_one_call_and_busy_means_one(self) -> None:
        if self.till.busy:
            assert self.till.in_flight is not None
        else:
            assert self.till.in_flight is None

    @invariant()
    def in_a_sale_only_f4_and_f11_are_on(self) -> None:
        if self.till.in_sale:
            on = {a.name for a in ACTIONS if a.enabled(self.till)}
            assert on <= {"balance", "sale"}, on

    @invariant()
    def the_till_shows_no_sale_the_engine_closed(self) -> None:
        sale = self.till.open_sale
        if sale is not None and not self.reads and not self.timed_out:
            assert self.engine.sales[sale.id].is_open


SaleMachine.TestCase.settings = settings(
    max_examples=300,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_sale_invariants = SaleMachine.TestCase


def test_a_card_not_reached_in_a_sale_is_not_taken_offline() -> None:
    """Issue 24's offline selling shows a card as last seen when the provider cannot be
    reached; a sale's card pays online only (Sales.pay): said as a failed check, the sale
    where it was, F2 and F3 refused in the sale's words."""
    from datetime import UTC, datetime

    from posapp.core.offline import LastKnown

    t = till()
    opened(t)
    (check,) = [e for e in t.scan("SVS_GC-500000000000001", now=5.0) if isinstance(e, Check)]
    now = datetime(2026, 12, 6, tzinfo=UTC)
    last = LastKnown("500000000000001", 4000, "USD", now)
    seen = CardSeen(check.request, "500000000000001", last, now, "The provider cannot be reached")
    assert t.handle(seen) == [Sound("bad")]
    assert (t.card, t.phase, t.in_sale) == (None, "idle", True)
    assert t.message == "Card ••0001: The provider cannot be reached."
    t.offline = True
    assert t.action("redeem") == [Sound("bad")]
    assert t.message.startswith("A sale is open ($83.20 left)")


def test_a_receipt_scanned_in_a_sale_opens_no_reversal() -> None:
    t = till()
    opened(t)
    (check,) = [e for e in t.scan("TX-000123", now=5.0) if isinstance(e, Check)]
    found = Reversible(7, "redemption", "500000000000001", 999, "USD")
    assert t.handle(TransactionFound(check.request, found)) == [Sound("bad")]
    assert (t.phase, t.pending, t.undo_check, t.in_sale) == ("idle", None, None, True)


def test_f7_on_a_payment_of_a_finished_sale_names_the_sale_on_its_confirm() -> None:
    """The sale trial, finding 3: the card's look-up before the PIN brings the sale's words,
    said before what the reversal does on the cash side."""
    from posapp.core.till_events import ActionKey, CheckUndo, Confirm, UndoChecked
    from posapp.core.till_request import Reversible

    t = till()
    paid_part = Reversible(1, "redemption", "500000000000002", 1250, "USD")
    effects = t.handle(ActionKey("reverse")) + t.handle(Confirm(pick=paid_part))
    (undo,) = [e for e in effects if isinstance(e, CheckUndo)]
    words = "This card paid part of sale 4711 (paid in full); its receipt will no longer match"
    t.handle(UndoChecked(undo.request, None, words))
    assert t.phase == "confirming"
    assert t.pending is not None
    assert t.pending.detail.startswith(words + ". The card gets its $12.50 back")


def test_esc_on_a_sale_nobody_paid_asks_to_cancel_it_without_refund_words() -> None:
    """The sale trial, finding 12."""
    t = till()
    opened(t)
    t.cancel()
    assert t.pending is not None
    assert t.pending.words == "Cancel the sale"
    assert "refund" not in t.pending.detail


def test_esc_on_the_pay_overlay_says_nothing_was_charged() -> None:
    """The sale trial, finding 13: Esc closed "Pay toward the sale" with no word."""
    t = till()
    opened(t, "3000")
    found(t, "500000000000011", 2500)
    assert (t.phase, t.purpose) == ("entering", "pay")
    t.cancel()
    assert t.phase in ("idle", "card")
    assert t.message == "Nothing was charged to ••0011; the sale has $30.00 left."
    assert t.in_sale


def test_a_card_that_cannot_pay_in_a_sale_says_what_to_do_in_the_sale() -> None:
    """The sale trial, findings 5 and 6: an unsold card said "F5 sells it" (F5 is off in a
    sale), an expired or used-up one said nothing of the sale."""
    t = till()
    opened(t, "3000")
    (check,) = [e for e in t.scan("SVS_GC-500000000000011", now=1.0) if isinstance(e, Check)]
    unknown = (
        "This card is not sold yet: F5 sells it. If the customer says it holds money, scan it "
        "again or check its code"
    )
    t.handle(CheckFailed(check.request, unknown, "••0011"))
    assert "F5" not in t.message
    assert t.message == (
        "Card ••0011: This card is not sold yet: it cannot pay. If the customer says it holds "
        "money, scan it again or check its code. The sale is unchanged ($30.00 left): ask for "
        "another card, or F11 to collect the rest by other means."
    )
    assert t.in_sale
    found(t, "500000000000003", 0)
    assert t.message.endswith(
        "The sale is unchanged ($30.00 left): ask for another card, or F11 to collect the "
        "rest by other means."
    )


def test_f4_in_a_new_sale_does_not_print_the_balance_of_the_card_shown_before() -> None:
    """The sale trial, finding 8: F4 stayed lit in a new sale and printed the balance of the
    card sold before it, which the panel no longer showed."""
    from posapp.core.actions import ACTION_BY_NAME
    from tests.core.test_till import shown

    t = till()
    shown(t, "500000000000011")
    assert ACTION_BY_NAME["balance"].enabled(t)
    opened(t, "3000")
    assert t.card is None
    assert not ACTION_BY_NAME["balance"].enabled(t)
    t.action("balance")
    assert t.in_flight is None
