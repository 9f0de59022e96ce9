"""The gift cards screen's changes that are not money: enable or disable, and the expiry,
each confirmed in words and said when done (the second trial, demo #4: Enable / disable
flipped a card holding money at once, with no confirm and no word; a bad expiry showed
"expires_at is not a real date and time" and closed the dialog, the typing lost)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from posapp.core.gift import Gift
from posapp.core.glossary import count
from posapp.core.money import format_money
from posapp.core.serial_number import short
from posapp.terminal.ports import GiftCardAdmin
from posapp.ui.forms import FormOverlay
from posapp.ui.screen import Screen

# The gift cards screen's change: its words, the call, the card, what to say once done.
Change = Callable[[str, Callable[[], object], Gift, str], None]

EXPIRY = "Expires (YYYY-MM-DD, empty: never)"


def toggle(screen: Screen, change: Change, gift: Gift, admin: GiftCardAdmin) -> FormOverlay:
    """The confirm of a card disabled (it cannot be spent) or enabled (it can again)."""
    enable = gift.status == "disabled"
    card = short(gift.code)
    held = (  # what it holds, spendable or not (a disabled card's eligible value is 0)
        count(gift.item_quantity or 0, gift.item_label or "item")
        if gift.kind == "item"
        else format_money(gift.balance or 0, gift.currency, screen.window.locale)
    )
    if enable:
        words = f"Enable {card}: its {held} can be spent again"
        done = f"Enabled {card}: its {held} can be spent again."
    else:
        words = f"Disable {card}: its {held} cannot be spent until it is enabled"
        done = f"Disabled {card}: its {held} cannot be spent until it is enabled again."

    def ok(_values: dict[str, Any]) -> str | None:
        change(
            "Saving…",
            lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), enabled=enable),
            gift,
            done,
        )
        return None

    ok_words = f"{'Enable' if enable else 'Disable'} {card}"
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
            return f"“{typed}” is not a day: type it as YYYY-MM-DD, like 2027-12-31"
        when = f"{day.isoformat()}T23:59:59Z" if day else None
        said = f"{card} now expires at the end of {day:%d %b %Y}." if day else ""
        change(
            "Saving…",
            lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), expires_at=when),
            gift,
            said or f"{card} no longer expires.",
        )
        return None

    return FormOverlay(screen, f"Expiry of {gift.code}", [(EXPIRY, "text")], ok)
