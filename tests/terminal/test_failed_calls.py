"""What a failed till request means (terminal/till_calls.py's TillCalls.failed, issue 20.2):
not confirmed clears the card and says so; a refusal says nothing moved; anything else is
logged once and said as "Something went wrong"."""

from __future__ import annotations

import logging

import pytest

from posapp.core.till_events import CheckPin
from posapp.core.till_request import Refund, Reprint, Request
from posapp.terminal.ports import CashierError, NotConfirmed
from posapp.terminal.till_calls import TillCalls
from posapp.terminal.words import SOMETHING_WENT_WRONG

ISSUE = Request(Refund(1250, None), "Issue a card for $12.50", id=7)


def test_not_confirmed_clears_the_card_and_says_so() -> None:
    said = "The provider did not confirm it: check the card before trying again"
    result = TillCalls.failed(ISSUE, NotConfirmed(said))
    assert result.words == said
    assert result.tone == "bad"
    assert result.clears_card
    assert result.moved is None  # money may have moved: not known


def test_a_refused_money_call_says_nothing_moved() -> None:
    result = TillCalls.failed(ISSUE, CashierError("Card declined"))
    assert (result.words, result.tone, result.clears_card, result.moved) == (
        "Card declined",
        "bad",
        False,
        False,
    )
    reprint = TillCalls.failed(Request(Reprint(None), "Reprint"), CashierError("No paper"))
    assert reprint.moved is None  # no money call: nothing to say about money


def test_an_internal_error_is_logged_once_and_said_as_something_went_wrong(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        result = TillCalls.failed(ISSUE, KeyError("secret detail"))
    assert result.words == SOMETHING_WENT_WRONG
    assert "secret detail" not in result.words
    assert (result.clears_card, result.moved) == (False, None)
    assert [r.getMessage() for r in caplog.records] == ["internal error: KeyError"]


def test_a_refused_pin_is_said_in_its_words() -> None:
    checked = TillCalls.pin_failed(CheckPin(3, "0000"), CashierError("Wrong PIN"))
    assert (checked.request, checked.problem) == (3, "Wrong PIN")
