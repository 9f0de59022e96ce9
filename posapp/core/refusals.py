"""What the terminal refuses before anything is sent (terminal/service.py), in words. Pure."""

from __future__ import annotations

from posapp.core.gift import Gift
from posapp.i18n import _


def only_left(gift: Gift, locale: str) -> str:
    return _("Only {amount} left on this card").format(amount=gift.left(locale))


def item_cash_out() -> str:
    return _("An item gift card cannot be paid out in cash")


def no_denomination(name: str) -> str:
    return _("No denomination {name} is set up").format(name=repr(name))


def not_an_email(email: str) -> str:
    return _("{email} is not an e-mail address").format(email=repr(email))
