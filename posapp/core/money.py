"""Money: integers of minor units with an ISO 4217 currency, end to end.

No float ever: typed amounts are parsed as text into an int, and formatting hands Babel a
Decimal built from that int. The number of decimals is the currency's own (CLDR, through
Babel): USD 2, JPY 0, BHD 3.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    is_currency,
)

from posapp.core.errors import ForPeople
from posapp.i18n import _, ngettext

# api.md, "Conventions": the largest accepted amount, in minor units.
MAX_AMOUNT = 100_000_000


class AmountError(ValueError, ForPeople):
    """An amount a person entered that cannot be used; the message says why, in words."""


def check_currency(currency: str) -> str:
    """The upper-case ISO 4217 code, or AmountError."""
    code = currency.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or not is_currency(code):
        said = _("{currency} is not an ISO 4217 currency code such as USD or EUR")
        raise AmountError(said.format(currency=repr(currency)))
    return code


@functools.lru_cache(maxsize=64)
def decimals(currency: str) -> int:
    """How many minor-unit digits the currency has (USD 2, JPY 0, BHD 3); CLDR never changes
    while we run, and receipts and answers ask for every amount."""
    return int(get_currency_precision(check_currency(currency)))


def check_locale(locale: str) -> str:
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError) as exc:
        said = _("{locale} is not a known locale such as en_US or de_DE")
        raise AmountError(said.format(locale=repr(locale))) from exc
    return locale


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (1250 is 12.50 in USD) of one currency."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        # bool is an int subclass; True is never an amount (api.md rejects it too).
        if type(self.minor) is not int:
            raise TypeError(f"Money.minor must be an int, not {type(self.minor).__name__}")
        object.__setattr__(self, "currency", check_currency(self.currency))

    def format(self, locale: str = "en_US") -> str:
        return format_money(self.minor, self.currency, locale)


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-decimals(currency))


def format_money(minor: int, currency: str, locale: str = "en_US") -> str:
    """ "$12.50", "12,50 €", "¥1,250": the locale's symbol placement, the currency's decimals."""
    return _formatter(currency, locale)(minor)


def _babel_money(minor: int, currency: str, locale: str) -> str:
    # The Decimal is exact to the currency's decimals, so Babel never rounds it.
    return str(format_currency(to_decimal(minor, currency), currency, locale=locale))


@functools.lru_cache(maxsize=256)
def _formatter(currency: str, locale: str) -> Callable[[int], str]:
    """Babel's answer, built once per currency and locale from Babel's own pattern and
    symbols. Babel re-reads CLDR and goes through Decimal on every call (85 µs, most of what
    the provider spends on a redemption's answer); this is plain int arithmetic. It is
    checked against Babel on amounts that exercise every grouping and sign, and where any
    differs (a locale with a pattern this does not follow) Babel itself is used."""
    places = decimals(currency)
    try:
        pattern = Locale.parse(locale).currency_formats["standard"]
    except (UnknownLocaleError, ValueError, KeyError):
        return functools.partial(_babel_money, currency=currency, locale=locale)
    symbol = get_currency_symbol(currency, locale)
    point, group = get_decimal_symbol(locale), get_group_symbol(locale)
    primary, secondary = pattern.grouping
    prefixes = tuple(p.replace("¤", symbol) for p in pattern.prefix)
    suffixes = tuple(s.replace("¤", symbol) for s in pattern.suffix)
    scale = 10**places

    def fast(minor: int) -> str:
        negative = minor < 0
        whole, fraction = divmod(-minor if negative else minor, scale)
        digits = str(whole)
        if len(digits) > primary:
            head, tail = digits[:-primary], [digits[-primary:]]
            while len(head) > secondary:
                tail.insert(0, head[-secondary:])
                head = head[:-secondary]
            digits = group.join([head, *tail])
        if places:
            digits = f"{digits}{point}{fraction:0{places}d}"
        return f"{prefixes[negative]}{digits}{suffixes[negative]}"

    probes = [0, 1, 7, 99, 100, 105, 1234, 12_345, 123_456, 1_234_567, 12_345_678_901_234]
    if all(
        fast(sign * probe) == _babel_money(sign * probe, currency, locale)
        for probe in probes
        for sign in (1, -1)
    ):
        return fast
    return functools.partial(_babel_money, currency=currency, locale=locale)


def check_amount(minor: int, currency: str, locale: str = "en_US") -> int:
    """A positive amount within api.md's limit, or AmountError."""
    if type(minor) is not int:
        raise AmountError(_("An amount is a whole number of minor units"))
    if minor <= 0:
        raise AmountError(_("Enter an amount above zero"))
    if minor > MAX_AMOUNT:
        raise AmountError(_too_much(MAX_AMOUNT, currency, locale))
    return minor


def _too_much(maximum: int, currency: str, locale: str) -> str:
    said = _("That is more than the most allowed here ({most})")
    return said.format(most=format_money(maximum, currency, locale))


def _drop_format_chars(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf"})


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def parse_amount(text: str, currency: str, locale: str = "en_US") -> int:
    """A typed amount ("12.5", "12,50" in de_DE, "$1,234.50") as minor units.

    Accepts the locale's decimal symbol (and "." everywhere, since keyboards have it), the
    locale's grouping symbol between groups of three, and the currency's symbol or code.
    Refuses anything else with a message that says what was wrong.
    """
    places = decimals(currency)
    if len(text) > 64:
        raise AmountError(_("That amount is too long to be an amount"))
    raw = text.strip()
    if not raw:
        raise AmountError(_("Enter an amount"))
    # Right-to-left locales wrap amounts in direction marks; they are not characters to a cashier.
    cleaned = _drop_format_chars(raw)
    for mark in sorted({get_currency_symbol(currency, locale), check_currency(currency)}, key=len)[
        ::-1
    ]:
        cleaned = cleaned.replace(_drop_format_chars(mark), "")
    cleaned = _SPACES.sub("", cleaned)
    decimal_sym = get_decimal_symbol(locale)
    group_sym = get_group_symbol(locale)
    if _SPACES.fullmatch(group_sym):
        group_sym = ""  # spaces were already taken out above
    if cleaned.startswith("-"):
        raise AmountError(_("An amount cannot be negative"))

    like = type_like(currency, locale)
    allowed = set("0123456789") | {decimal_sym, group_sym, "."}
    stray = sorted({ch for ch in cleaned if ch not in allowed})
    if stray:
        shown = " ".join(stray)
        raise AmountError(
            _("{chars} cannot be in an amount. {like}").format(chars=shown, like=like)
        )
    whole, fraction = _split(cleaned, decimal_sym, group_sym, like)
    if not re.fullmatch(r"[0-9]+", whole or "0") or not re.fullmatch(r"[0-9]*", fraction):
        raise AmountError(like)
    if len(fraction) > places:
        if places == 0:
            said = _("{currency} amounts have no cents. {like}")
            raise AmountError(said.format(currency=currency, like=like))
        said = ngettext(
            "At most {count} digit after the decimal point. {like}",
            "At most {count} digits after the decimal point. {like}",
            places,
        )
        raise AmountError(said.format(count=places, like=like))
    if not whole and not fraction:
        raise AmountError(like)
    digits = (whole or "0") + fraction.ljust(places, "0")
    if len(digits.lstrip("0")) > len(str(MAX_AMOUNT)):
        raise AmountError(_too_much(MAX_AMOUNT, currency, locale))
    return check_amount(int(digits), currency, locale)


def type_like(currency: str, locale: str = "en_US") -> str:
    """ "Type the amount like 1,234.50", in the locale's marks and the currency's decimals."""
    places = decimals(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    example = format_decimal(Decimal("1234.5"), pattern, locale=locale)
    return _("Type the amount like {example}").format(example=example)


def _split(cleaned: str, decimal_sym: str, group_sym: str, like: str) -> tuple[str, str]:
    """Whole and fraction digits; grouping marks are checked and dropped."""
    # "." is a decimal mark on every cashier's keyboard, unless the locale groups with it.
    decimal_marks = {decimal_sym, "."} - {group_sym}
    points = [i for i, ch in enumerate(cleaned) if ch in decimal_marks]
    if len(points) > 1:
        raise AmountError(_("An amount has one decimal point. {like}").format(like=like))
    whole, fraction = (cleaned[: points[0]], cleaned[points[0] + 1 :]) if points else (cleaned, "")
    if group_sym and group_sym in whole:
        head, *groups = whole.split(group_sym)
        # Groups of three, or of two before the last three where the locale writes lakhs.
        if (
            not 1 <= len(head) <= 3
            or len(groups[-1]) != 3
            or any(len(g) not in (2, 3) for g in groups)
        ):
            raise AmountError(like)
        whole = head + "".join(groups)
    return whole, fraction
