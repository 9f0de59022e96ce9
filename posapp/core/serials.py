"""From what a scanner sent to the gift card's serial: the store's capture-group patterns.

config.md `[[patterns]]`: tried in order, matched in full and case-insensitively, the first
capture group is the serial. A pattern that could take exponential time is refused when the
config loads, and input is cleaned and bounded before any pattern sees it, so a hostile
scan costs microseconds.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Lookup = Literal["code", "public_token"]
Case = Literal["upper", "lower", "keep"]
CheckDigit = Literal["none", "luhn"]

MAX_SCAN_LENGTH = 256


class PatternError(ValueError):
    """A configured pattern that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class SerialPattern:
    name: str
    regex: str
    lookup: Lookup = "code"
    case: Case = "keep"
    check_digit: CheckDigit = "none"


@dataclass(frozen=True, slots=True)
class CardRef:
    """What the provider is asked about: a code or a QR public token, and which pattern found it."""

    lookup: Lookup
    value: str
    pattern: str


@dataclass(frozen=True, slots=True)
class NoMatch:
    """Why a scan gave no serial, in words for the cashier."""

    reason: str


@dataclass(frozen=True, slots=True)
class CheckDigitFailed:
    pattern: str
    serial: str

    @property
    def reason(self) -> str:
        return f"The card number fails its check digit ({self.pattern}): scan it again"


Extraction = CardRef | NoMatch | CheckDigitFailed


def clean(raw: str) -> str:
    """Control and format characters dropped, blanks trimmed (scanners add both)."""
    kept = "".join(ch for ch in raw if unicodedata.category(ch) not in {"Cc", "Cf"})
    return kept.strip()


def luhn_ok(digits: str) -> bool:
    if not digits.isascii() or not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    spec: SerialPattern
    compiled: re.Pattern[str]

    def extract(self, text: str) -> Extraction | None:
        match = self.compiled.fullmatch(text)
        if match is None or match.group(1) is None:
            return None
        serial = match.group(1)
        if self.spec.case == "upper":
            serial = serial.upper()
        elif self.spec.case == "lower":
            serial = serial.lower()
        if not serial:
            return NoMatch(f"{self.spec.name} matched, but its serial is empty")
        if self.spec.check_digit == "luhn" and not luhn_ok(serial):
            return CheckDigitFailed(self.spec.name, serial)
        return CardRef(self.spec.lookup, serial, self.spec.name)


def compile_pattern(spec: SerialPattern) -> CompiledPattern:
    """The pattern ready to match, or PatternError saying why it is refused."""
    try:
        compiled = re.compile(spec.regex, re.IGNORECASE)
    except re.error as exc:
        raise PatternError(f"{spec.regex!r} is not a valid regular expression: {exc}") from exc
    if compiled.groups < 1:
        raise PatternError(
            f"{spec.regex!r} has no capture group: put the serial in parentheses, "
            r"e.g. ^SVS_GC-(\d{15})$"
        )
    problem = backtracking_risk(spec.regex)
    if problem:
        raise PatternError(f"{spec.regex!r} could take exponential time on a bad scan: {problem}")
    return CompiledPattern(spec, compiled)


@dataclass(frozen=True, slots=True)
class SerialPatterns:
    """The store's ordered patterns, compiled and checked."""

    patterns: tuple[CompiledPattern, ...]

    @classmethod
    def load(cls, specs: Iterable[SerialPattern]) -> SerialPatterns:
        return cls(tuple(compile_pattern(s) for s in specs))

    def extract(self, raw: str) -> Extraction:
        text = clean(raw)
        if not text:
            return NoMatch("The scan was empty: scan the card again")
        if len(text) > MAX_SCAN_LENGTH:
            return NoMatch(
                f"The scan is too long ({len(text)} characters, at most {MAX_SCAN_LENGTH}): "
                "this is not a gift card"
            )
        for pattern in self.patterns:
            found = pattern.extract(text)
            if found is not None:
                return found
        if not self.patterns:
            return NoMatch("No card patterns are configured: ask the manager to add one")
        names = ", ".join(p.spec.name for p in self.patterns)
        return NoMatch(f"This is not a gift card this store knows (tried: {names})")


# --- catastrophic backtracking ------------------------------------------------------------
# Python's re backtracks. Exponential time comes from one string having many ways to match:
# a quantifier around something that itself repeats ((a+)+, (\d*)*), an alternation whose
# branches can start alike under a quantifier ((a|ab)*), and, polynomially, long chains of
# adjacent quantifiers over overlapping characters (\d+\d+\d+). We read re's own parse tree.

_parser: Any = importlib.import_module("re._parser")  # sre_parse's 3.11 home; no stubs
_c: Any = importlib.import_module("re._constants")

_ALPHABET = frozenset(chr(i) for i in range(32, 0x250)) | {"\t", "\n", "\u3000", "\u0660"}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_CATEGORIES: dict[Any, Callable[[str], bool]] = {
    _c.CATEGORY_DIGIT: str.isdigit,
    _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    _c.CATEGORY_SPACE: str.isspace,
    _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    _c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}


def backtracking_risk(regex: str) -> str | None:
    """Why the regex risks catastrophic backtracking, or None."""
    tree: Any = _parser.parse(regex, re.IGNORECASE)
    return _risk(tree)


def _risk(seq: Any) -> str | None:
    chain: list[frozenset[str]] = []
    for op, av in seq:
        if op in _REPEATS:
            _, hi, body = av
            if hi is _c.MAXREPEAT or hi > 1:
                low, high = body.getwidth()
                if low != high:
                    return (
                        "a quantifier around something of varying length, such as (a+)+ or (\\d*)*"
                    )
                if _has_overlapping_branch(body):
                    return "alternatives that can match the same text under a quantifier, such as (a|a)*"
            found = _risk(body)
            if found:
                return found
            if hi is _c.MAXREPEAT:
                chars = _first(body) - {_EMPTY}
                chain = [*chain, chars] if chain and chain[-1] & chars else [chars]
                if len(chain) >= 3:
                    return "three or more unbounded quantifiers in a row over the same characters"
        elif op is _c.SUBPATTERN or op is getattr(_c, "ATOMIC_GROUP", None):
            found = _risk(av[-1] if op is _c.SUBPATTERN else av)
            if found:
                return found
        elif op is _c.BRANCH:
            for alt in av[1]:
                found = _risk(alt)
                if found:
                    return found
        elif op is not _c.AT:
            chain = []
    return None


def _has_overlapping_branch(seq: Any) -> bool:
    for op, av in seq:
        if op is _c.SUBPATTERN and _has_overlapping_branch(av[-1]):
            return True
        if op is _c.BRANCH:
            seen: frozenset[str] = frozenset()
            for alt in av[1]:
                # Two alternatives that can start alike, or both match nothing, give the
                # repeat two ways through the same text at every turn.
                chars = _first(alt)
                if seen & chars or _has_overlapping_branch(alt):
                    return True
                seen |= chars
    return False


_EMPTY = ""  # stands in _first's answer for "this can match the empty string"


def _first(seq: Any) -> frozenset[str]:
    """The characters (of a sample alphabet) that the sequence can start with."""
    out: frozenset[str] = frozenset()
    for op, av in seq:
        if op is _c.AT:
            continue
        chars, optional = _item_first(op, av)
        out |= chars - {_EMPTY}
        if not optional and _EMPTY not in chars:
            return out
    return out | {_EMPTY}


def _item_first(op: Any, av: Any) -> tuple[frozenset[str], bool]:
    if op is _c.LITERAL:
        ch = chr(av)
        return frozenset({ch, ch.lower(), ch.upper()}), False
    if op is _c.NOT_LITERAL:
        return _ALPHABET - {chr(av).lower(), chr(av).upper()}, False
    if op is _c.ANY:
        return _ALPHABET, False
    if op is _c.IN:
        return _class_chars(av), False
    if op in _REPEATS:
        return _first(av[2]), av[0] == 0
    if op is _c.SUBPATTERN:
        return _first(av[-1]), False
    if op is _c.BRANCH:
        return frozenset().union(*(_first(alt) for alt in av[1])), False
    return _ALPHABET, False  # back-references and look-arounds: assume the worst


def _class_chars(items: Sequence[tuple[Any, Any]]) -> frozenset[str]:
    negate = False
    chars: set[str] = set()
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            chars |= {chr(av).lower(), chr(av).upper()}
        elif op is _c.RANGE:
            lo, hi = av
            chars |= {ch for ch in _ALPHABET if lo <= ord(ch) <= hi}
            chars |= {ch.swapcase() for ch in _ALPHABET if lo <= ord(ch) <= hi}
        elif op is _c.CATEGORY:
            test = _CATEGORIES.get(av)
            chars |= {ch for ch in _ALPHABET if test is None or test(ch)}
    return frozenset(_ALPHABET - chars) if negate else frozenset(chars)
