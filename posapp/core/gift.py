"""What the terminal knows of a gift card and of a transaction: value types, no I/O.

The names follow api.md (and through it the seeds): eligible_value, present_value_description.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from posapp.core.glossary import day
from posapp.core.money import format_money
from posapp.i18n import N_, _

Kind = Literal["monetary", "item"]

# Each translated where it is said: _(NOT_SOLD_YET).
NOT_SOLD_YET = N_("This card is not sold yet: F5 sells it")
# A card the provider does not know, scanned outside F5. A new card off the shelf is one,
# so the words say how to sell it; the rest is for a card the customer says holds money
# (the demo trial, 11: "Gift card not found" read as a bad card, scanned again and again).
UNKNOWN_CARD = N_(
    "This card is not sold yet: F5 sells it. If the customer says it holds money, scan it "
    "again or check its code"
)
NOT_REDEEMABLE_WORDS = {
    "canceled": N_("This card was canceled"),
    "disabled": N_("This card is disabled"),
    "depleted": N_("This card is used up"),
    "empty": N_("Nothing to spend on this card"),
    "location_not_allowed": N_("This card is not valid at this location"),
    # Square's PENDING and BLOCKED states (posapp/adapters/square.py)
    "not_activated": NOT_SOLD_YET,
    "blocked": N_("This card is blocked for now: the store's Square account can unblock it"),
}


@dataclass(frozen=True, slots=True)
class Gift:
    id: str
    code: str
    kind: Kind
    currency: str
    balance: int | None
    item_label: str | None
    item_quantity: int | None
    status: str
    is_redeemable: bool
    not_redeemable_reason: str | None
    eligible_value: int
    eligible_item_quantity: int
    present_value_description: str
    promotional: bool
    usable_at: datetime
    expires_at: datetime | None
    # api.md: a cash-out takes all the balance and disables the card. True when the
    # provider's transactions say a cash-out did that to this card (Terminal reads them).
    cashed_out: bool = False

    def why_not_redeemable(self) -> str | None:
        """In words a cashier can say to the customer, or None when the card can pay."""
        reason = self.not_redeemable_reason
        if self.is_redeemable or reason is None:
            return None
        if self.cashed_out:
            return _("This card was paid out in cash and is closed")
        # Dates as the panel says them ("5 Nov 2026", core/glossary.day), not "05 Nov 2026".
        if reason == "expired" and self.expires_at is not None:
            return _("This card expired on {day}").format(day=day(self.expires_at))
        if reason == "not_yet_usable":
            return _("This card cannot be used before {day}").format(day=day(self.usable_at))
        return _(NOT_REDEEMABLE_WORDS.get(reason, N_("This card cannot be used")))

    def left(self, locale: str = "en_US") -> str:
        if self.kind == "item":
            return f"{self.eligible_item_quantity} x {self.item_label}"
        return format_money(self.eligible_value, self.currency, locale)


@dataclass(frozen=True, slots=True)
class Transaction:
    id: str
    type: str
    gift_id: str
    location_id: str
    amount: int | None
    quantity: int | None
    currency: str
    balance_after: int | None
    item_quantity_after: int | None
    reference: str | None
    state: str
    reverses: str | None
    created_at: datetime
    # The till's reference the provider kept with it (api.md; Square's reference_id), when
    # the provider says it.
    client_reference: str | None = None


@dataclass(frozen=True, slots=True)
class Movement:
    """A provider's answer to a money movement: the transaction and the gift after it."""

    transaction: Transaction
    gift: Gift
    reversed: Transaction | None = None
    # The provider's answer as it came (its body), kept in the journal when it does not add
    # up (core/answer.py), for the manager to read.
    raw: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class GiftCardConfig:
    """GET /v1/gift-card-config."""

    currency: str
    cash_out_enabled: bool
    cash_out_max: int | None
    store_name: str | None = None  # the provider's name for the store, where it says one


CASH_OUTS = frozenset({"gift_card_cash_out", "cash_out"})  # the provider's name, the journal's


def may_be_cashed_out(gift: Gift) -> bool:
    """api.md: a cash-out takes all the balance and disables the card. Only a disabled
    monetary card with nothing on it can be one a cash-out closed."""
    return gift.status == "disabled" and gift.kind == "monetary" and not gift.balance


def closed_by_cash_out(gift: Gift, transactions: list[Transaction]) -> Gift:
    """The card, read as cashed out (not "disabled") when its own transactions hold a
    cash-out that stands (a reversal would have enabled the card again)."""
    if may_be_cashed_out(gift) and any(
        t.type in CASH_OUTS and t.state == "completed" for t in transactions
    ):
        return replace(gift, cashed_out=True)
    return gift
