"""The one path from an error to the words on screen (house rule 6).

An error a person can act on (a declined card, a printer out of paper, an amount typed
wrong, a missing token) is said as it is: its message was written for them. Anything else
is a bug or a surprise: it goes to the log with its traceback, and the screen says only
that something went wrong and where the details are, never the exception's own text.
"""

from __future__ import annotations

import logging
from types import TracebackType

from hardware.printers.errors import PrinterError
from posapp.adapters.secrets import SecretError
from posapp.config import ConfigError
from posapp.core.money import AmountError
from posapp.core.serials import PatternError
from posapp.terminal.ports import CashierError, ProviderError

log = logging.getLogger("posapp.ui")

SOMETHING_WENT_WRONG = "Something went wrong; the details are in the log"

# The gift cards screen where it cannot manage cards, in a manager's words.
CARDS_WITH_SQUARE = (
    "With Square, gift cards are managed in the Square Dashboard, under Gift cards: "
    "creating, disabling, changing and adjusting cards is not available on this till. "
    "Selling, redeeming and checking cards at the till work as usual."
)
CARDS_NOT_SET_UP = (
    "Managing gift cards is not set up on this till yet: the provider's manager access "
    "(its admin token) has to be added once by whoever set the till up (see the README, "
    "“posapp set-token --admin”). Selling, redeeming and checking cards work as usual."
)

# Errors whose message was written for the cashier or the manager.
FOR_PEOPLE: tuple[type[BaseException], ...] = (
    CashierError,
    ProviderError,
    PrinterError,
    SecretError,
    AmountError,
    ConfigError,
    PatternError,
)


def words_for(error: BaseException, tb: TracebackType | None = None) -> tuple[str, bool]:
    """What the screen says about the error, and whether it was internal (then it is logged
    with its traceback here, once)."""
    if isinstance(error, FOR_PEOPLE):
        return str(error) or SOMETHING_WENT_WRONG, False
    log.error(
        "internal error: %s",
        type(error).__name__,
        exc_info=(type(error), error, tb or error.__traceback__),
    )
    return SOMETHING_WENT_WRONG, True
