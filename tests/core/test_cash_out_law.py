"""The cash-out law table (core/cash_out_law.py, issue 25.3): the days around each change,
"less than" against "at most" at the threshold, and every row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from posapp.config import ConfigError, parse_config
from posapp.core.cash_out_law import (
    JURISDICTIONS,
    LAWS,
    WITH_LAW,
    CashOutLaw,
    entitling_law,
    jurisdiction_problem,
)

CA = "California Civil Code 1749.5"


@pytest.mark.parametrize(
    ("on", "balance", "entitled"),
    [
        # $10 until 2026-03-31: under $10 only ("less than ten dollars")
        (date(2026, 3, 31), 999, True),
        (date(2026, 3, 31), 1000, False),
        (date(2026, 3, 31), 1499, False),
        # $15 from 2026-04-01 (SB 22): $10.00 to $14.99 now too, $15.00 not
        (date(2026, 4, 1), 1000, True),
        (date(2026, 4, 1), 1499, True),
        (date(2026, 4, 1), 1500, False),
        # before the law began (SB 250, 2008-01-01): nothing
        (date(2007, 12, 31), 500, False),
        (date(2008, 1, 1), 500, True),
    ],
)
def test_california_around_its_changes(on: date, balance: int, entitled: bool) -> None:
    law = entitling_law("US-CA", balance, "USD", on)
    assert (law is not None) == entitled
    if law is not None:
        assert law.statute == CA
        assert law.threshold == (1000 if on < date(2026, 4, 1) else 1500)


def test_connecticut_three_dollars_then_five() -> None:
    assert entitling_law("US-CT", 400, "USD", date(2023, 9, 30)) is None
    assert entitling_law("US-CT", 299, "USD", date(2023, 9, 30)) is not None
    law = entitling_law("US-CT", 400, "USD", date(2023, 10, 1))
    assert law is not None
    assert law.threshold == 500
    assert entitling_law("US-CT", 299, "USD", date(2016, 9, 30)) is None


def test_maine_changes_statute_on_the_day_the_new_act_began() -> None:
    before = entitling_law("US-ME", 499, "USD", date(2019, 9, 30))
    after = entitling_law("US-ME", 499, "USD", date(2019, 10, 1))
    assert before is not None
    assert after is not None
    assert before.statute.endswith("1953")
    assert after.statute.endswith("2066")


@pytest.mark.parametrize(
    ("jurisdiction", "threshold", "entitled_at_threshold"),
    [("US-CO", 500, True), ("US-MA", 500, True), ("US-PR", 500, True), ("US-TX", 250, False)],
)
def test_less_than_or_at_most_at_the_threshold(
    jurisdiction: str, threshold: int, entitled_at_threshold: bool
) -> None:
    on = date(2026, 12, 6)
    assert entitling_law(jurisdiction, threshold - 1, "USD", on) is not None
    assert (entitling_law(jurisdiction, threshold, "USD", on) is not None) == entitled_at_threshold
    assert entitling_law(jurisdiction, threshold + 1, "USD", on) is None


@pytest.mark.parametrize("law", LAWS, ids=lambda law: f"{law.jurisdiction}-{law.since}")
def test_every_row(law: CashOutLaw) -> None:
    """Each row: in force on its first and last day, not the day before or after; a balance
    just under its threshold is covered, just over is not; the threshold itself by its rule;
    nothing for no balance, another currency or another jurisdiction."""
    days = [d for d in (law.since, law.until) if d is not None] or [date(2026, 12, 6)]
    for day in days:
        assert entitling_law(law.jurisdiction, law.threshold - 1, "USD", day) == law
        assert entitling_law(law.jurisdiction, law.threshold + 1, "USD", day) is None
        at = entitling_law(law.jurisdiction, law.threshold, "USD", day)
        assert (at == law) == (law.rule == "le")
        assert entitling_law(law.jurisdiction, 0, "USD", day) is None
        assert entitling_law(law.jurisdiction, law.threshold - 1, "EUR", day) is None
        assert entitling_law("US-NY", law.threshold - 1, "USD", day) is None
        assert entitling_law("", law.threshold - 1, "USD", day) is None
    if law.since is not None:
        before = entitling_law(law.jurisdiction, 1, "USD", law.since - timedelta(days=1))
        assert before != law
    if law.until is not None:
        after = entitling_law(law.jurisdiction, 1, "USD", law.until + timedelta(days=1))
        assert after is not None  # each closed row has its successor
        assert after != law
    assert law.jurisdiction in JURISDICTIONS
    assert law.statute.isascii()  # sent to the provider in the cash-out's reference


def test_rows_of_one_place_never_overlap() -> None:
    for a in LAWS:
        for b in LAWS:
            if a is b or a.jurisdiction != b.jurisdiction:
                continue
            assert (a.until is not None and b.since is not None and a.until < b.since) or (
                b.until is not None and a.since is not None and b.until < a.since
            ), (a, b)


def test_config_takes_a_known_code_or_none() -> None:
    assert parse_config('[store]\njurisdiction = "US-CA"\n').store.jurisdiction == "US-CA"
    assert parse_config('[store]\njurisdiction = "US-NY"\n').store.jurisdiction == "US-NY"
    assert parse_config("[store]\n").store.jurisdiction == ""
    with pytest.raises(ConfigError) as refused:
        parse_config('[store]\njurisdiction = "California"\n')
    words = str(refused.value)
    assert words.startswith("store.jurisdiction: 'California' is not a jurisdiction")
    assert "(US-CA)" in words
    assert ", ".join(WITH_LAW) in words
    assert jurisdiction_problem("us-ca") is not None  # as ISO writes it, upper case
