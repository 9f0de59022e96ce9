"""`posapp check` says what the store chose for its counter (trial 6B, 9): the language, the
cash-out law of [store] jurisdiction (which law, its threshold today, that it pays out even
where the provider's cash-outs are off) and offline selling, so IT can see they took effect."""

from __future__ import annotations

from datetime import date

from posapp.check_rules import law_today
from tests.test_check_setup import NewStore, new_store  # noqa: F401  (the fixture)


def test_check_says_the_language_the_cash_out_law_and_offline_selling(
    new_store: NewStore,  # noqa: F811
) -> None:
    new_store.config(
        ('jurisdiction = ""', 'jurisdiction = "US-CA"'),
        ('language = ""', 'language = "en"'),
        ("floor = 0 ", "floor = 2500 "),
        ("shift_limit = 0 ", "shift_limit = 10000 "),
    )
    done = new_store.posapp("check")
    out = done.stdout
    assert "Language: English (en), from [terminal] language" in out, out
    threshold = "$15.00" if date.today() >= date(2026, 4, 1) else "$10.00"
    assert (
        f"Cash-out law: California Civil Code 1749.5 (US-CA): a card holding less than "
        f"{threshold} is paid out in cash when the customer asks, even where the provider's "
        "cash-outs are off"
    ) in out, out
    assert (
        "Offline selling: on while the provider cannot be reached, up to $25.00 a card and "
        "$100.00 a shift, only cards seen online in the last 30 days"
    ) in out, out


def test_check_says_offline_selling_is_off_and_no_law_without_a_jurisdiction(
    new_store: NewStore,  # noqa: F811
) -> None:
    new_store.config()
    out = new_store.posapp("check", "--offline", LANG="C", LANGUAGE="").stdout
    assert "Language: English (en), the system's ([terminal] language is empty)" in out, out
    assert "Cash-out law: none ([store] jurisdiction is empty)" in out
    assert "Offline selling: off ([offline] floor and shift_limit are 0)" in out


def test_the_law_in_force_is_the_days_own() -> None:
    before, after = law_today("US-CA", date(2026, 3, 31)), law_today("US-CA", date(2026, 4, 1))
    assert before is not None
    assert after is not None
    assert (before.threshold, after.threshold) == (1000, 1500)
    assert law_today("US-NY", date(2026, 4, 1)) is None
