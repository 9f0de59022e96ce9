"""A logging filter: card codes masked, tokens removed (house rule 7).

It works on the formatted message (and the traceback), so it catches a code or a token
wherever a library put it (a URL, a request body, an exception text), not only where our own
code logs one on purpose. What it masks (issue 18.9):

- every configured token (the provider's terminal and admin tokens, from the keyring), and
  anything shaped like a token whatever precedes it: posapp's `pgc_...`, Square's access
  tokens (`EAAA...`, the older `sq0atp-...`), whatever follows "Bearer" or "Basic" or an
  Authorization header, and a long run of mixed letters and digits (a public token);
- every code the contract allows (api.md: 1 to 64 letters, digits, spaces and dashes) where
  a key names it (`code`, `public_token`, `gan`, `serial_number` in JSON, a dict, a query or
  a keyword argument), and such a code again wherever it comes later, as a word of its own:
  a code of two letters cannot be told from a word by its shape, only by having been seen;
- digit-rich runs that look like a card number (six digits or more, in one run or in groups
  split by spaces or dashes), seen or not. Flake ids look the same and are masked too: a
  19-digit card number must never pass for an id.

Codes are masked by core.serial_number.mask (the one mask), with "*".
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from pathlib import Path
from urllib.parse import unquote_plus

from posapp.core.serial_number import mask

TOKEN = "[token]"  # noqa: S105 - what a token is replaced with
# Codes remembered to be masked wherever they come again: the most recent ones, a bound.
REMEMBERED = 512

_WORD = r"A-Za-z0-9"
# A serial without spaces: 6 to 64 characters with at least six digits.
_SERIAL = re.compile(
    rf"(?<![{_WORD}_-])(?=(?:[A-Za-z_-]*\d){{6}})[{_WORD}_-]{{6,64}}(?![{_WORD}_-])"
)
# A serial in groups ("6036 0000 1234 5678", "SVS 1234-5678"): groups with a digit each,
# joined by one space or dash; masked when they hold six digits in all.
_GROUPED = re.compile(
    rf"(?<![{_WORD}_-])[A-Za-z]*\d[{_WORD}]*(?:[ -][A-Za-z]*\d[{_WORD}]*)+(?![{_WORD}_-])"
)
# Tokens whatever precedes them: posapp's, Square's (access tokens begin EAAA; older ones
# sq0atp-).
_TOKENS = re.compile(r"pgc_[A-Za-z0-9_-]+|EAAA[A-Za-z0-9_-]{16,}|sq0[a-z]{3}-[A-Za-z0-9_-]{16,}")
# A run of 16 or more that mixes capitals and small letters (a public token: api.md's are
# opaque, the reference provider's are token_urlsafe's), unless it reads as words
# ("SSLCertVerificationError", "Idempotent-Replayed": see _wordlike).
_MIXED = re.compile(
    r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[A-Z])"
    r"[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])"
)
_WORD_PIECES = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
# What follows "Bearer", "Basic" or an Authorization header: the credential, whatever its
# shape ("Basic" only with a credential's shape after it: "Basic checks passed" is words).
_AUTHORIZATION = re.compile(
    r"((?i:\bbearer)\s+(?=[A-Za-z0-9._~+/=-]{8,})|\bBasic\s+(?=[A-Za-z0-9+/]{8,}=*)"
    r"|(?i:\bauthorization)[\"']?\s*[:=]\s*[\"']?(?![A-Za-z]+\s+\[token\])(?:[A-Za-z]+\s+)?)"
    r"(?!\[token\])[^\s\"',;}\]]+"
)
# A key that names a code or a token, then its value: quoted (JSON, a repr) after ":" or
# "=", or bare after "=" (a query, a keyword argument), percent-encoded or not.
_KEYED = re.compile(
    r"(?i)(?P<key>code|public_token|gan|serial_number|input_value"
    r"|token|access_token|api_key|password|pin)"
    r"(?P<sep>[\"']?\s*[:=]\s*)"
    r"(?:\"(?P<dq>(?:[^\"\\\n]|\\.){0,200})\"|'(?P<sq>(?:[^'\\\n]|\\.){0,200})'"
    r"|(?<==)(?P<bare>[A-Za-z0-9%+._~-]{1,200}))"
)
_SECRET_KEYS = {"token", "access_token", "api_key", "password", "pin"}
# What pydantic shows of a value it refused: masked, not remembered (it may be an amount).
_SHOWN_KEYS = {"input_value"}
# An error code under "code" (api.md's codes are snake_case): no card code has "_".
_ERROR_CODE = re.compile(r"[a-z]+(?:_[a-z]+)+")


def _masked(text: str) -> str:
    return mask(text, "*")


def _wordlike(text: str) -> bool:
    """Capitalised words run together or joined by "-" or "_", each of two letters or more:
    a class or a header's name, not a random token (which has digits, or one-letter pieces)."""
    letters = text.replace("-", "").replace("_", "")
    pieces = _WORD_PIECES.findall(letters)
    return "".join(pieces) == letters and all(len(piece) >= 2 for piece in pieces)


def _mixed(match: re.Match[str]) -> str:
    text = match.group(0)
    return text if _wordlike(text) else _masked(text)


def _grouped(match: re.Match[str]) -> str:
    text = match.group(0)
    return _masked(text) if sum(ch.isdigit() for ch in text) >= 6 else text


class Redactor(logging.Filter):
    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._seen_pattern: re.Pattern[str] | None = None

    def hide(self, *secrets: str) -> None:
        """Tokens to remove wherever they come (the keyring's, once read)."""
        with self._lock:
            self.secrets = tuple(dict.fromkeys((*self.secrets, *(s for s in secrets if s))))

    def remember(self, code: str) -> None:
        """A card code to mask wherever it comes again, as a word of its own."""
        code = code.strip()
        if not code or len(code) > 64:
            return
        key = code.casefold()
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return
            self._seen[key] = None
            while len(self._seen) > REMEMBERED:
                self._seen.popitem(last=False)
            # Longest first: a code that holds another is masked whole.
            words = sorted(self._seen, key=len, reverse=True)
            self._seen_pattern = re.compile(
                rf"(?i)(?<![{_WORD}])(?:{'|'.join(map(re.escape, words))})(?![{_WORD}])"
            )

    def _keyed(self, match: re.Match[str]) -> str:
        key, sep = match.group("key"), match.group("sep")
        quote = (
            '"' if match.group("dq") is not None else "'" if match.group("sq") is not None else ""
        )
        value = (
            match.group("dq")
            if quote == '"'
            else match.group("sq")
            if quote
            else match.group("bare")
        )
        if key.lower() in _SECRET_KEYS:
            return f"{key}{sep}{quote}{TOKEN}{quote}"
        if key.lower() == "code" and _ERROR_CODE.fullmatch(value):
            return match.group(0)
        plain = value if quote else unquote_plus(value)  # a query's "12%2034" is "12 34"
        before = match.string[match.start() - 1 : match.start()]
        if key.lower() not in _SHOWN_KEYS and not (before.isalnum() or before == "_"):
            self.remember(plain)  # "code", not "status_code": masked, not remembered
        return f"{key}{sep}{quote}{_masked(plain)}{quote}"

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, TOKEN)
        text = _TOKENS.sub(TOKEN, text)
        text = _AUTHORIZATION.sub(rf"\1{TOKEN}", text)
        text = _KEYED.sub(self._keyed, text)
        seen = self._seen_pattern
        if seen is not None:
            text = seen.sub(lambda m: _masked(m.group(0)), text)
        text = _MIXED.sub(_mixed, text)
        text = _GROUPED.sub(_grouped, text)
        return _SERIAL.sub(lambda m: _masked(m.group(0)), text)

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


LOG_BYTES, LOG_FILES = 1_000_000, 3  # the file and its two rotated copies: about 3 MB


def to_file(path: Path) -> Path:
    """Every log line, INFO and up, to a file too, rotated at LOG_BYTES (LOG_FILES kept) and
    redacted as every line is: the till's own log, where the manager and support look (the
    trial of a till, 5b #7: a store's till wrote none, while the screen said "the details are
    in the log"). Tokens read later are hidden in it too (hide)."""
    from logging.handlers import RotatingFileHandler

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        path, maxBytes=LOG_BYTES, backupCount=LOG_FILES - 1, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(Redactor())
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


def hide(*secrets: str) -> None:
    """Tokens read after the log was set up (the keyring's, when the engine is built): every
    redactor on the root logger's handlers removes them from now on."""
    for handler in logging.getLogger().handlers:
        for found in handler.filters:
            if isinstance(found, Redactor):
                found.hide(*secrets)


# The keys under which a request sends a card's code or public token (api.md's validate and
# movements, Square's from-gan): what is sent is remembered before any answer is logged.
CODE_KEYS = frozenset({"code", "public_token", "gan", "gift_card_gan"})


def _sent_codes(part: object, depth: int = 0) -> list[str]:
    if isinstance(part, dict) and depth < 4:  # Square nests the card: {"gift_card": {"gan"}}
        return [
            found
            for key, value in part.items()
            for found in ([value] if key in CODE_KEYS and isinstance(value, str) else [])
            + _sent_codes(value, depth + 1)
        ]
    return []


def remember_sent(*sent: object) -> None:
    """A request's JSON body or query, as the adapter sends it: every code or public token in
    it is masked wherever a log line holds it from now on, whatever its shape (a code of two
    letters, a public token of letters only, cannot be told from words by their shape)."""
    found = [code for part in sent for code in _sent_codes(part)]
    if not found:
        return
    for handler in logging.getLogger().handlers:
        for redactor in handler.filters:
            if isinstance(redactor, Redactor):
                for code in found:
                    redactor.remember(code)
