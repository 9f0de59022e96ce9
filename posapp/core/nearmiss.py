"""Why a scan matched no card pattern, for the person setting up the till: which pattern came
closest and what it is missing ("SVS gift card: needs 15 digits after SVS_GC-, got 5").

This reads the pattern's text, not the engine that matches it: Python's own regex parser
turns the pattern into a sequence of literals, character classes and counted repeats, which
is the shape of every card pattern in config.md, whichever engine then runs it (re or RE2).
A pattern of another shape (alternatives, nested repeats) is explained as far as its plain
start goes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from posapp.core import pattern_text
from posapp.core.pattern_text import Item, codes
from posapp.i18n import N_, _, ngettext

_DIGITS = frozenset("0123456789")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LETTERS = _UPPER | {ch.lower() for ch in _UPPER}


class Pattern(Protocol):
    """What this module reads of a card pattern (serials.SerialPattern is one): its name and
    its text. Said here, not imported, because serials asks this module why a scan missed."""

    @property
    def name(self) -> str: ...

    @property
    def regex(self) -> str: ...


@dataclass(frozen=True, slots=True)
class NearMiss:
    pattern: str
    why: str
    # How far the scan got into the pattern, in characters: the larger, the closer.
    reached: int

    def __str__(self) -> str:
        return f"{self.pattern}: {self.why}"


def closest(patterns: Iterable[Pattern], text: str) -> NearMiss | None:
    """The pattern the text came closest to (the first of equals), or None with no patterns."""
    best: NearMiss | None = None
    for pattern in patterns:
        found = explain(pattern, text)
        if best is None or found.reached > best.reached:
            best = found
    return best


def explain(pattern: Pattern, text: str) -> NearMiss:
    """What the text lacks to match the pattern in full."""
    try:
        items = list(_flatten(pattern_text.items(pattern.regex, re.IGNORECASE)))
    except Exception:  # a syntax only the other engine knows: say what we can
        return NearMiss(pattern.name, "does not match", 0)
    why, reached = _walk(items, text)
    return NearMiss(pattern.name, why, reached)


def _flatten(seq: Iterable[Item]) -> Iterable[Item]:
    """The pattern's items in order, groups opened up and anchors dropped (matches are full)."""
    for op, av in seq:
        if op is codes.AT:
            continue
        if op is codes.SUBPATTERN:
            yield from _flatten(av[-1])
        else:
            yield op, av


def _walk(items: Sequence[Item], text: str) -> tuple[str, int]:
    pos = 0
    # What matched so far: literals as the pattern spells them, the rest as scanned.
    written = ""
    for index, (op, av) in enumerate(items):
        if op is codes.LITERAL:
            ch = chr(av)
            if pos < len(text) and text[pos].lower() == ch.lower():
                pos += 1
                written += ch
                continue
            wanted = ch + _literal_run(items, index + 1)
            if not written:
                return _("needs to start with {wanted}").format(wanted=wanted), pos
            return _("needs {wanted} after {written}").format(wanted=wanted, written=written), pos
        single = _single(op, av)
        if single is not None:
            test, one, _many = single
            if pos < len(text) and test(text[pos]):
                written += text[pos]
                pos += 1
                continue
            if not written:
                return _("needs {one}").format(one=one), pos
            return _("needs {one} after {written}").format(one=one, written=written), pos
        if op in (codes.MAX_REPEAT, codes.MIN_REPEAT) and len(av[2]) == 1:
            lo, hi, body = av
            single = _single(*body[0])
            if single is None:
                break
            test, _one, words = single
            run = 0
            while pos + run < len(text) and test(text[pos + run]):
                run += 1
            last = index == len(items) - 1
            if run < lo or (run > hi and last):
                said = (
                    _("needs {count} {what} after {written}, got {got}")
                    if written
                    else _("needs {count} {what}, got {got}")
                )
                how_many = _how_many(lo, hi)
                said = said.format(count=how_many, what=words, written=written, got=run)
                return said, pos + min(run, hi)
            written += text[pos : pos + min(run, hi)]
            pos += min(run, hi)
            continue
        break  # alternatives, nested repeats: explained as far as the plain start
    else:
        if pos < len(text):
            extra = len(text) - pos
            said = ngettext(
                "has {count} character too many after {written}: {text}",
                "has {count} characters too many after {written}: {text}",
                extra,
            )
            return said.format(count=extra, written=written, text=repr(text[pos:][:20])), pos
        return _("matches"), pos
    return _("does not match"), pos


def _literal_run(items: Sequence[Item], start: int) -> str:
    run = ""
    for op, av in items[start:]:
        if op is not codes.LITERAL:
            break
        run += chr(av)
    return run


def _how_many(lo: int, hi: int) -> str:
    if lo == hi:
        return str(lo)
    if hi is codes.MAXREPEAT or hi >= 65535:
        return _("at least {low}").format(low=lo)
    return _("{low} to {high}").format(low=lo, high=hi)


def _single(op: Any, av: Any) -> tuple[Callable[[str], bool], str, str] | None:
    """A one-character item: its test, and its words for one and for many ("a digit",
    "digits")."""
    if op is codes.ANY:
        return (lambda ch: ch != "\n"), _("a character"), _("characters")
    if op is codes.IN:
        return _in_class(av)
    return None


_NAMED = {
    frozenset(_DIGITS): (N_("a digit"), N_("digits")),
    frozenset(_LETTERS): (N_("a letter"), N_("letters")),
    frozenset(_DIGITS | _LETTERS): (N_("a letter or digit"), N_("letters or digits")),
    frozenset(_DIGITS | _LETTERS | {"_"}): (N_("a letter, digit or _"), N_("letters, digits or _")),
    frozenset(_DIGITS | set("abcdefABCDEF")): (N_("a hex digit"), N_("hex digits")),
}


def _in_class(items: Sequence[Item]) -> tuple[Callable[[str], bool], str, str] | None:
    chars: set[str] = set()
    negate = False
    for op, av in items:
        if op is codes.NEGATE:
            negate = True
        elif op is codes.LITERAL:
            chars |= {chr(av).lower(), chr(av).upper()}
        elif op is codes.RANGE:
            lo, hi = av
            span = {chr(i) for i in range(lo, min(hi, 0x24F) + 1)}
            chars |= span | {ch.swapcase() for ch in span}
        elif op is codes.CATEGORY and av is codes.CATEGORY_DIGIT:
            chars |= _DIGITS  # ASCII digits: what RE2 and a card mean by \d
        elif op is codes.CATEGORY and av is codes.CATEGORY_WORD:
            chars |= _DIGITS | _LETTERS | {"_"}
        else:
            return None
    if negate:
        return (lambda ch: ch not in chars), _("a character"), _("characters")
    one, many = _NAMED.get(frozenset(chars), ("", ""))
    if one:
        return (lambda ch: ch in chars), _(one), _(many)
    shown = ", ".join(sorted({ch.upper() for ch in chars}))[:40]
    one, many = (
        _("one of {chars}").format(chars=shown),
        _("characters from {chars}").format(chars=shown),
    )
    return (lambda ch: ch in chars), one, many
