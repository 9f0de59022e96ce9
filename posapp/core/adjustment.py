"""A manager's money changes at the till, in words: the shift list's line, the X and Z
reports' section apart from sales (issue 19.2; api.md "Manager changes"); reconciliation
matches them with the provider's `adjustment` transactions (core/reports.py). Pure.

A manager change is a journal entry like a movement (its intent and key first, then the
provider's answer): a balance set, a card created with a balance, a card canceled while it
held money. Enabling or disabling a card, or its expiry, moves no money: the provider writes
no transaction for them, so they are not journalled as money (api.md says so).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from datetime import datetime

from posapp.core.entry import Entry
from posapp.core.glossary import Words
from posapp.core.money import format_money
from posapp.core.receipt import Line
from posapp.core.serial_number import short
from posapp.core.sign_in import said_who
from posapp.i18n import N_, _

# The journal's operations for them (core/intent.py), and how each reads.
CHANGES = Words(
    {
        "adjustment": N_("Balance set"),
        "card_created": N_("Card created"),
        "card_canceled": N_("Card canceled"),
    }
)
# A reason's lines, indented, fit 58 mm paper: 32 columns, a label takes 31 beside no value.
REASON_WIDTH = 31


def is_change(entry: Entry) -> bool:
    return entry.operation in CHANGES


def before_after(entry: Entry) -> tuple[int, int]:
    """What the card held before (as the manager saw it) and after: the provider's answer
    once it came, else what was asked (a canceled card holds nothing)."""
    before = entry.balance_before or 0
    if entry.balance_after is not None and entry.moved_money:
        return before, entry.balance_after
    if entry.operation == "card_canceled":
        return before, 0
    return before, entry.intent.balance or 0


def change(entry: Entry) -> int:
    """The signed change of what the card holds."""
    before, after = before_after(entry)
    return after - before


def signed(minor: int, currency: str, locale: str) -> str:
    """ "+$87.50", "-$40.00"."""
    shown = format_money(abs(minor), currency, locale)
    return f"-{shown}" if minor < 0 else f"+{shown}"


def shift_list_what(entry: Entry) -> str:
    """The shift list's words for it: short, to fit its column ("Balance set")."""
    return CHANGES[entry.operation]


def shift_list_amount(entry: Entry, locale: str) -> str:
    """The shift list's amount column for a manager change: what it changed, signed."""
    return signed(change(entry), entry.currency, locale)


def report_lines(changes: Iterable[Entry], currency: str, locale: str) -> tuple[Line, ...]:
    """The X and Z reports' section of manager changes, apart from sales: how many and their
    net, then each (which card, when, before and after, who, why). Declined ones changed
    nothing and are counted with the declined; one not confirmed yet says so. None: no
    section."""
    listed = [e for e in changes if e.moved_money or e.to_settle]
    if not listed:
        return ()
    net = sum(change(e) for e in listed if e.moved_money)
    heading = _("Manager changes ({count})").format(count=len(listed))
    lines = [Line(heading, signed(net, currency, locale), bold=True)]
    for entry in listed:
        before, after = before_after(entry)
        at = datetime.fromtimestamp(entry.created_at)
        what = _("{change} {card} at {at}").format(
            change=CHANGES[entry.operation], card=short(entry.code), at=f"{at:%H:%M}"
        )
        lines.append(Line(what, ""))
        money = _("{before} to {after}").format(
            before=format_money(before, entry.currency, locale),
            after=format_money(after, entry.currency, locale),
        )
        lines.append(Line(f"  {money}", ""))
        # Who: the manager's PIN and the name the till was signed in with (core/sign_in.py);
        # an entry of journal version 9 kept the name alone.
        who = said_who(entry.who) if entry.who else ""
        by = _("by {who}").format(who=who) if who else _("no cashier signed in")
        lines += _wrapped(by, 3)
        reason = (entry.intent.reason or "").strip()
        if reason:
            lines += _wrapped(_("Reason: {reason}").format(reason=reason), 4)
        if entry.to_settle:
            lines.append(Line("  " + _("not confirmed yet"), ""))
    return tuple(lines)


def _wrapped(words: str, most: int) -> list[Line]:
    """Words as a report's indented lines, each fitting 58 mm paper."""
    parts = textwrap.wrap(
        words,
        REASON_WIDTH,
        initial_indent="  ",
        subsequent_indent="    ",
        max_lines=most,
        placeholder=" …",
    )
    return [Line(part, "") for part in parts]
