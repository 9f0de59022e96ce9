"""A provider's problem (api.md "Errors") in a cashier's words, with what to do."""

from __future__ import annotations

from collections.abc import Mapping

from posapp.core.gift import UNKNOWN_CARD
from posapp.core.money import format_money
from posapp.i18n import _


def words(code: str, problem: Mapping[str, object], locale: str = "en_US") -> str:
    """A problem in a cashier's words, with what to do."""
    detail = str(problem.get("detail") or "")
    if code == "gift_not_found":
        return _(UNKNOWN_CARD)
    left = problem.get("eligible_value")
    if code == "insufficient_balance" and isinstance(left, int):
        currency = problem.get("currency", "")
        if isinstance(currency, str) and len(currency) == 3:
            said = _("Only {amount} left on this card")
            return said.format(amount=format_money(left, currency, locale))
    if code == "rate_limited":
        wait = problem.get("retry_after")
        if wait:
            return _("Too many unknown cards: try again in {seconds} s").format(seconds=wait)
        return _("Too many unknown cards: wait a minute")
    if code == "unauthorized":
        return _(
            "The provider refused this terminal's token: the manager sets it with "
            "`posapp set-token`"
        )
    if code == "forbidden":
        return _("This terminal's token may not do that: ask for a token with the right scope")
    if code == "cash_out_disabled":
        return _("This store does not pay gift cards out in cash")
    if code == "already_reversed":
        return _("This transaction was already reversed")
    return detail or _("The provider refused: {code}").format(code=code)
