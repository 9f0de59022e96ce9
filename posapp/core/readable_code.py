"""Whether the till can read a card's code: some scan or typed text that one of the store's
patterns turns into exactly that code. Pure.

The second trial (till #3): the manager screen created "XYZ-1" with $1.00, a code no pattern
of the till reads, so the cashier's screen said "not a gift card this store knows" for it and
the money was stranded. A code is readable when it is read as typed (a typed-voucher pattern
such as ^(\\d{12})$) or when a pattern, given its own prefix and suffix around the code, gives
it back ("SVS_GC-" + 500000000000077 for ^SVS_GC-(\\d{15})$). The wrapped text is only a
candidate: the store's own patterns (their engine, their case and check digit) decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from posapp.core import pattern_text
from posapp.core.pattern_text import codes
from posapp.core.serials import CardRef, SerialPatterns
from posapp.i18n import _


def readable(code: str, patterns: SerialPatterns) -> bool:
    """Some text the store's patterns read as this very code (lookup by code)."""
    for text in (code, *_wrapped(code, patterns)):
        found = patterns.extract(text)
        if isinstance(found, CardRef) and found.lookup == "code" and found.value == code:
            return True
    return False


def unreadable_words(code: str, patterns: SerialPatterns) -> str:
    """The refusal, naming the store's patterns."""
    names = [p.spec.name for p in patterns.patterns if p.spec.lookup == "code"]
    known = ", ".join(names) if names else _("none that reads a code")
    return _(
        "No card pattern of this till reads “{code}”: a cashier could never use its money. "
        "This store's patterns: {known}. Scan the new card, or type a code one of them reads"
    ).format(code=code, known=known)


def _wrapped(code: str, patterns: SerialPatterns) -> Iterable[str]:
    for pattern in patterns.patterns:
        if pattern.spec.lookup != "code":
            continue
        try:
            items = pattern_text.items(pattern.spec.regex)
        except Exception:  # noqa: S112 - a syntax only RE2 knows: no candidate from it
            continue
        before, after, inside = "", "", False
        for op, av in items:
            if op is codes.AT:
                continue
            if op is codes.SUBPATTERN and av[0] == 1:
                inside = True
                continue
            text = _sample(op, av)
            if text is None:
                break
            if inside:
                after += text
            else:
                before += text
        else:
            if inside:
                yield before + code + after


def _sample(op: Any, av: Any) -> str | None:
    """The plainest text an item outside the code matches: a literal as written, a class's
    first character, a repeat at its least; None for what has no plain sample."""
    if op is codes.LITERAL:
        return chr(av)
    if op is codes.IN:
        for kind, value in av:
            if kind is codes.LITERAL:
                return chr(value)
            if kind is codes.RANGE:
                return chr(value[0])
            if kind is codes.CATEGORY and value is codes.CATEGORY_DIGIT:
                return "0"
        return None
    if op in (codes.MAX_REPEAT, codes.MIN_REPEAT) and av[0] == 0:
        return ""  # at its least, none: an optional PIN group after the code (5b #5)
    if op in (codes.MAX_REPEAT, codes.MIN_REPEAT) and len(av[2]) == 1:
        one = _sample(*av[2][0])
        return None if one is None else one * av[0]
    if op is codes.SUBPATTERN:
        parts = [_sample(*item) for item in av[-1]]
        return None if None in parts else "".join(p for p in parts if p is not None)
    return None
