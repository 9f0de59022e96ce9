"""A card that cannot pay: what to tell the customer, why its money keys are off, and F4's
words on it (the demo trial, 8). Pure: core/unusable.py and the till's words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from posapp.core import unusable
from posapp.core.actions import ACTIONS
from tests.core.test_till import gift, shown, till

EXPIRED_ON = datetime(2026, 11, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("expired", "Tell the customer the card has expired; a manager can change that"),
        ("not_yet_usable", "Tell the customer the card can be used from 4 Jan 2027"),
        ("disabled", "Tell the customer the card is on hold; a manager can change that"),
        ("canceled", "Tell the customer the card was canceled and cannot be used"),
        ("location_not_allowed", "Tell the customer the card is for another shop"),
        ("depleted", "Tell the customer nothing is left on the card"),
    ],
)
def test_a_card_that_cannot_pay_says_what_to_tell_the_customer(status: str, says: str) -> None:
    card = replace(
        gift("500000000000004", 4000, status=status),
        usable_at=datetime(2027, 1, 4, tzinfo=UTC),
        expires_at=EXPIRED_ON,
    )
    assert unusable.tell_customer(card).startswith(says)
    t = till()
    shown(t, "500000000000004", card)
    assert says in t.message
    assert t.tone == "warn"


def test_a_card_that_can_pay_or_was_cashed_out_says_nothing_more() -> None:
    assert unusable.tell_customer(gift("500000000000001")) == ""
    cashed = replace(gift("500000000000001", 0, status="disabled"), cashed_out=True)
    assert unusable.tell_customer(cashed) == ""
    assert unusable.greyed(cashed) == "cashed out"


def test_the_greyed_money_keys_say_why_they_are_off() -> None:
    """Item cards said "money cards only"; an expired money card's keys said nothing."""
    t = till()
    card = replace(gift("500000000000004", 4000, status="expired"), expires_at=EXPIRED_ON)
    shown(t, "500000000000004", card)
    words = {a.name: a.words(t) for a in ACTIONS if a.name in ("redeem", "use_all", "cash_out")}
    assert words == {
        "redeem": "Redeem: expired",
        "use_all": "Use full balance: expired",
        "cash_out": "Cash out: expired",
    }
    assert not any(a.enabled(t) for a in ACTIONS if a.name in words)
    other = gift("500000000000009", 1000, status="location_not_allowed")
    shown(t, "500000000000009", other)
    assert next(a for a in ACTIONS if a.name == "redeem").words(t) == (
        "Redeem: another shop's card"
    )


def test_f4_on_an_expired_card_is_not_a_green_done() -> None:
    """The trial: F4 on the expired card turned the line green, "Balance of ••0004: $40.00
    held; balance slip printed", and the "expired" line went."""
    card = replace(gift("500000000000004", 4000, status="expired"), expires_at=EXPIRED_ON)
    slip = "Balance of ••0004: $40.00 held; balance slip printed."
    assert unusable.balance_words(slip, card) == (
        f"{slip} It cannot pay: expired 5 Nov 2026. Tell the customer the card has expired; "
        "a manager can change that (F12, Gift cards).",
        "warn",
    )
    cashed = replace(gift("500000000000001", 0, status="disabled"), cashed_out=True)
    assert unusable.balance_words("Balance of ••0001: $0.00.", cashed)[1] == "warn"
    active = "Balance of ••0001: $75.00; balance slip printed."
    assert unusable.balance_words(active, gift("500000000000001")) == (active, "ok")
