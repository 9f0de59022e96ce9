"""The one mask (issue 18.9): what logs, screens and receipts show of a card's code."""

from __future__ import annotations

from posapp.core.serial_number import mask, short, shown


def test_the_mask_hides_four_at_least_and_shows_four_at_most() -> None:
    assert [mask("1234567890"[:n], "*") for n in range(1, 11)] == [
        "*",
        "**",
        "***",
        "****",
        "****5",
        "****56",
        "****567",
        "****5678",
        "*****6789",
        "******7890",
    ]
    assert mask("6006000000000002") == "••••••••••••0002"


def test_short_is_two_signs_and_what_the_mask_shows() -> None:
    # A code of 8 or more: the till's "••0002", as its words always named a card.
    assert short("6006000000000002") == "••0002"
    assert short("12345678") == "••5678"
    assert shown("6006000000000002") == "0002"
    # Shorter codes: no more than the mask shows (a code of four was shown whole).
    assert [short("1234567"[:n]) for n in range(1, 8)] == [
        "••",
        "••",
        "••",
        "••",
        "••5",
        "••56",
        "••567",
    ]
    assert shown("") == ""
    assert mask("") == ""
