"""Which pattern a scan came closest to, and what it lacks, in words."""

from __future__ import annotations

import pytest

from posapp.config import DEFAULT_PATTERNS
from posapp.core.nearmiss import closest, explain
from posapp.core.serials import SerialPattern


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("SVS_GC-12345", "SVS gift card: needs 15 digits after SVS_GC-, got 5"),
        ("svs_gc-1234567890123456", "SVS gift card: needs 15 digits after SVS_GC-, got 16"),
        ("SVS-GC-123", "SVS gift card: needs _GC- after SVS"),
        ("hello", "SVS gift card: needs to start with SVS_GC-"),
        ("12345", "Voucher, typed: needs 12 digits, got 5"),
        ("1234567890123", "Voucher, typed: needs 12 digits, got 13"),
    ],
)
def test_the_closest_pattern_and_why(text: str, said: str) -> None:
    assert str(closest(DEFAULT_PATTERNS, text)) == said


@pytest.mark.parametrize(
    ("regex", "text", "why"),
    [
        (r"^GC-(\d{4})-(\d{4})$", "GC-1234-12", "needs 4 digits after GC-1234-, got 2"),
        (r"^([0-9A-F]{8})$", "12G", "needs 8 hex digits, got 2"),
        (r"^(\w{8,10})$", "ab", "needs 8 to 10 letters, digits or _, got 2"),
        (r"^X(\d)(\d+)$", "Xa", "needs a digit after X"),
        (r"^(\d+)$", "12ab", "has 2 characters too many after 12: 'ab'"),
        (r"^(A|B)(\d+)$", "C1", "needs one of A, B"),
        (r"^(\d{4}|\d{6})$", "12a", "does not match"),  # alternatives: no guess
        (r"^(\d{12})$", "١٢٣٤٥٦٧٨٩٠١٢", "needs 12 digits, got 0"),  # ASCII digits only
    ],
)
def test_what_a_pattern_lacks(regex: str, text: str, why: str) -> None:
    assert explain(SerialPattern("P", regex), text).why == why


def test_no_patterns_no_closest() -> None:
    assert closest([], "x") is None
