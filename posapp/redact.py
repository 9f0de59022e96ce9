"""A logging filter: serials masked to the last four, tokens removed (house rule 8).

It works on the formatted message, so it catches a serial wherever a library put it (a URL,
an exception text), not only where our code logs one on purpose.
"""

from __future__ import annotations

import logging
import re

# A serial: eight or more characters of letters and digits with at least six digits (gift
# card codes, public tokens). Flake ids look the same and are masked too: a 19-digit card
# number must never pass for an id.
_SERIAL = re.compile(
    r"(?<![A-Za-z0-9_-])(?=(?:[A-Za-z_-]*\d){6})[A-Za-z0-9_-]{8,64}(?![A-Za-z0-9_-])"
)
_BEARER = re.compile(r"(?i)(bearer\s+)\S+")
_TOKEN = re.compile(r"pgc_[A-Za-z0-9_-]+")


def _mask(match: re.Match[str]) -> str:
    text = match.group(0)
    return "*" * (len(text) - 4) + text[-4:]


class Redactor(logging.Filter):
    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[token]")
        text = _TOKEN.sub("[token]", text)
        text = _BEARER.sub(r"\1[token]", text)
        return _SERIAL.sub(_mask, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        record.msg, record.args = cleaned, None
        return True


def install(secrets: tuple[str, ...] = ()) -> Redactor:
    """The filter on every handler of the root logger (filters on a logger do not see what
    its children propagate, handlers do)."""
    redactor = Redactor(secrets)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
    for handler in root.handlers:
        handler.addFilter(redactor)
    return redactor
