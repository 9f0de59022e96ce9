"""One path from an error to the screen: people's errors as they are, internal ones logged
with their traceback and shown as "Something went wrong; the details are in the log"."""

from __future__ import annotations

import logging

import pytest

from posapp.adapters.secrets import SecretError
from posapp.config import ConfigError
from posapp.core.money import AmountError, parse_amount
from posapp.core.serials import PatternError
from posapp.terminal.ports import CashierError, PrintFailed, Unreachable
from posapp.terminal.words import SOMETHING_WENT_WRONG, words_for


@pytest.mark.parametrize(
    "error",
    [
        CashierError("Gift card not found"),
        Unreachable("The provider cannot be reached"),
        PrintFailed("The network printer is out of paper: the receipt is kept"),
        SecretError("No admin token is set: run posapp set-token --admin"),
        ConfigError(["[store] name: it is empty; give the shop's name"]),
        PatternError("[[patterns]] SVS: the pattern is empty"),
    ],
)
def test_errors_for_people_are_said_as_they_are(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    assert words_for(error) == (str(error), False)
    assert caplog.records == []


def test_a_typed_amount_error_says_how_to_type_one() -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount("12,5", "USD")
    assert words_for(caught.value) == ("Type the amount like 1,234.50", False)


def test_internal_errors_are_logged_with_their_traceback_and_not_shown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    try:
        {}["pin_hash"]  # the kind of raw text a screen must never show
    except KeyError as exc:
        with caplog.at_level(logging.ERROR, logger="posapp.ui"):
            words, internal = words_for(exc)
    assert (words, internal) == (SOMETHING_WENT_WRONG, True)
    (record,) = caplog.records
    assert record.exc_info is not None
    assert "pin_hash" not in words
    assert "Traceback" in caplog.text
