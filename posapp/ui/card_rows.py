"""The gift cards screen's list (ui/cards.py) in words: a card's row, and what the list
shows under it ("Cards 1–10 (codes ending in 0001): Page ▶ shows more")."""

from __future__ import annotations

from posapp.core import glossary
from posapp.core.gift import Gift
from posapp.core.money import format_money
from posapp.i18n import _
from posapp.terminal import gift_cards


def card_row(g: Gift, locale: str) -> tuple[str, ...]:
    """Code, status, balance, expiry."""
    balance = (
        glossary.count(g.item_quantity or 0, g.item_label or _("item"))
        if g.kind == "item"
        else format_money(g.balance or 0, g.currency, locale)
    )
    expires = f"{g.expires_at:%Y-%m-%d}" if g.expires_at else "—"
    # A card a cash-out closed says so, not "Disabled" (issue 19.15); one valid at another
    # shop only, not "Active" (the second trial: the provider says it for this location).
    other = g.status == "active" and g.not_redeemable_reason == "location_not_allowed"
    state = "location_not_allowed" if other else g.status
    status = _(glossary.CASHED_OUT) if g.cashed_out else glossary.GIFT_STATUS.get(state, state)
    if state == "not_yet_usable":  # from when (the demo retrial, 59: no date)
        status = _("Not usable until {day}").format(day=glossary.day(g.usable_at))
    return (g.code, status, balance, expires)


def listed(found: gift_cards.Page, what: str, page: int) -> str:
    """How many cards the list shows, of which search (`what`), on which page."""
    n = len(found.cards)
    if not n and what:
        return _("No card found ({what}): the canceled ones were searched too").format(what=what)
    if not n:
        return _("No card found")
    first = (page - 1) * gift_cards.PAGE + 1
    said = {"first": first, "last": first + n - 1, "what": what}
    if what and found.more:
        return _("Cards {first}–{last} ({what}): Page ▶ shows more").format(**said)
    if what:
        return _("Cards {first}–{last} ({what})").format(**said)
    if found.more:
        return _("Cards {first}–{last}: Page ▶ shows more").format(**said)
    return _("Cards {first}–{last}").format(**said)


def coded(code: str) -> str:
    """The search that found one card, as the list names it: "code 500000000000001"."""
    return _("code {code}").format(code=code)
