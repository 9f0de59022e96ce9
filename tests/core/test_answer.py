"""core/answer.py, pure: what in a provider's answer does not add up, in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from posapp.core import intent as intents
from posapp.core.answer import doubted_notes, doubts, in_words
from posapp.core.entry import Entry
from posapp.core.gift import Gift, Movement, Transaction

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def card(balance: int = 7500, gift_id: str = "11", code: str = "GC-1") -> Gift:
    return Gift(
        id=gift_id,
        code=code,
        kind="monetary",
        currency="USD",
        balance=balance,
        item_label=None,
        item_quantity=None,
        status="active",
        is_redeemable=True,
        not_redeemable_reason=None,
        eligible_value=balance,
        eligible_item_quantity=0,
        present_value_description="",
        promotional=False,
        usable_at=NOW,
        expires_at=None,
    )


def moved(
    kind: str, amount: int | None, after: int, gift_id: str = "11", **extra: object
) -> Movement:
    txn = Transaction(
        id="900",
        type=kind,
        gift_id=gift_id,
        location_id="1",
        amount=amount,
        quantity=None,
        currency="USD",
        balance_after=after,
        item_quantity_after=None,
        reference=None,
        state="completed",
        reverses=None,
        created_at=NOW,
    )
    return Movement(replace(txn, **extra), card(after, gift_id))  # type: ignore[arg-type]


def test_true_answers_add_up() -> None:
    before = card(7500)
    asked = intents.redeem("11", amount=2000)
    assert doubts(asked, moved("redemption", 2000, 5500), currency="USD", before=before) == ()
    # Another till took 5.00 at the same moment: less is left, which adds up.
    assert doubts(asked, moved("redemption", 2000, 5000), currency="USD", before=before) == ()
    partial = intents.redeem("11", amount=9000, use_all=True)
    assert doubts(partial, moved("redemption", 7500, 0), currency="USD", before=before) == ()
    cash = intents.cash_out("11", 7500)
    for kind in ("gift_card_cash_out", "redemption"):  # config.md cash_out = "redeem"
        assert doubts(cash, moved(kind, 7500, 0), currency="USD", before=before) == ()
    sold = intents.activate("gc-1", 2500)  # codes are matched case-insensitively
    assert doubts(sold, moved("activation", 2500, 2500), currency="USD") == ()
    refund = intents.issue(700)
    for kind in ("issue", "activation"):  # Square activates the card it made
        assert doubts(refund, moved(kind, 700, 700, gift_id="77"), currency="USD") == ()
    back = intents.reverse("900", gift_id="11", amount=2000)
    assert doubts(back, moved("reversal", 2000, 7500, reverses="900"), currency="USD") == ()


@pytest.mark.parametrize(
    ("asked", "answer", "says"),
    [
        (intents.redeem("11", amount=2000), moved("redemption", 2000, 5500, gift_id="12"),
         "it names another card"),
        (intents.redeem("11", amount=2000), moved("redemption", 100, 7400),
         "it says $1.00, not the $20.00 asked"),
        (intents.redeem("11", amount=2000, use_all=True), moved("redemption", 2500, 5000),
         "it says $25.00, more than the $20.00 there was"),
        (intents.redeem("11", amount=2000), moved("redemption", -2000, 5500),
         "it says an amount of -$20.00, not above zero"),
        (intents.redeem("11", amount=2000), moved("redemption", 2000, 999_999),
         "it says the balance went up to $9,999.99 after a redemption"),
        (intents.redeem("11", amount=2000), moved("redemption", 2000, 6000),
         "it says $60.00 is left, more than $75.00 less $20.00"),
        (intents.redeem("11", amount=2000), moved("redemption", 2000, -1),
         "it leaves a balance below zero"),
        (intents.redeem("11", amount=2000), moved("issue", 2000, 5500),
         "it says it was a refund to a card, not a redemption"),
        (intents.redeem("11", amount=2000), moved("redemption", 2000, 5500, currency="EUR"),
         "it is in EUR, not USD"),
        (intents.redeem("11", amount=2000), moved("redemption", None, 5500),
         "it does not say how much moved"),
        (intents.cash_out("11", 7500), moved("gift_card_cash_out", 999_999, 0),
         "it says $9,999.99, not the $75.00 asked"),
        (intents.cash_out("11", 7500), moved("gift_card_cash_out", 7500, 100),
         "it says $1.00 is left on the card after paying it all out"),
        (intents.activate("GC-2", 2500), moved("activation", 2500, 2500),
         "it names another card"),
        (intents.activate("GC-1", 2500), moved("activation", 2500, 250_000),
         "it says the new card holds $2,500.00, not the $25.00 it was sold for"),
        (intents.reverse("900", gift_id="11", amount=2000),
         moved("reversal", 2000, 7500, reverses="901"), "it names another card"),
        (intents.redeem("11", amount=2000).referenced("mine"),
         moved("redemption", 2000, 5500, client_reference="theirs"),
         "it answers another till's request"),
    ],
)  # fmt: skip
def test_each_lie_in_words(asked: intents.Intent, answer: Movement, says: str) -> None:
    found = doubts(asked, answer, currency="USD", before=card(7500))
    assert says in found, found
    assert in_words(found).startswith("The provider's answer does not add up: ")


def test_items_exactly_as_asked() -> None:
    asked = intents.redeem("11", quantity=1)
    answer = moved("redemption", None, 0, quantity=2, balance_after=None)
    assert doubts(asked, answer, currency="USD") == ("it says 2 items, not the 1 asked",)
    right = replace(answer, transaction=replace(answer.transaction, quantity=1))
    assert doubts(asked, right, currency="USD") == ()


def test_a_receipt_says_why_while_it_is_not_confirmed() -> None:
    entry = Entry(
        id=1,
        shift_id=1,
        operation="cash_out",
        code="GC-00000001",  # 8 or more: its last four are shown (core/serial_number.py)
        gift_id="11",
        amount=7500,
        quantity=None,
        currency="USD",
        idempotency_key="k",
        state="unknown",
        outcome=None,
        transaction_id=None,
        balance_after=None,
        error="The provider's answer does not add up: it names another card.",
        intent=intents.cash_out("11", 7500),
        created_at=0.0,
        answer="{}",
    )
    (note,) = doubted_notes(entry)
    assert note.startswith("The provider's answer does not add up: it names another card.")
    assert "Do not pay out the cash or try ••0001 again" in note
    assert doubted_notes(replace(entry, state="settled", outcome="completed")) == ()
    assert doubted_notes(replace(entry, answer=None)) == ()


def test_the_manager_reads_a_kept_answer_with_codes_masked_and_bounded() -> None:
    from posapp.core.answer import SHOWN, for_the_manager

    shown = for_the_manager(
        '{"transaction": {"code": "500000000000001", "amount": 100}, "gift": {"gan": "7783320001"}}'
    )
    assert "500000000000001" not in shown
    assert "7783320001" not in shown
    assert '"amount": 100' in shown
    assert "0001" in shown
    assert for_the_manager("<html>502 for card 500000000000001</html>").endswith("0001</html>")
    assert "500000000000001" not in for_the_manager("card 500000000000001")
    long = for_the_manager('{"note": "' + "x" * 1000 + '"}')
    assert len(long) == SHOWN
    assert long.endswith("…")
