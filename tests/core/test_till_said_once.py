"""The Adyen trial (5a #9): a card that cannot pay said the same thing twice on the panel,
"Nothing left on this card. Tell the customer nothing is left on the card." and "Not sold
yet. This card is not sold yet: F5 sells it." Each is said once; other reasons keep why,
then what to tell the customer."""

from __future__ import annotations

import pytest

from tests.core.test_till import gift, shown, till


@pytest.mark.parametrize(
    ("status", "balance", "said"),
    [
        ("depleted", 0, "Tell the customer nothing is left on the card"),
        ("not_activated", 0, "This card is not sold yet: F5 sells it"),
        (
            "disabled",
            2500,
            "$25.00 held, card disabled. Tell the customer the card is on hold; a manager can "
            "change that (F12, Gift cards).",
        ),
    ],
)
def test_a_card_that_cannot_pay_says_why_once(status: str, balance: int, said: str) -> None:
    t = till()
    shown(t, "500000000000003", gift("500000000000003", balance, status=status))
    assert t.message == said
