"""The gift cards screen's changes that are not money: enable or disable, and the expiry,
each confirmed in words and said when done (the second trial, demo #4: Enable / disable
flipped a card holding money at once, with no confirm and no word; a bad expiry showed
"expires_at is not a real date and time" and closed the dialog, the typing lost)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from posapp.core.gift import Gift
from posapp.core.glossary import count
from posapp.core.glossary import day as glossary_day
from posapp.core.money import format_money
from posapp.core.serial_number import short
from posapp.i18n import N_, _, language
from posapp.terminal.ports import GiftCardAdmin
from posapp.ui.forms import FormOverlay
from posapp.ui.screen import Screen

# The gift cards screen's change: its words, the call, the card, what to say once done.
Change = Callable[[str, Callable[[], object], Gift, str], None]

EXPIRY = N_("Expires (YYYY-MM-DD, empty: never)")  # a form's label: ui/forms.py says it


def toggle(screen: Screen, change: Change, gift: Gift, admin: GiftCardAdmin) -> FormOverlay:
    """The confirm of a card disabled (it cannot be spent) or enabled (it can again)."""
    enable = gift.status == "disabled"
    card = short(gift.code)
    held = (  # what it holds, spendable or not (a disabled card's eligible value is 0)
        count(gift.item_quantity or 0, gift.item_label or _("item"))
        if gift.kind == "item"
        else format_money(gift.balance or 0, gift.currency, screen.window.locale)
    )
    if enable:
        words = _("Enable {card}: its {amount} can be spent again")
        done = _("Enabled {card}: its {amount} can be spent again.")
    else:
        words = _("Disable {card}: its {amount} cannot be spent until it is enabled")
        done = _("Disabled {card}: its {amount} cannot be spent until it is enabled again.")
    words, done = (w.format(card=card, amount=held) for w in (words, done))

    def ok(_values: dict[str, Any]) -> str | None:
        change(
            _("Saving…"),
            lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), enabled=enable),
            gift,
            done,
        )
        return None

    ok_words = (_("Enable {card}") if enable else _("Disable {card}")).format(card=card)
    return FormOverlay(screen, words, [], ok, ok_words=lambda _values: ok_words)


def expiry(screen: Screen, change: Change, gift: Gift, admin: GiftCardAdmin) -> FormOverlay:
    """The expiry form: a day that is not one is said in words on the form, which stays
    open with what was typed."""
    card = short(gift.code)

    def ok(values: dict[str, Any]) -> str | None:
        typed = values[EXPIRY].strip()
        try:
            day = date.fromisoformat(typed) if typed else None
        except ValueError:
            return _("“{typed}” is not a day: type it as YYYY-MM-DD, like 2027-12-31").format(
                typed=typed
            )
        when = f"{day.isoformat()}T23:59:59Z" if day else None
        said = (
            _("{card} now expires at the end of {day}.").format(card=card, day=_day(day))
            if day
            else ""
        )
        change(
            _("Saving…"),
            lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), expires_at=when),
            gift,
            said or _("{card} no longer expires.").format(card=card),
        )
        return None

    title = _("Expiry of {card}").format(card=gift.code)
    return FormOverlay(screen, title, [(EXPIRY, "text")], ok)


def _day(day: date) -> str:
    """ "31 Dec 2027" as the form said it (with a zero: "05 Dec"); another language's, Babel's."""
    return (
        f"{day:%d %b %Y}"
        if language() == "en"
        else glossary_day(datetime(day.year, day.month, day.day))
    )
