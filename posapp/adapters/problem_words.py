"""A provider's problem (api.md "Errors") in a cashier's words, with what to do."""

from __future__ import annotations

from collections.abc import Mapping

from posapp.core.gift import UNKNOWN_CARD
from posapp.core.money import format_money


def words(code: str, problem: Mapping[str, object], locale: str = "en_US") -> str:
    """A problem in a cashier's words, with what to do."""
    detail = str(problem.get("detail") or "")
    if code == "gift_not_found":
        return UNKNOWN_CARD
    left = problem.get("eligible_value")
    if code == "insufficient_balance" and isinstance(left, int):
        currency = problem.get("currency", "")
        if isinstance(currency, str) and len(currency) == 3:
            return f"Only {format_money(left, currency, locale)} left on this card"
    if code == "rate_limited":
        wait = problem.get("retry_after")
        return (
            f"Too many unknown cards: try again in {wait} s"
            if wait
            else "Too many unknown cards: wait a minute"
        )
    if code == "unauthorized":
        return "The provider refused this terminal's token: the manager sets it with `posapp set-token`"
    if code == "forbidden":
        return "This terminal's token may not do that: ask for a token with the right scope"
    if code == "cash_out_disabled":
        return "This store does not pay gift cards out in cash"
    if code == "already_reversed":
        return "This transaction was already reversed"
    return detail or f"The provider refused: {code}"
