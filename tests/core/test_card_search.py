"""What the gift cards screen asks the provider for what a manager typed or scanned, and a
new card's code (issue 19.14)."""

from __future__ import annotations

import pytest

from posapp.config import DEFAULT_PATTERNS
from posapp.core.card_search import Search, new_code, search_for
from posapp.core.serials import SerialPattern, SerialPatterns

PATTERNS = SerialPatterns.load(DEFAULT_PATTERNS)


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("", {}),
        ("SVS_GC-500000000000002", {"code": "500000000000002", "include_canceled": True}),
        (" svs_gc-500000000000002\r", {"code": "500000000000002", "include_canceled": True}),
        ("123456789012", {"code": "123456789012", "include_canceled": True}),  # a voucher
        ("0002", {"code_ends_with": "0002", "include_canceled": True}),
        ("••0002", {"code_ends_with": "0002", "include_canceled": True}),
        ("****0002", {"code_ends_with": "0002", "include_canceled": True}),
        ("ABC-0002", {"code_ends_with": "ABC-0002", "include_canceled": True}),
        ("A1", {"code": "A1", "include_canceled": True}),  # a short code, whole
    ],
)
def test_what_is_typed_or_scanned_is_asked_for(typed: str, query: dict[str, object]) -> None:
    found = search_for(typed, PATTERNS)
    assert isinstance(found, Search)
    assert found.query == query


@pytest.mark.parametrize("typed", ["SVS_GC-12", "50%", "a_b_c_d"])
def test_what_cannot_be_a_code_is_said(typed: str) -> None:
    said = search_for(typed, PATTERNS)
    assert isinstance(said, str)
    assert said.startswith(f"“{typed}” is not a card code")


def test_a_qr_token_is_found_through_its_card() -> None:
    qr = SerialPatterns.load((SerialPattern("QR", r"^QR:(\w{8,})$", "public_token"),))
    found = search_for("QR:abcdefgh12", qr)
    assert isinstance(found, Search)
    assert (found.query, found.token) == ({}, "abcdefgh12")


def test_a_new_cards_code_is_what_the_patterns_take_out_of_the_printed_one() -> None:
    assert new_code("SVS_GC-500000000000077", PATTERNS) == "500000000000077"
    assert new_code("500000000000077", PATTERNS) == "500000000000077"  # as SVS_GC-... reads
    assert new_code("123456789099", PATTERNS) == "123456789099"  # a voucher, typed
    for bad, words in (("", "Type or scan"), ("SVS_GC-12X", "“SVS_GC-12X” is not a card code")):
        with pytest.raises(ValueError, match=words):
            new_code(bad, PATTERNS)


@pytest.mark.parametrize("typed", ["GIFT-42", "XYZ-1", "50000000000007", "1234567890123"])
def test_a_new_code_no_pattern_of_the_till_reads_is_refused_naming_them(typed: str) -> None:
    """The second trial (till #3): "XYZ-1" was created with $1.00, and the till then said
    "not a gift card this store knows" for it: money no cashier could ever use."""
    with pytest.raises(ValueError, match="No card pattern") as said:
        new_code(typed, PATTERNS)
    assert str(said.value).startswith(f"No card pattern of this till reads “{typed}”")
    assert "This store's patterns: SVS gift card, Voucher, typed." in str(said.value)


def test_a_code_read_only_with_its_check_digit_or_case_is_readable_as_the_pattern_reads() -> None:
    luhn = SerialPatterns.load(
        (SerialPattern("Club card", r"^CLUB(\d{8})$", "code", check_digit="luhn"),)
    )
    assert new_code("79927398", luhn) == "79927398"  # as CLUB79927398 is read
    with pytest.raises(ValueError, match="No card pattern"):
        new_code("79927391", luhn)  # its check digit fails: CLUB79927391 is refused
    upper = SerialPatterns.load((SerialPattern("CB", r"^CB-([a-z]{2}-\d{2})$", case="upper"),))
    assert new_code("CB-ab-12", upper) == "AB-12"  # scanned: the pattern takes it out
    assert new_code("AB-12", upper) == "AB-12"
    with pytest.raises(ValueError, match="No card pattern"):
        new_code("ab-12", upper)  # the pattern reads it as AB-12, never ab-12
