"""Scanner calibration (issue 25, point 2): what a keyboard-wedge scanner's keys become on
this till, learnt from one scan of a known code, and read back before the card patterns. Pure.

The till shows (or prints) a calibration code: every character the store's patterns use, in
a fixed order, between two marks (`XJ` ... `JX`: letters every common layout leaves where a
US keyboard has them). Scanned once through the wedge, what arrives says
- which character arrives for which (a layout's swaps: on a German layout "_" arrives as
  "?", Y and Z swap), and whether every letter arrives in the other case;
- what the scanner adds before (a prefix, an AIM identifier: "]" and two characters) and
  after (a suffix), and whether it drops the first or the last character.
`WedgeMap.read` undoes it on each wedge scan. An arrival that cannot be read back for sure
(two characters sent arrive as one, the code not found) is refused in words: nothing learnt.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from posapp.core import pattern_text
from posapp.core.keyboard_layouts import LAYOUTS, Layout, swapped_case
from posapp.i18n import N_, _

START, END = "XJ", "JX"
PRINTABLE = "".join(chr(i) for i in range(33, 127))  # Code 128 set B, less the space
# What "]" (an AIM identifier's first character) arrives as under the known layouts.
AIM_OPENERS = frozenset({"]", *(layout.arrives.get("]", "]") for layout in LAYOUTS)})
Drop = Literal["none", "first", "last", "both"]

# The words a manager reads on the calibration screen (translated where shown: _()).
SAME = N_("The scanner's characters arrive as they are sent: nothing to change.")
CASE = N_("Every letter arrives in the other case (the scanner's own setting): turned back.")
PREFIX = N_("The scanner adds {text} before each scan: removed.")
AIM = N_(
    "The scanner adds an AIM identifier ({text}: which kind of barcode) before each scan: removed."
)
SUFFIX = N_("The scanner adds {text} after each scan: removed.")
DROPPED = {
    "first": N_(
        "The scanner drops the first character of each scan: the till cannot put it back. "
        "Check the scanner's settings (its manual), then calibrate again."
    ),
    "last": N_(
        "The scanner drops the last character of each scan: the till cannot put it back. "
        "Check the scanner's settings (its manual), then calibrate again."
    ),
    "both": N_(
        "The scanner drops the first and the last character of each scan: the till cannot "
        "put them back. Check the scanner's settings (its manual), then calibrate again."
    ),
}
NOT_FOUND = N_(
    "That scan was not the calibration code (its marks {start} and {end} were not found): "
    "scan the calibration barcode on this screen or on the slip."
)
MERGED = N_(
    "{count} of the characters sent arrived as nothing or as one with the next "
    "(a dead key of the keyboard layout, such as ^ or ´): the till cannot tell them apart. "
    "Choose a layout without dead keys (e.g. 'German, no dead keys') or set the scanner's "
    "keyboard country to the till's, then calibrate again."
)
ALIKE = N_(
    "{first} and {second} both arrive as {got}: the till cannot tell them apart. Set the "
    "scanner's keyboard country to the till's layout, then calibrate again."
)
UNSURE = N_(
    "The scan can be read in more than one way (where the code starts is not certain): "
    "scan the calibration code again."
)
ARRIVES_AS = N_("{sent} arrives as {got}")
NAMED = N_("{layout} layout: {changes} (read back).")
UNNAMED = N_("The keyboard layout changes characters: {changes} (read back).")


class ScannerKeys(Protocol):
    """config.md's [scanner] keys that keep a calibration (posapp/config.py ScannerConfig)."""

    @property
    def wedge_map(self) -> str: ...
    @property
    def wedge_case(self) -> str: ...
    @property
    def wedge_prefix(self) -> str: ...
    @property
    def wedge_suffix(self) -> str: ...
    @property
    def wedge_aim(self) -> str: ...


@dataclass(frozen=True, slots=True)
class WedgeMap:
    """What the till undoes on a wedge scan (config.md [scanner] wedge_* keys)."""

    swaps: tuple[tuple[str, str], ...] = ()  # (what arrives, what was sent), sorted
    invert_case: bool = False
    prefix: str = ""
    suffix: str = ""
    aim: str = ""  # what "]" arrives as when the scanner adds an AIM identifier

    @classmethod
    def of(cls, keys: ScannerKeys) -> WedgeMap:
        """The map the config keeps."""
        invert = keys.wedge_case == "invert"
        kept = keys.wedge_prefix, keys.wedge_suffix, keys.wedge_aim
        return cls(from_pairs(keys.wedge_map), invert, *kept)

    def keys(self) -> dict[str, str]:
        """config.md's [scanner] keys for this map (what the calibration screen saves)."""
        return {
            "wedge_map": self.pairs,
            "wedge_case": "invert" if self.invert_case else "keep",
            "wedge_prefix": self.prefix,
            "wedge_suffix": self.suffix,
            "wedge_aim": self.aim,
        }

    @property
    def empty(self) -> bool:
        return self == WedgeMap()

    def read(self, text: str, caps_lock: bool = False) -> str:
        """The scan as the scanner sent it. `caps_lock`: the till's Caps Lock was on while it
        arrived: every letter came inverted, turned back first (the map was learnt with Caps
        Lock off, or turned back too: its own case rule is the scanner's setting)."""
        if caps_lock:
            text = swapped_case(text)
        if self.prefix and text.startswith(self.prefix):
            text = text[len(self.prefix) :]
        if self.aim and len(text) > 3 and text[0] == self.aim:
            text = text[3:]
        if self.suffix and text.endswith(self.suffix):
            text = text[: -len(self.suffix)]
        if self.invert_case:
            text = swapped_case(text)
        table = dict(self.swaps)
        return "".join(table.get(ch, ch) for ch in text)

    @property
    def pairs(self) -> str:
        """config.md's `wedge_map`: each pair, what arrives then what was sent, spaced."""
        return " ".join(got + sent for got, sent in self.swaps)


def pairs_problem(text: str) -> str | None:
    """Why a `wedge_map` text cannot be read, in words; None when it can."""
    seen: set[str] = set()
    for pair in text.split():
        if len(pair) != 2:
            return _(
                "each pair is two characters, the one that arrives and the one the scanner "
                'sent, the pairs spaced (e.g. "?_ ß- ZY YZ"); {pair} is not'
            ).format(pair=repr(pair))
        if pair[0] in seen:
            return _("{char} is given twice: each character that arrives stands for one").format(
                char=repr(pair[0])
            )
        seen.add(pair[0])
    return None


def from_pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((pair[0], pair[1]) for pair in text.split()))


def alphabet(regexes: Iterable[str]) -> str:
    """Every character the patterns can match that a scanner types (printable ASCII but the
    space), in code order: a class or `.` counts each of its characters, a letter the case
    the pattern writes it in (matching ignores case; `learn` infers the other case)."""
    found: set[str] = set()
    for regex in regexes:
        try:
            found |= _chars(pattern_text.items(regex))
        except Exception:  # a syntax only RE2 knows: every character, to be sure
            found |= set(PRINTABLE)
    return "".join(sorted(found & set(PRINTABLE)))


def _chars(items: Iterable[pattern_text.Item]) -> set[str]:
    codes = pattern_text.codes
    found: set[str] = set()
    for op, av in items:
        if op is codes.LITERAL:
            found.add(chr(av))
        elif op in (codes.ANY, codes.NOT_LITERAL):
            found |= set(PRINTABLE)
        elif op is codes.IN:
            found |= _class(av)
        elif op is codes.SUBPATTERN:
            found |= _chars(av[-1])
        elif op in (codes.MAX_REPEAT, codes.MIN_REPEAT, codes.POSSESSIVE_REPEAT):
            found |= _chars(av[2])
        elif op is codes.BRANCH:
            for branch in av[1]:
                found |= _chars(branch)
        elif op is codes.ATOMIC_GROUP:
            found |= _chars(av)
    return found


def _class(items: Iterable[pattern_text.Item]) -> set[str]:
    codes = pattern_text.codes
    found: set[str] = set()
    for op, av in items:
        if op is codes.NEGATE:
            return set(PRINTABLE)
        if op is codes.LITERAL:
            found.add(chr(av))
        elif op is codes.RANGE:
            found |= {chr(i) for i in range(av[0], min(av[1], 126) + 1)}
        elif op is codes.CATEGORY:
            found |= _category(av)
    return found


def _category(av: object) -> set[str]:
    codes = pattern_text.codes
    digits = set(string.digits)
    if av is codes.CATEGORY_DIGIT:
        return digits
    if av is codes.CATEGORY_WORD:
        return digits | set("_" + string.ascii_letters)
    if av in (codes.CATEGORY_NOT_DIGIT, codes.CATEGORY_NOT_WORD, codes.CATEGORY_NOT_SPACE):
        return set(PRINTABLE)
    return set()


def calibration_code(regexes: Iterable[str]) -> str:
    """The text of the calibration barcode for these patterns."""
    return START + alphabet(regexes) + END


@dataclass(frozen=True, slots=True)
class Learnt:
    """A calibration read: the map, what it says in words, and a drop the map cannot undo."""

    map: WedgeMap
    said: tuple[str, ...]
    drop: Drop = "none"


@dataclass(frozen=True, slots=True)
class NotLearnt:
    reason: str


def learn(sent: str, arrived: str) -> Learnt | NotLearnt:
    """What the scanner's keys become, from the calibration code sent and what arrived."""
    n = len(sent)
    for drops in ((0, 0), (1, 0), (0, 1), (1, 1)):
        first, last = drops
        body = sent[first : n - last]
        fits = [
            (start, found)
            for start in range(len(arrived) - len(body) + 1)
            if (found := _fit(sent, first, arrived[start : start + len(body)])) is not None
        ]
        if len(fits) > 1:
            return NotLearnt(_(UNSURE))
        if fits:
            start, arrives = fits[0]
            prefix, suffix = arrived[:start], arrived[start + len(body) :]
            return _learnt(arrives, prefix, suffix, _DROPS[drops])
    return NotLearnt(_why_not(sent, arrived))


_DROPS: dict[tuple[int, int], Drop] = {(0, 0): "none", (1, 0): "first", (0, 1): "last"}
_DROPS[(1, 1)] = "both"


def _fit(sent: str, first: int, part: str) -> dict[str, str] | None:
    """What each character sent arrives as, if the sent text from `first` on lines up with
    `part`: the marks arrive as themselves (in either case), a character always alike."""
    arrives: dict[str, str] = {}
    marks = len(START)
    for offset, got in enumerate(part):
        index = first + offset
        ch = sent[index]
        if (index < marks or index >= len(sent) - len(END)) and got not in (ch, ch.swapcase()):
            return None
        if arrives.setdefault(ch, got) != got:
            return None
    return arrives


def _learnt(arrives: dict[str, str], prefix: str, suffix: str, drop: Drop) -> Learnt | NotLearnt:
    by_arrival: dict[str, str] = {}
    for sent, got in arrives.items():
        other = by_arrival.setdefault(got, sent)
        if other != sent:
            return NotLearnt(_(ALIKE).format(first=other, second=sent, got=got))
    letters = [(s, g) for s, g in arrives.items() if s.isalpha()]
    invert = bool(letters) and all(_flipped(s, g) for s, g in letters)
    meant = {s: (swapped_case(g) if invert else g) for s, g in arrives.items()}
    _other_case(meant)
    swaps = tuple(sorted((g, s) for s, g in meant.items() if g != s))
    aim = ""
    if len(prefix) >= 3 and prefix[-3] in AIM_OPENERS:
        aim_text, aim, prefix = prefix[-3:], prefix[-3], prefix[:-3]
    mapped = WedgeMap(swaps, invert, prefix, suffix, aim)
    said = _said({s: meant[s] for s in arrives}, mapped, drop)
    if aim:
        said.append(_(AIM).format(text=aim_text))
    return Learnt(mapped, tuple(said), drop)


def _flipped(sent: str, got: str) -> bool:
    """A letter that arrived as a letter of the other case."""
    return got.isalpha() and got.isupper() != sent.isupper() and got.islower() != sent.islower()


def _other_case(meant: dict[str, str]) -> None:
    """A letter calibrated in one case tells the other: a layout and Caps Lock move both
    cases of a key alike (Y and y both swap with Z and z). Added where no character
    calibrated already arrives as that other case."""
    taken = set(meant.values())
    for sent, got in list(meant.items()):
        other, other_got = sent.swapcase(), got.swapcase()
        if not sent.isalpha() or len(other) != 1 or len(other_got) != 1 or other == sent:
            continue
        if other in meant or other_got in taken:
            continue
        meant[other] = other_got
        taken.add(other_got)


def _said(meant: dict[str, str], mapped: WedgeMap, drop: Drop) -> list[str]:
    """What was learnt, in the manager's words."""
    said = []
    changed = {s: g for s, g in meant.items() if g != s}
    if changed:
        said.append(_layout_words(meant, changed))
    if mapped.invert_case:
        said.append(_(CASE))
    if mapped.prefix:
        said.append(_(PREFIX).format(text=_shown(mapped.prefix)))
    if mapped.suffix:
        said.append(_(SUFFIX).format(text=_shown(mapped.suffix)))
    if drop != "none":
        said.append(_(DROPPED[drop]))
    return said or [_(SAME)]


def layout_named(meant: dict[str, str]) -> Layout | None:
    """The known layout that explains every character calibrated, if one does."""
    for layout in LAYOUTS:
        if all(layout.arrives.get(s, s) == g for s, g in meant.items()):
            return layout
    return None


def _layout_words(meant: dict[str, str], changed: dict[str, str]) -> str:
    parts, done = [], set()
    for sent, got in sorted(changed.items()):
        if sent in done:
            continue
        if changed.get(got) == sent:
            parts.append(f"{sent}\u2194{got}")
            done.add(got)
        else:
            parts.append(_(ARRIVES_AS).format(sent=sent, got=got))
        done.add(sent)
    layout = layout_named(meant)
    changes = ", ".join(parts)
    if layout is None:
        return _(UNNAMED).format(changes=changes)
    return _(NAMED).format(layout=_(layout.name), changes=changes)


def _shown(text: str) -> str:
    return "\u201c" + "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text) + "\u201d"


def _why_not(sent: str, arrived: str) -> str:
    upper = "".join(ch.upper() if len(ch.upper()) == 1 else ch for ch in arrived)
    start, end = upper.find(START), upper.rfind(END)
    if 0 <= start < end and end + len(END) - start < len(sent):
        return _(MERGED).format(count=len(sent) - (end + len(END) - start))
    return _(NOT_FOUND).format(start=START, end=END)
