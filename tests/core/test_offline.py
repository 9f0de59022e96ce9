"""Whether a redemption may be taken while the provider cannot be reached (issue 24): each
refusal in words, and the [offline] keys with their words on bad values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from posapp.config import ConfigError, parse_config, till_settings
from posapp.core.offline import (
    LastKnown,
    OfflineRules,
    age_words,
    last_seen_line,
    offline_offer,
    offline_refusal,
    status_line,
)

NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
RULES = OfflineRules(floor=2500, shift_limit=20000, card_seen_days=30)


def card(balance: int = 4000, days: float = 3, currency: str = "USD") -> LastKnown:
    return LastKnown("SVS_GC-000000000000001", balance, currency, NOW - timedelta(days=days))


def refusal(
    amount: int,
    last: LastKnown | None = None,
    *,
    rules: OfflineRules = RULES,
    taken: int = 0,
    off: bool = False,
    now: datetime = NOW,
) -> str | None:
    return offline_refusal(rules, last, amount, taken, now, "en_US", off_for_shift=off)


def test_off_by_default_and_on_only_with_both_amounts() -> None:
    assert not OfflineRules().on
    assert not OfflineRules(floor=2500).on
    assert not OfflineRules(shift_limit=2500).on
    assert RULES.on
    said = refusal(100, card(), rules=OfflineRules())
    assert said is not None
    assert "does not take gift cards offline" in said


def test_within_every_rule_it_may_be_taken() -> None:
    assert refusal(2500, card()) is None
    assert refusal(1, card(balance=1)) is None


def test_the_floor_refuses_in_words() -> None:
    said = refusal(2501, card(balance=9000))
    # The rest: what the card does not pay (trial 6B, 5: "the rest of $30.00" for $5.00).
    assert said == "Offline, a card may pay at most $25.00: take the rest of $0.01 another way"


def test_the_shift_total_refuses_in_words() -> None:
    assert refusal(1500, card(), taken=18500) is None
    said = refusal(1501, card(), taken=18500)
    assert said == (
        "Offline, this shift may take at most $200.00 in all; $185.00 is taken already, so at "
        "most $15.00 more: take the rest another way"
    )
    full = refusal(100, card(), taken=20000)
    assert full is not None
    assert "it is all taken" in full


def test_a_card_never_seen_online_is_refused_in_words() -> None:
    said = offline_refusal(
        RULES, None, 100, 0, NOW, "en_US", off_for_shift=False, code="SVS_GC-000000000000001"
    )
    assert said is not None
    assert "never seen card ••0001 online, so its balance is not known" in said


def test_more_than_the_last_known_balance_is_refused_in_words() -> None:
    said = refusal(1201, card(balance=1200))
    assert said == (
        "Card ••0001 had $12.00 when last seen online (3 days ago): offline, no more than "
        "that can be taken from it. Take the rest another way"
    )


def test_turned_off_for_the_shift_refuses_in_words() -> None:
    said = refusal(100, card(), off=True)
    assert said is not None
    assert "the manager turned offline selling off for this shift" in said


def test_zero_is_no_amount() -> None:
    assert refusal(0, card()) == "Type an amount above zero"


@pytest.mark.parametrize(
    ("age", "refused"),
    [
        (timedelta(days=29, hours=23), False),
        (timedelta(days=30), False),  # exactly card_seen_days: still within
        (timedelta(days=30, seconds=1), True),
        (timedelta(days=31), True),
        (timedelta(days=400), True),
    ],
)
def test_the_card_age_around_card_seen_days(age: timedelta, refused: bool) -> None:
    last = LastKnown("SVS_GC-000000000000001", 4000, "USD", NOW - age)
    said = refusal(100, last)
    if not refused:
        assert said is None
        return
    assert said is not None
    assert "was last seen online" in said
    assert "only cards seen in the last 30 days" in said


def test_the_age_refusal_names_the_days() -> None:
    said = refusal(100, card(days=31))
    assert said == (
        "The gift card provider cannot be reached and card ••0001 was last seen online 31 "
        "days ago; offline, only cards seen in the last 30 days are taken: take another payment"
    )


def test_a_card_of_another_currency_is_refused() -> None:
    said = offline_refusal(
        RULES, card(currency="EUR"), 100, 0, NOW, "en_US", off_for_shift=False, currency="USD"
    )
    assert said == "Card ••0001 holds EUR, not the store's USD: it cannot be taken offline"


def test_the_offer_is_the_least_of_balance_floor_and_shift_left() -> None:
    assert offline_offer(RULES, card(balance=4000), 0) == 2500
    assert offline_offer(RULES, card(balance=1200), 0) == 1200
    assert offline_offer(RULES, card(balance=4000), 19000) == 1000
    assert offline_offer(RULES, card(balance=4000), 20000) == 0


def test_words_for_the_status_bar_and_the_panel() -> None:
    assert status_line(RULES, "USD", "en_US") == "offline: selling up to $25.00 a card"
    assert last_seen_line(card(), NOW, "en_US") == "last seen online 3 days ago: $40.00"
    assert age_words(NOW - timedelta(hours=1), NOW) == "today"
    assert age_words(NOW - timedelta(days=1), NOW) == "yesterday"


def test_the_example_keys_are_off_and_reach_the_till() -> None:
    config = parse_config("[offline]\nfloor = 2500\nshift_limit = 20000\ncard_seen_days = 7\n")
    assert till_settings(config).offline == OfflineRules(2500, 20000, 7)
    assert not till_settings(parse_config("")).offline.on


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    return info.value.problems


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "floor = 2500",
            "offline.floor is 2500 and shift_limit is 0: offline selling needs "
            "both above zero (on), or both 0 (off)",
        ),
        (
            "floor = 5000\nshift_limit = 2500",
            "offline.floor (5000) is above shift_limit "
            "(2500): one card may not pay more offline than the whole shift may take",
        ),
        ("floor = -1", "offline.floor: -1 must be zero (not used) or above"),
        ("shift_limit = 1e9", "offline.shift_limit: 1000000000.0 is not a whole number"),
        ("card_seen_days = 0", "offline.card_seen_days: 0 must be above zero"),
        (
            "card_seen_days = 400",
            "offline.card_seen_days: 400 is more than 365 days, the most this key takes",
        ),
        ('floor = "25.00"', "offline.floor: '25.00' is not a whole number"),
        ("flor = 3", "offline.flor: unknown key; known here: card_seen_days, floor, shift_limit"),
    ],
)
def test_bad_offline_values_are_said_in_words(text: str, words: str) -> None:
    assert words in problems(f"[offline]\n{text}\n")
