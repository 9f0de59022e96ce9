"""core/sale.py: a sale paid card by card (issue 23): what is paid, left, offered, refused."""

from __future__ import annotations

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from posapp.core.sale import Sale, SalePayment


def sale(due: int = 8320, *payments: SalePayment) -> Sale:
    return Sale(id=1, due=due, currency="USD", ticket="T-1", payments=payments)


def pay(entry_id: int, amount: int, state: str = "done") -> SalePayment:
    return SalePayment(entry_id=entry_id, code=f"GC-{entry_id:08d}", amount=amount, state=state)  # type: ignore[arg-type]


def test_paid_left_pending_add_up_what_the_cards_did() -> None:
    s = sale(
        8320,
        pay(1, 2500),
        pay(2, 1000, "declined"),
        pay(3, 3000, "unknown"),
        pay(4, 500, "pending"),
        pay(5, 700, "reversed"),
    )
    assert s.paid == 2500
    assert s.left == 5820
    assert s.pending == 3500
    # a reversal asked and not confirmed: the money is still taken until it is
    assert sale(1000, pay(1, 400, "reversing")).paid == 400


def test_left_is_never_negative() -> None:
    # a due below what the cards took cannot come from `offer`, but a left is never < 0
    assert sale(100, pay(1, 300)).left == 0


def test_offer_is_the_smaller_of_the_card_and_what_is_left() -> None:
    s = sale(8320, pay(1, 5000))
    assert s.offer(10_000) == 3320
    assert s.offer(2000) == 2000
    # what is not yet known counts as if it went through
    assert sale(8320, pay(1, 5000, "unknown")).offer(10_000) == 3320
    assert sale(1000, pay(1, 1000)).offer(500) == 0
    assert s.offer(0) == 0


def test_refusal_says_why_in_words() -> None:
    s = sale(8320, pay(1, 5000))
    assert s.refusal(3320, 5000, "en_US") is None
    assert s.refusal(100, 5000, "en_US") is None  # the cashier may type less
    assert s.refusal(3321, 5000, "en_US") == (
        "$33.21 is more than is left to pay in this sale ($33.20)"
    )
    assert s.refusal(3000, 2000, "en_US") == "This card holds $20.00; $30.00 is more than that"
    assert s.refusal(0, 2000, "en_US") == "Type an amount above zero"
    assert s.refusal(100, 0, "en_US") == "This card has no value left to pay with"
    assert sale(1000, pay(1, 1000)).refusal(1, 500, "en_US") == (
        "Nothing is left to pay in this sale: finish it (Enter)"
    )
    waiting = sale(1000, pay(1, 600, "unknown"))
    assert waiting.refusal(500, 900, "en_US") == (
        "$5.00 is more than is left to pay in this sale ($4.00, with $6.00 not yet known)"
    )
    assert sale(100_000).refusal(200_000, 300_000, "de_DE") == (
        "2.000,00\xa0$ is more than is left to pay in this sale (1.000,00\xa0$)"
    )


def test_with_payment_adds_then_replaces_by_entry() -> None:
    s = sale(8320).with_payment(pay(7, 2000, "pending"))
    assert s.payments == (pay(7, 2000, "pending"),)
    s = s.with_payment(pay(8, 1000, "pending")).with_payment(
        SalePayment(entry_id=7, code="GC-00000007", amount=2000, state="done", balance_after=0)
    )
    assert [(p.entry_id, p.state) for p in s.payments] == [(7, "done"), (8, "pending")]
    assert s.payments[0].balance_after == 0


def test_done_newest_first_is_what_a_cancellation_reverses() -> None:
    s = sale(8320, pay(1, 100), pay(2, 200, "declined"), pay(3, 300), pay(4, 50, "reversing"))
    assert [p.entry_id for p in s.done_newest_first()] == [4, 3, 1]


def test_a_sale_travels_as_json_and_back() -> None:
    s = sale(8320, pay(1, 100), pay(2, 300, "unknown"))
    assert msgspec.json.decode(msgspec.json.encode(s), type=Sale) == s


# The invariants (issue 23.5): whatever the cashier types (taken only when `refusal` is
# None) and however each payment turns out (done, declined, unknown then either), the done
# payments never add up past the due; `offer` never exceeds what is left nor the card.
STEP = st.one_of(
    st.tuples(st.just("pay"), st.integers(0, 20_000), st.integers(0, 20_000)),
    st.tuples(
        st.just("settle"), st.integers(0, 30), st.sampled_from(["done", "declined", "unknown"])
    ),
)


@given(due=st.integers(1, 20_000), steps=st.lists(STEP, max_size=40))
def test_done_payments_never_exceed_the_due(due: int, steps: list[tuple[str, int, object]]) -> None:
    s = sale(due)
    for step in steps:
        if step[0] == "pay":
            _, typed, card = step
            offered = s.offer(card)
            assert 0 <= offered <= card
            assert offered <= s.left
            assert offered <= s.left - s.pending or offered == 0
            if offered:
                assert s.refusal(offered, card, "en_US") is None
            if s.refusal(typed, card, "en_US") is None:
                assert 0 < typed <= min(card, s.left)
                s = s.with_payment(pay(len(s.payments) + 1, typed, "pending"))
        else:
            _, index, outcome = step
            waiting = [p for p in s.payments if p.state in ("pending", "unknown")]
            if waiting:
                p = waiting[index % len(waiting)]
                s = s.with_payment(msgspec.structs.replace(p, state=outcome))  # type: ignore[arg-type]
        assert s.paid <= s.due
        assert s.paid + s.pending <= s.due
        assert 0 <= s.left <= s.due
