from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.config import DEFAULT_PATTERNS
from posapp.core.serials import (
    MAX_SCAN_LENGTH,
    CardRef,
    CheckDigitFailed,
    NoMatch,
    PatternError,
    SerialPattern,
    SerialPatterns,
    compile_pattern,
    luhn_ok,
)

SVS = SerialPattern("SVS gift card", r"^SVS_GC-(\d{15})$", "code", "upper")


def test_seed_001_example() -> None:
    patterns = SerialPatterns.load([SVS])
    assert patterns.extract("svs_gc-123456789012345") == CardRef(
        "code", "123456789012345", "SVS gift card"
    )


def test_input_is_cleaned_before_matching() -> None:
    patterns = SerialPatterns.load([SVS])
    found = patterns.extract("  \x02SVS_GC-123456789012345\r\n\x03 ")
    assert isinstance(found, CardRef)
    assert found.value == "123456789012345"


def test_first_full_match_wins_and_says_which() -> None:
    patterns = SerialPatterns.load(
        [
            SerialPattern("Partial", r"(\d{4})"),
            SerialPattern("Token", r"^QR:([a-z0-9]{8})$", "public_token", "lower"),
            SerialPattern("Any digits", r"^(\d+)$"),
        ]
    )
    assert patterns.extract("QR:AbCd1234") == CardRef("public_token", "abcd1234", "Token")
    # "(\d{4})" must match in full, so 12 digits fall through to the next pattern.
    assert patterns.extract("123456789012") == CardRef("code", "123456789012", "Any digits")
    assert patterns.extract("1234") == CardRef("code", "1234", "Partial")


def test_case_keep_upper_lower() -> None:
    def serial(case: str) -> str:
        found = SerialPatterns.load([SerialPattern("p", r"^GC-([a-z]+)$", case=case)]).extract(
            "gc-AbC"
        )  # type: ignore[arg-type]
        assert isinstance(found, CardRef)
        return found.value

    assert (serial("keep"), serial("upper"), serial("lower")) == ("AbC", "ABC", "abc")


def test_no_match_says_why() -> None:
    patterns = SerialPatterns.load([SVS])
    result = patterns.extract("SVS_GC-12345")
    assert isinstance(result, NoMatch)
    assert "SVS gift card" in result.reason
    assert isinstance(patterns.extract("\x00\r\n"), NoMatch)
    too_long = patterns.extract("9" * (MAX_SCAN_LENGTH + 1))
    assert isinstance(too_long, NoMatch)
    assert "too long" in too_long.reason
    assert "No card patterns" in SerialPatterns.load([]).extract("1234").reason  # type: ignore[union-attr]


def test_luhn_check_digit() -> None:
    assert luhn_ok("79927398713")
    assert not luhn_ok("79927398710")
    assert not luhn_ok("")
    assert not luhn_ok("12a4")
    patterns = SerialPatterns.load([SerialPattern("Luhn", r"^(\d{11})$", check_digit="luhn")])
    assert patterns.extract("79927398713") == CardRef("code", "79927398713", "Luhn")
    failed = patterns.extract("79927398710")
    assert failed == CheckDigitFailed("Luhn", "79927398710")
    assert "check digit" in failed.reason  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("regex", "says"),
    [
        (r"^SVS_GC-\d{15}$", "no capture group"),
        (r"^(?:\d+)$", "no capture group"),
        (r"^(\d{15}$", "not a valid regular expression"),
        (r"(a+)+", "varying length"),
        (r"(\d*)*", "varying length"),
        (r"^((\d+)-)*$", "varying length"),
        (r"^(a|ab)*$", "varying length"),
        (r"^(a|a)*$", "alternatives that can match the same text"),
        (r"^((?:x\d|x\d){2,})$", "alternatives that can match the same text"),
        (r"^(\d+\d+\d+)$", "three or more unbounded quantifiers"),
        (r"^(.*.*.*)$", "three or more unbounded quantifiers"),
    ],
)
def test_dangerous_or_useless_patterns_are_refused_with_the_reason(regex: str, says: str) -> None:
    with pytest.raises(PatternError, match=says):
        compile_pattern(SerialPattern("bad", regex))


ACCEPTED = [
    *(p.regex for p in DEFAULT_PATTERNS),
    r"^(\d{12})$",
    r"^(\d+)$",
    r"^(.*)$",
    r"^(\w+)-(\d+)$",
    r"^([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})$",
    r"^(?:GC|GIFT)?[ -]?(\d{8,19})$",
    r"^QR:([A-Za-z0-9_-]{16,64})$",
    r"^(\d+)\s*(\d+)$",
    r"^([0-9 ]+)$",
]

ADVERSARIAL = [
    "9" * 10_000,
    "9" * 10_000 + "x",
    "SVS_GC-" + "1" * 9_990 + "!",
    "a" * 9_999 + "!",
    "-" * 10_000,
    ("1234-" * 2_000) + "!",
    "QR:" + "A" * 9_997,
    " " * 5_000 + "1" * 4_999 + "x",
]


@pytest.mark.parametrize("regex", ACCEPTED)
def test_every_accepted_pattern_answers_adversarial_input_within_10_ms(regex: str) -> None:
    compiled = compile_pattern(SerialPattern("p", regex))
    patterns = SerialPatterns((compiled,))
    for text in ADVERSARIAL:
        for candidate in (text, text[: MAX_SCAN_LENGTH - 1] + "!"):
            best = min(_timed(patterns.extract, candidate) for _ in range(3))
            assert best < 0.010, (regex, candidate[:20], best)
            # The bound holds for the regex itself at the longest input it can ever see.
            best = min(
                _timed(compiled.compiled.fullmatch, candidate[:MAX_SCAN_LENGTH]) for _ in range(3)
            )
            assert best < 0.010, (regex, candidate[:20], best)


def _timed(fn: object, arg: str) -> float:
    start = time.perf_counter()
    fn(arg)  # type: ignore[operator]
    return time.perf_counter() - start


@given(st.text(max_size=400))
def test_any_scan_gives_a_serial_or_a_reason(raw: str) -> None:
    result = SerialPatterns.load(DEFAULT_PATTERNS).extract(raw)
    if isinstance(result, CardRef):
        assert result.value.isdigit()
    else:
        assert result.reason
