"""Who was signed in at the till from when, in a report's words, and who made a manager's
change. Pure: the journal keeps the sign-ins (posapp/adapters/sign_in_record.py).

Issue 19, the second trial: the X and Z reports said "Cashier not known" after a restart for
a time whose receipts all said "Ann", and Bea's sign-in was lost at the next start; a
manager's change read "by Ann", the cashier signed in, though the manager's PIN approved it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Literal

from posapp.core.receipt import Line
from posapp.i18n import N_, _

How = Literal["start", "manager", "z_report"]
NO_NAME = (N_("Cashier not known"), N_("No cashier signed in"))  # lines without a name
# The shift opens as the terminal starts, a moment after or before its first sign-in.
START_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SignIn:
    at: float  # epoch seconds
    name: str  # "" when nobody is named
    how: How


def cashier_lines(sign_ins: list[SignIn], opened: datetime, tz: tzinfo | None) -> list[Line]:
    """Who was signed in during a shift, and from when ("Cashier Dana from 20:08"): the
    sign-in in force when it opened counts from its opening; with none (a journal from
    before sign-ins were kept), "Cashier not known" until the first one."""
    lines: list[Line] = []
    shown = opened.astimezone(tz)
    kept = list(sign_ins)
    if not kept or datetime.fromtimestamp(kept[0].at, opened.tzinfo) - opened > START_TOLERANCE:
        lines.append(Line(_(NO_NAME[0]), _("from {at}").format(at=f"{shown:%H:%M}")))
    for sign_in in kept:
        if not sign_in.name and lines and lines[-1].label in map(_, NO_NAME):
            continue  # still nobody named: the line above says so (one statement, 19.15)
        named = _("Cashier {name}").format(name=sign_in.name)
        if lines and lines[-1].label == named and sign_in.name:
            continue  # the same name again (a start with the config's name): nothing new
        since = max(datetime.fromtimestamp(sign_in.at, opened.tzinfo), opened).astimezone(tz)
        who = named if sign_in.name else _(NO_NAME[1])
        lines.append(Line(who, _("from {at}").format(at=f"{since:%H:%M}")))
    return lines


def said_who(who: str) -> str:
    """`manager_who`'s words as the journal keeps them (English), in the language on screen
    and paper; words of another form (a journal of version 9 kept the name alone) as kept."""
    forms = (
        (r"manager PIN, cashier (?P<name>.+)", N_("manager PIN, cashier {name}")),
        (r"manager PIN, no cashier", N_("manager PIN, no cashier")),
        (r"cashier (?P<name>.+), no PIN asked", N_("cashier {name}, no PIN asked")),
        (r"no cashier, no PIN asked", N_("no cashier, no PIN asked")),
    )
    for pattern, words in forms:
        if found := re.fullmatch(pattern, who):
            return _(words).format(**found.groupdict())
    return who


def manager_who(cashier: str | None, *, pin: bool) -> str:
    """Who made a manager's change, as the journal keeps it and the reports print it ("by
    ..."). The till has one manager PIN, not a person's: it says the PIN approved it, and
    whose name the till was signed in with then."""
    if pin:
        return f"manager PIN, cashier {cashier}" if cashier else "manager PIN, no cashier"
    return f"cashier {cashier}, no PIN asked" if cashier else "no cashier, no PIN asked"
