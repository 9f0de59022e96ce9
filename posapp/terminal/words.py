"""The one path from an error to the words on screen (house rule 6).

An error a person can act on (core/errors.py's ForPeople: a declined card, a printer out of
paper, an amount typed wrong, a missing token) is said as it is: its message was written for
them. Anything else is a bug or a surprise: it goes to the log with its traceback, and the
screen says only that something went wrong and where the details are, never the exception's
own text.
"""

from __future__ import annotations

import logging
from types import TracebackType

from posapp.core.errors import ForPeople
from posapp.i18n import N_, _

log = logging.getLogger("posapp.ui")

SOMETHING_WENT_WRONG = N_("Something went wrong; the details are in the log")


def words_for(error: BaseException, tb: TracebackType | None = None) -> tuple[str, bool]:
    """What the screen says about the error, and whether it was internal (then it is logged
    with its traceback here, once)."""
    if isinstance(error, ForPeople):
        words = str(error) or _(SOMETHING_WENT_WRONG)
        log.info("said: %s", words)  # what a person was told, in the log too (5b #7, 5a #6)
        return words, False
    log.error(
        "internal error: %s",
        type(error).__name__,
        exc_info=(type(error), error, tb or error.__traceback__),
    )
    return _(SOMETHING_WENT_WRONG), True
