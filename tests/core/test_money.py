from __future__ import annotations

from decimal import Decimal

import pytest
from babel import localedata
from babel.numbers import format_currency
from hypothesis import given
from hypothesis import strategies as st

from posapp.core.money import (
    MAX_AMOUNT,
    AmountError,
    Money,
    decimals,
    format_money,
    parse_amount,
)

LOCALES = ["en_US", "de_DE", "fr_FR", "ja_JP", "en_IN", "de_CH", "ar_BH", "nl_NL"]
CURRENCIES = ["USD", "EUR", "JPY", "BHD", "GBP", "CHF", "INR"]


@pytest.mark.parametrize(("currency", "places"), [("USD", 2), ("JPY", 0), ("BHD", 3), ("EUR", 2)])
def test_decimals_are_the_currencys_own(currency: str, places: int) -> None:
    assert decimals(currency) == places


@pytest.mark.parametrize(
    ("minor", "currency", "locale", "shown"),
    [
        (1250, "USD", "en_US", "$12.50"),
        (1250, "EUR", "de_DE", "12,50\xa0€"),
        (1250, "JPY", "en_US", "¥1,250"),
        (1250, "BHD", "en_US", "BHD1.250"),
        (MAX_AMOUNT, "USD", "en_US", "$1,000,000.00"),
    ],
)
def test_format_places_symbol_and_decimals_by_locale(
    minor: int, currency: str, locale: str, shown: str
) -> None:
    assert format_money(minor, currency, locale) == shown


@pytest.mark.parametrize(
    ("text", "currency", "locale", "minor"),
    [
        ("12.5", "USD", "en_US", 1250),
        ("12", "USD", "en_US", 1200),
        (".5", "USD", "en_US", 50),
        ("$1,234.50", "USD", "en_US", 123450),
        ("12,50", "EUR", "de_DE", 1250),
        ("1.234,50 €", "EUR", "de_DE", 123450),
        ("1250", "JPY", "ja_JP", 1250),
        ("1.250", "BHD", "en_US", 1250),
        ("1000000", "USD", "en_US", MAX_AMOUNT),
    ],
)
def test_typed_entry(text: str, currency: str, locale: str, minor: int) -> None:
    assert parse_amount(text, currency, locale) == minor


@pytest.mark.parametrize(
    ("text", "currency", "locale", "says"),
    [
        ("12,5x", "USD", "en_US", "^x cannot be in an amount. Type the amount like 1,234.50$"),
        ("12,50", "USD", "en_US", "^Type the amount like 1,234.50$"),
        ("12.50.0", "EUR", "de_DE", "^Type the amount like 1.234,50$"),
        ("1.2.3", "USD", "en_US", "one decimal point"),
        ("12.505", "USD", "en_US", "At most 2 digits after the decimal point"),
        ("12.5", "JPY", "ja_JP", "^JPY amounts have no cents. Type the amount like 1,234$"),
        ("0", "USD", "en_US", "above zero"),
        ("0.00", "USD", "en_US", "above zero"),
        ("-5", "USD", "en_US", "cannot be negative"),
        ("", "USD", "en_US", "Enter an amount"),
        ("1000000.01", "USD", "en_US", "most allowed"),
        ("9" * 40, "USD", "en_US", "most allowed"),
        ("1e3", "USD", "en_US", "^e cannot be in an amount"),
        ("NaN", "USD", "en_US", "^N a cannot be in an amount"),
        ("١٢", "USD", "en_US", "cannot be in an amount"),
    ],
)
def test_typed_entry_refuses_with_a_reason(
    text: str, currency: str, locale: str, says: str
) -> None:
    with pytest.raises(AmountError, match=says):
        parse_amount(text, currency, locale)


def test_money_refuses_floats_and_bools() -> None:
    with pytest.raises(TypeError):
        Money(12.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True, "USD")
    with pytest.raises(AmountError, match="ISO 4217"):
        Money(1, "XYZW")
    assert Money(1250, "usd").format() == "$12.50"


@given(
    minor=st.integers(min_value=1, max_value=MAX_AMOUNT),
    currency=st.sampled_from(CURRENCIES),
    locale=st.sampled_from(LOCALES),
)
def test_parse_and_format_round_trip(minor: int, currency: str, locale: str) -> None:
    shown = format_money(minor, currency, locale)
    parsed = parse_amount(shown, currency, locale)
    assert parsed == minor
    assert type(parsed) is int


@given(
    text=st.text(max_size=80), currency=st.sampled_from(CURRENCIES), locale=st.sampled_from(LOCALES)
)
def test_any_text_gives_an_int_or_a_clear_error(text: str, currency: str, locale: str) -> None:
    try:
        minor = parse_amount(text, currency, locale)
    except AmountError as exc:
        assert str(exc)
    else:
        assert type(minor) is int
        assert 0 < minor <= MAX_AMOUNT


ALL_LOCALES = sorted(localedata.locale_identifiers())


@given(
    minor=st.integers(min_value=-(10**15), max_value=10**15),
    currency=st.sampled_from([*CURRENCIES, "KWD", "KRW", "CLF", "ISK"]),
    locale=st.sampled_from(ALL_LOCALES),
)
def test_fast_format_says_what_babel_says(minor: int, currency: str, locale: str) -> None:
    # format_money builds its formatter from Babel's pattern once; it must never differ.
    assert format_money(minor, currency, locale) == str(
        format_currency(Decimal(minor).scaleb(-decimals(currency)), currency, locale=locale)
    )
