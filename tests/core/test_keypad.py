"""The one amount entry: POS style, a decimal mark switches to decimals, refusals change nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.core.keypad import AmountEntry
from posapp.core.money import MAX_AMOUNT, AmountError


def test_digits_shift_in_from_the_right() -> None:
    entry = AmountEntry("USD")
    shown = []
    for key in "125":
        entry = entry.press(key)
        shown.append(entry.shown())
    assert shown == ["$0.01", "$0.12", "$1.25"]
    assert entry.press("00").minor == 12500
    assert entry.press("BackSpace").minor == 12
    assert entry.clear().minor == 0


@pytest.mark.parametrize(
    ("typed", "locale", "minor"),
    [
        ("20.5", "en_US", 2050),
        ("20.", "en_US", 2000),
        ("12,5", "de_DE", 1250),
        ("12.5", "de_DE", 1250),  # "." is a decimal mark on every keyboard
        (".5", "en_US", 50),
        ("2050", "en_US", 2050),
        ("0.07", "en_US", 7),
    ],
)
def test_a_decimal_mark_switches_to_decimals(typed: str, locale: str, minor: int) -> None:
    assert AmountEntry("USD", locale=locale).type(typed).minor == minor


def test_the_bug_report_cases() -> None:
    """issue 10: "20.5" became $2.05, "12,5" $1.25, and "9999" against $54.50 left $9.99."""
    assert AmountEntry("USD").type("20.5").shown() == "$20.50"
    assert AmountEntry("EUR", locale="de_DE").type("12,5").minor == 1250
    entry = AmountEntry("USD", maximum=5450).type("999")
    with pytest.raises(AmountError, match=r"\$54\.50"):
        entry.press("9")
    assert entry.minor == 999  # the refused key left the amount as it was


def test_over_the_card_says_what_the_card_holds_and_keeps_the_amount() -> None:
    """The trial: the over-the-maximum words were unclear."""
    entry = AmountEntry("USD", maximum=1250).type("20")
    with pytest.raises(AmountError) as refused:
        entry.press(".")  # "20." is $20.00
    assert str(refused.value) == "This card holds $12.50; $20.00 is more than that."
    assert entry.shown() == "$0.20"
    entry = AmountEntry("USD").type("100000000")
    with pytest.raises(AmountError) as refused:
        entry.press("0")
    assert str(refused.value) == (
        "$10,000,000.00 is more than one transaction can be; the most is $1,000,000.00."
    )
    assert entry.shown() == "$1,000,000.00"


@pytest.mark.parametrize(
    ("currency", "locale", "typed", "key", "says"),
    [
        ("USD", "en_US", "12", ",", "“,” is not used in amounts here"),  # en_US groups with ","
        ("USD", "en_US", "12", "x", "Only digits and “.” here"),
        ("JPY", "ja_JP", "12", "x", "Only digits here"),
        ("USD", "en_US", "1.2", ".", "decimal mark already"),
        ("USD", "en_US", "1.25", "0", "Only 2 digits go after the decimal mark"),
        ("JPY", "ja_JP", "12", ".", "no minor units"),
    ],
)
def test_other_keys_are_refused(
    currency: str, locale: str, typed: str, key: str, says: str
) -> None:
    entry = AmountEntry(currency, locale=locale).type(typed)
    with pytest.raises(AmountError, match=says):
        entry.press(key)


def test_a_zero_decimal_currency_shifts_whole_units() -> None:
    assert AmountEntry("JPY", locale="ja_JP").type("125").shown() == "￥125"


def test_never_above_the_api_maximum() -> None:
    entry = AmountEntry("USD", maximum=10 * MAX_AMOUNT).type("100000000")
    with pytest.raises(AmountError):
        entry.press("0")


KEYS = st.lists(st.sampled_from([*"0123456789", "00", ".", ",", "x", "BackSpace"]), max_size=30)


def press_as_the_till_does(entry: AmountEntry, key: str) -> AmountEntry:
    try:
        return entry.press(key)
    except AmountError as exc:
        assert str(exc)
        return entry.refuse(exc)


@given(
    keys=KEYS, maximum=st.integers(0, 2 * MAX_AMOUNT), locale=st.sampled_from(["en_US", "de_DE"])
)
def test_any_keys_keep_an_int_within_bounds_and_a_refusal_changes_no_amount(
    keys: list[str], maximum: int, locale: str
) -> None:
    entry = AmountEntry("USD", maximum=maximum, locale=locale)
    for key in keys:
        before = entry
        entry = press_as_the_till_does(entry, key)
        if entry.doubt and key != "BackSpace":
            assert entry.keys == before.keys  # refused, or refused since an earlier refusal
            assert entry.doubt == (before.doubt or entry.doubt)  # the first reason stays
        assert type(entry.minor) is int
        assert 0 <= entry.minor <= min(maximum, MAX_AMOUNT)


@given(keys=KEYS)
def test_once_a_key_is_refused_nothing_but_backspace_or_a_clear_changes_it(
    keys: list[str],
) -> None:
    """The trial: "12,5" in en_US refused the "," but the "5" shifted in: $1.25."""
    entry = AmountEntry("USD").type("12").refuse(AmountError("“,” is not used in amounts here"))
    for key in keys:
        if key == "BackSpace":
            break
        with pytest.raises(AmountError, match="Fix the amount first"):
            entry.press(key)
    assert entry.press("BackSpace") == AmountEntry("USD")  # start again, not "12" one Enter away
    assert entry.clear() == AmountEntry("USD")


def test_the_bug_report_cases_leave_the_entry_in_doubt() -> None:
    entry = press_as_the_till_does(AmountEntry("USD").type("12"), ",")
    entry = press_as_the_till_does(entry, "5")
    assert (entry.minor, entry.doubt) == (
        12,
        "“,” is not used in amounts here. Type the amount like 12.50",
    )
    assert entry.fix_first() == (
        "“,” is not used in amounts here. Type the amount like 12.50. "
        "Fix the amount first: BackSpace starts it again, Esc cancels"
    )
    entry = AmountEntry("USD", maximum=5450)
    for key in "9999":
        entry = press_as_the_till_does(entry, key)
    assert (entry.minor, entry.doubt) == (999, "This card holds $54.50; $99.99 is more than that.")


def test_a_key_over_the_maximum_shows_the_amount_it_refused_until_backspace() -> None:
    """Issue 19.11: "2000" on a $12.50 card showed $2.00 beside "$20.00 is more than that"."""
    entry = AmountEntry("USD", maximum=1250)
    for key in "2000":
        entry = press_as_the_till_does(entry, key)
    assert (entry.minor, entry.refused, entry.on_show()) == (200, 2000, "$20.00")
    assert entry.doubt == "This card holds $12.50; $20.00 is more than that."
    entry = press_as_the_till_does(entry, "5")  # still in doubt: the first refusal stays
    assert entry.on_show() == "$20.00"
    entry = entry.press("BackSpace")
    assert (entry.refused, entry.on_show()) == (None, "$0.00")
    comma = press_as_the_till_does(AmountEntry("USD").type("12"), ",")
    assert (comma.refused, comma.on_show()) == (None, "$0.12")  # no amount was refused


@given(keys=KEYS)
def test_backspace_undoes_exactly_the_last_key(keys: list[str]) -> None:
    entry = AmountEntry("USD", locale="de_DE")
    for key in keys:
        after = press_as_the_till_does(entry, key)
        if after.doubt:  # a key refused now or before: BackSpace starts the amount again
            assert after.press("BackSpace") == entry.clear()
        elif key not in ("BackSpace", "00"):
            assert after.press("BackSpace") == entry
        entry = after


@given(whole=st.integers(0, 99_999), cents=st.integers(0, 99))
def test_typing_an_amount_as_written_gives_that_amount(whole: int, cents: int) -> None:
    assert AmountEntry("USD").type(f"{whole}.{cents:02d}").minor == whole * 100 + cents
    assert AmountEntry("USD").type(f"{whole * 100 + cents}").minor == whole * 100 + cents


@pytest.mark.parametrize(
    ("currency", "locale", "like"),
    [("USD", "en_US", "like 12.50"), ("EUR", "de_DE", "like 12,50"), ("JPY", "ja_JP", "like 1250")],
)
def test_a_refused_key_says_what_to_type(currency: str, locale: str, like: str) -> None:
    """The trial: "12,5" in en_US left $1.25 with no word; "," groups thousands there."""
    entry = AmountEntry(currency, locale=locale).type("12")
    for key in (",", "x", "-"):
        if key in entry.marks():
            continue
        with pytest.raises(AmountError, match=f"Type the amount {like}$"):
            entry.press(key)
    assert entry.type("5").minor == 125  # the refused key changed nothing


def test_the_hint_says_digits_fill_from_the_cents_and_the_mark_starts_them() -> None:
    assert AmountEntry("USD").hint() == (
        "Digits fill from the cents: 1 2 5 is $1.25. “.” starts the cents: 12.5 is $12.50"
    )
    assert "12,5 is 12,50" in AmountEntry("EUR", locale="de_DE").hint()
    assert AmountEntry("JPY", locale="ja_JP").hint().startswith("Digits make the whole amount")
