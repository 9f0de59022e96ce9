"""An entry's card: an issue's entry has no code until the provider answers (NEW_CARD)."""

from __future__ import annotations

from dataclasses import replace

from posapp.core import intent as intents
from posapp.core.entry import NEW_CARD, Entry


def test_card_code_is_none_until_an_issue_has_its_new_card() -> None:
    issued = Entry(
        1, 1, "issue", NEW_CARD, None, 1599, None, "USD", "k", "pending", None,
        None, None, None, intents.issue(1599), 0.0,
    )  # fmt: skip
    assert issued.card_code is None
    assert replace(issued, code="6006000000001332").card_code == "6006000000001332"
    assert NEW_CARD == "(new card)"  # what journals written before the name hold
