"""A manager's settings changes, in words: what the journal keeps of each, the log's line and
the X and Z reports' section (the store trial of 6 Dec 2026: the PIN taken off cash-outs on
the settings screen left no trace but the rewritten file; a manager's money changes are
reported in detail, core/adjustment.py). Pure.

A change is one key of config.md: when, who (the name the till was signed in with, or "outside
the till" for a hand edit found at the next start), the value before and after in words. A
secret (the manager PIN's hash) is never kept or said: "changed" only.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from posapp.core import glossary
from posapp.core.receipt import Line
from posapp.core.sign_in import said_who
from posapp.i18n import _

# config.md's keys whose value is a secret: compared by a fingerprint, said as "changed".
SECRET_KEYS = frozenset({"manager.pin_hash"})
OUTSIDE = "outside the till"  # who changed a setting found changed in the file at a start
# A value's lines, indented, fit 58 mm paper (32 columns; core/adjustment.py's reasons).
WIDTH = 31


@dataclass(frozen=True, slots=True)
class SettingChange:
    at: float  # when it was saved, or when a change made outside the till was found
    who: str  # manager_who's words, or OUTSIDE
    key: str  # config.md's "manager.require_pin_for", or a table's "patterns"
    before: str | None  # in words; None for a secret
    after: str | None

    @property
    def outside(self) -> bool:
        return self.who == OUTSIDE

    @property
    def name(self) -> str:
        """The setting as the settings screen names it."""
        return glossary.SETTING.get(self.key) or glossary.SETTING_SECTION.get(self.key, self.key)

    @property
    def values(self) -> str:
        """ "none to Pay a card out in cash", or "changed" for a secret."""
        if self.before is None or self.after is None:
            return "changed"
        return f"{_shown(self.before)} to {_shown(self.after)}"


def _shown(words: str) -> str:
    return f'"{words}"' if words else "(none)"


def _said(words: str) -> str:
    """`_shown` in the language on screen (the log keeps English)."""
    return f'"{words}"' if words else _("(none)")


def differences(
    before: Mapping[str, str], after: Mapping[str, str], *, at: float, who: str
) -> list[SettingChange]:
    """The keys whose words differ, in the order the settings have them; a secret's words
    (a fingerprint) are not kept."""
    found = []
    for key in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(key, ""), after.get(key, "")
        if old == new:
            continue
        secret = key in SECRET_KEYS
        found.append(SettingChange(at, who, key, None if secret else old, None if secret else new))
    return found


def log_line(change: SettingChange) -> str:
    """The log's line for it (no secret: a PIN's is "changed")."""
    how = "outside the till (found now)" if change.outside else f"by {change.who}"
    return f"setting changed {how}: {change.name} ({change.key}): {change.values}"


def report_lines(changes: Iterable[SettingChange]) -> tuple[Line, ...]:
    """The X and Z reports' section of settings changes: how many, then each (which setting,
    when, before and after, who). None: no section."""
    listed = list(changes)
    if not listed:
        return ()
    lines = [Line(_("Settings changes ({count})").format(count=len(listed)), "", bold=True)]
    for change in listed:
        at = datetime.fromtimestamp(change.at)
        lines += _wrapped(f"{at:%H:%M} {change.name}", 3, first="")
        if change.before is None or change.after is None:
            lines += _wrapped(_("changed"), 1)
        else:  # each on its own lines: a long list's "now" is not cut off by its "was"
            lines += _wrapped(_("was {value}").format(value=_said(change.before)), 6)
            lines += _wrapped(_("now {value}").format(value=_said(change.after)), 6)
        if change.outside:
            lines += _wrapped(_("changed outside the till (found at the start)"), 2)
        else:
            lines += _wrapped(_("by {who}").format(who=said_who(change.who)), 3)
    return tuple(lines)


def _wrapped(words: str, most: int, first: str = "  ") -> list[Line]:
    """Words as a report's indented lines, each fitting 58 mm paper."""
    parts = textwrap.wrap(
        words,
        WIDTH,
        initial_indent=first,
        subsequent_indent="    ",
        max_lines=most,
        placeholder=" …",
    )
    return [Line(part, "") for part in parts]
