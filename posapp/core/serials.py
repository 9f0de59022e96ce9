r"""From what a scanner sent to the gift card's serial: the store's capture-group patterns.

config.md `[[patterns]]`: tried in order, matched in full and case-insensitively, the first
capture group is the serial. A group named `pin`, after the serial's and outside it, is the
card's own PIN where the scan carries it (issue 21 point 3: `^(\d{19})=(?P<pin>\d{4})$`): it
goes to the provider with the card and is never shown, journalled, printed or logged. Patterns run on RE2 (google-re2), whose time grows with the
scan and the pattern's size, never exponentially: Python's backtracking `re`, even behind
checks for dangerous shapes, let `^(?=(?:a+)+b)(\w+)$` hang the till for 20 s on one scan
(issue 13). What RE2 cannot do (look-arounds, back-references) is refused when the config
loads, with a way to write it instead. `\d`, `\w`, `\s` and `\b` are ASCII, as RE2 has
them: twelve Arabic-Indic digits are not a typed voucher number.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import re2

from posapp.core import pattern_text
from posapp.core.errors import ForPeople
from posapp.i18n import N_, _

Lookup = Literal["code", "public_token"]
Case = Literal["upper", "lower", "keep"]
CheckDigit = Literal["none", "luhn"]

MAX_SCAN_LENGTH = 256
# A scan a keyboard layout explains (core/keyboard_layouts.py): the cure is the calibration.
LAYOUT_SCAN_LENGTH = 64  # longer than the cards' codes a wedge types (SVS_GC-: 22)
LAYOUT_PROBLEM = N_("This scan looks like a keyboard layout problem: F12, Calibrate the scanner")
PIN_GROUP = "pin"  # the named group that captures the card's PIN from the scan
PIN_EXAMPLE = r"^(\d{19})=(?P<pin>\d{4})$"
# How to place the PIN's group, said with each refusal of a misplaced one ({example}:
# PIN_EXAMPLE): `pin_place()` says it in the till's language.
PIN_PLACE = N_(
    "the first group is the card's serial; put the PIN's group (?P<pin>...) after it and "
    "outside it, e.g. {example}"
)
# RE2's work per character grows with the compiled program: 480,000 steps took 4 ms a scan,
# card patterns take tens (^SVS_GC-(\d{15})$ is 21). Under this, every scan of up to
# MAX_SCAN_LENGTH characters matches in well under 1 ms (tests/core/test_serials.py).
MAX_PROGRAM_SIZE = 5000
ENGINE = N_(
    "card patterns run on RE2 (time in proportion to the scan, never more); "
    "\\d means 0-9 and \\w means A-Z, a-z, 0-9 and _ only (ASCII)"
)


def pin_place() -> str:
    return _(PIN_PLACE).format(example=PIN_EXAMPLE)


class PatternError(ValueError, ForPeople):
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
    """What the provider is asked about: a code or a QR public token, and which pattern found
    it; `pin`: the card's PIN where the pattern took it from the scan (never in its repr)."""

    lookup: Lookup
    value: str
    pattern: str
    pin: str | None = field(default=None, repr=False, compare=False)

    @property
    def said(self) -> str:
        """What a pattern tester says it took besides the code: the PIN, never its digits."""
        return _(" and the card's PIN (not shown)") if self.pin else ""


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
        return _("The card number fails its check digit ({pattern}): scan it again").format(
            pattern=self.pattern
        )


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
    compiled: Any  # re2._Regexp: google-re2 has no type stubs

    def extract(self, text: str) -> Extraction | None:
        match = self.compiled.fullmatch(text)
        if match is None or match.group(1) is None:
            return None
        pin: str | None = None
        index = self.compiled.groupindex.get(PIN_GROUP)
        if index is not None and match.group(index) is not None:
            pin = str(match.group(index))
            # A pattern whose nesting the load could not read (a syntax only RE2 knows):
            # a PIN in the serial's span is refused here rather than shown as the serial.
            (start, end), (s_start, s_end) = match.span(index), match.span(1)
            if start < s_end and s_start < end:
                said = _(
                    "{pattern} puts the card's PIN inside its serial: ask the manager to fix "
                    "the pattern ({how})"
                )
                return NoMatch(said.format(pattern=self.spec.name, how=pin_place()))
        serial = str(match.group(1))
        if self.spec.case == "upper":
            serial = serial.upper()
        elif self.spec.case == "lower":
            serial = serial.lower()
        if not serial:
            said = _("{pattern} matched, but its serial is empty")
            return NoMatch(said.format(pattern=self.spec.name))
        if self.spec.check_digit == "luhn" and not luhn_ok(serial):
            return CheckDigitFailed(self.spec.name, serial)
        return CardRef(self.spec.lookup, serial, self.spec.name, pin or None)


def _pin_problem(spec: SerialPattern, names: dict[str, int], groups: int) -> str | None:
    """What is wrong with the pattern's `pin` group (`names`: its named groups' numbers), in
    words; None when nothing is."""
    odd = [n for n in names if n.lower() == PIN_GROUP and n != PIN_GROUP]
    if odd:
        said = _(
            "{regex} names a group {group}: the card's PIN is taken only by a group named "
            "pin, in lower case, e.g. {example}"
        )
        return said.format(regex=_shown(spec.regex), group=repr(odd[0]), example=PIN_EXAMPLE)
    index = names.get(PIN_GROUP)
    if index is None:
        return None
    if groups < 2:
        said = _(
            "{regex} captures only the card's PIN: put the serial in parentheses too, before "
            "the PIN's group, e.g. {example}"
        )
        return said.format(regex=_shown(spec.regex), example=PIN_EXAMPLE)
    if index == 1:
        said = _("{regex} opens its PIN's group first, where the serial's goes: {how}")
        return said.format(regex=_shown(spec.regex), how=pin_place())
    try:
        nested = pattern_text.groups_inside(spec.regex, 1)
    except Exception:  # a syntax only RE2 knows: each scan checks it instead (_pin)
        return None
    if index in nested:
        said = _(
            "{regex} puts its PIN's group inside the serial's, so the PIN would be part of "
            "the serial, shown and journalled: {how}"
        )
        return said.format(regex=_shown(spec.regex), how=pin_place())
    return None


def _options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # a refused pattern is said in words, not logged by RE2 to stderr
    return options


def _instead(regex: str, error: str) -> str:
    """Why RE2 refused the regex, and how to write it so it can."""
    if any(f"perl operator: {op}" in error for op in ("(?=", "(?!", "(?<=", "(?<!")):
        said = _(
            "look-arounds such as (?=...), (?!...), (?<=...) are not supported; match the "
            "text itself instead, e.g. {good} rather than {bad}"
        )
        return said.format(good="^SVS_GC-(\\d{15})$", bad="^(?=SVS)(.+)$")
    if "(?P=" in regex or any(f"escape sequence: \\{d}" in error for d in "123456789"):
        said = _(
            "back-references such as \\1 or (?P=name) are not supported; write the repeated "
            "part out again, e.g. {example}"
        )
        return said.format(example="^(\\d{4})-\\d{4}$")
    if "perl operator: (?>" in error or any(q in error for q in ("++", "*+", "?+", "}+")):
        return _(
            "atomic groups (?>...) and possessive quantifiers (a++) are not needed: "
            "RE2 never backtracks; drop the ?> or the second +"
        )
    if "pattern too large" in error:
        said = _("too large a pattern; use smaller repeat counts, e.g. {example} ({error})")
        return said.format(example="{8,19}", error=error)
    said = _("not a valid pattern ({error}); see {page}")
    return said.format(error=error, page="https://github.com/google/re2/wiki/Syntax")


def _shown(regex: str) -> str:
    """The pattern as the config file holds it, between the single quotes of a TOML literal
    string: `'^(\\d{12}$'`, not repr's doubled backslashes, which the person never wrote
    (issue 19). A character no one types (a tab, a new line) shows as its escape."""
    text = regex if len(regex) <= 60 else regex[:57] + "..."
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"


@functools.lru_cache(maxsize=64)
def compile_pattern(spec: SerialPattern) -> CompiledPattern:
    """The pattern ready to match, or PatternError saying why it is refused and what to
    write instead. Compiled once: the config's validation compiles each pattern, and the
    till's patterns are these same ones (issue 20.4: they were compiled three times)."""
    try:
        compiled = re2.compile(spec.regex, _options())
    except re2.error as exc:
        error = exc.args[0] if exc.args else ""
        text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        said = _("{regex}: {why}; {engine}").format(
            regex=_shown(spec.regex), why=_instead(spec.regex, text), engine=_(ENGINE)
        )
        raise PatternError(said) from exc
    if compiled.groups < 1:
        said = _("{regex} has no capture group: put the serial in parentheses, e.g. {example}")
        raise PatternError(said.format(regex=_shown(spec.regex), example=r"^SVS_GC-(\d{15})$"))
    pin_problem = _pin_problem(spec, dict(compiled.groupindex), compiled.groups)
    if pin_problem is not None:
        raise PatternError(pin_problem)
    if compiled.programsize > MAX_PROGRAM_SIZE:
        said = _(
            "{regex} is too large a pattern ({steps} steps, at most {most}): use smaller "
            "repeat counts, e.g. {good} rather than {bad}"
        )
        raise PatternError(
            said.format(
                regex=_shown(spec.regex),
                steps=compiled.programsize,
                most=MAX_PROGRAM_SIZE,
                good="{8,19}",
                bad="{1,999}",
            )
        )
    return CompiledPattern(spec, compiled)


@dataclass(frozen=True, slots=True)
class SerialPatterns:
    """The store's ordered patterns, compiled and checked."""

    patterns: tuple[CompiledPattern, ...]
    # The last scan and what it gave: one scan is asked about by the key router (is it a
    # card?), the till and the terminal in turn, and is run through the patterns once
    # (issue 20.4). One tuple, swapped whole: the worker's look-up and the Tk thread's next
    # scan may ask at once.
    _last: tuple[str, Extraction] | None = field(
        default=None, init=False, compare=False, repr=False
    )

    @classmethod
    def load(cls, specs: Iterable[SerialPattern]) -> SerialPatterns:
        """The store's patterns, one object for one config's: the window's key router and
        till and the terminal load the same specs and share it, and with it the last scan's
        answer (issue 20.4)."""
        return _loaded(tuple(specs))

    def extract(self, raw: str) -> Extraction:
        """The card the scan names, or why it names none (a pure function of the scan)."""
        last = self._last
        if last is not None and last[0] == raw:
            return last[1]
        found = self._extract(raw)
        object.__setattr__(self, "_last", (raw, found))  # a memo, not state: frozen otherwise
        return found

    def _extract(self, raw: str) -> Extraction:
        text = clean(raw)
        if not text:
            return NoMatch(_("The scan was empty: scan the card again"))
        if len(text) > MAX_SCAN_LENGTH:
            said = _(
                "The scan is too long ({length} characters, at most {most}): this is not a "
                "gift card"
            )
            return NoMatch(said.format(length=len(text), most=MAX_SCAN_LENGTH))
        for pattern in self.patterns:
            found = pattern.extract(text)
            if found is not None:
                return found
        if not self.patterns:
            return NoMatch(_("No card patterns are configured: ask the manager to add one"))
        if self._layout_problem(text):
            return NoMatch(_(LAYOUT_PROBLEM))
        names = ", ".join(p.spec.name for p in self.patterns)
        words = _("This is not a gift card this store knows (tried: {names})").format(names=names)
        # A partial or garbled scan of a known card: say what it lacks, as `posapp pattern`
        # does ("SVS gift card: needs 15 digits after SVS_GC-, got 5").
        # Loaded on the first scan that matches no pattern, not at the till's start.
        from posapp.core.nearmiss import closest

        near = closest((p.spec for p in self.patterns), text)
        if near is not None and near.reached > 0:
            words = _("{words}. Closest: {near}").format(words=words, near=near)
        return NoMatch(words)

    def _layout_problem(self, text: str) -> bool:
        """A card's scan that a keyboard layout's swaps changed on its way through a wedge
        scanner (issue 25: on a German layout "SVS_GC-" arrives "SVS?GCß"). Case is left
        out (the patterns ignore it, so Caps Lock alone never makes a scan miss), and so is
        a text longer than any card's: each layout read back is one more match of the scan,
        which stays well under 1 ms (issue 13, tests/core/test_serials.py)."""
        from posapp.core.keyboard_layouts import LAYOUTS, undone

        if len(text) > LAYOUT_SCAN_LENGTH:
            return False
        tried = {undone(layout, text) for layout in LAYOUTS} - {None, text}
        return any(p.compiled.fullmatch(sent) for sent in tried for p in self.patterns)


@functools.lru_cache(maxsize=8)
def _loaded(specs: tuple[SerialPattern, ...]) -> SerialPatterns:
    return SerialPatterns(tuple(compile_pattern(s) for s in specs))


def ascii_note(text: str) -> str | None:
    """For the pattern tester: a scan with digits or letters outside ASCII, which \\d and \\w
    in patterns do not match (Arabic-Indic digits, full-width letters)."""
    odd = sorted({ch for ch in text if not ch.isascii() and (ch.isalnum() or ch.isdigit())})
    if not odd:
        return None
    said = _("The scan holds {odd}, not ASCII: {engine}")
    return said.format(odd=repr("".join(odd[:8])), engine=_(ENGINE))
