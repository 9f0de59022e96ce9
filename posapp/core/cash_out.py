"""Whether the store pays this card out in cash, said before the manager's PIN is asked (the
second trial, till #10/J: F8 asked for the PIN and only then said "This store does not pay
gift cards out in cash", which the till knew already; the same for a card above the store's
cash-out limit; and the two refusals were logged differently). Pure: the till learns the
store's switch and limit from the provider (api.md, GET /v1/gift-card-config) as it watches
it, and the service asks again, fresh, before any cash-out is sent."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.core.gift import Gift, GiftCardConfig
from posapp.core.money import format_money
from posapp.i18n import N_, _

FORBIDDEN = N_(
    "This store does not pay gift cards out in cash: redeem the card instead. The manager "
    "can allow cash-out at the provider"
)


@dataclass(frozen=True, slots=True)
class CashOutPolicy:
    """The store's cash-out switch and limit (minor units; None: no limit)."""

    allowed: bool
    most: int | None


def policy_of(store: GiftCardConfig) -> CashOutPolicy:
    return CashOutPolicy(store.cash_out_enabled, store.cash_out_max)


def refusal(gift: Gift, policy: CashOutPolicy | None, locale: str) -> str | None:
    """Why this card is not paid out in cash, in words; None when it may be (or the store's
    policy is not known yet: the service asks the provider before sending)."""
    if policy is None:
        return None
    if not policy.allowed:
        return _(FORBIDDEN)
    if policy.most is not None and gift.eligible_value > policy.most:
        held = format_money(gift.eligible_value, gift.currency, locale)
        most = format_money(policy.most, gift.currency, locale)
        return _(
            "This card holds {held}, above the store's cash-out limit of {most}: it is not "
            "paid out in cash. Redeem it instead"
        ).format(held=held, most=most)
    return None
