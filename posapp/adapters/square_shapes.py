"""Square's answers as the terminal's value types, and its errors as a cashier's words: the
pure half of the Square adapter (posapp/adapters/square.py). Shapes per Square's OpenAPI
specification (square/connect-api-specification, api.json): GiftCard, GiftCardActivity,
Error, ListGiftCardActivitiesResponse, RetrieveLocationResponse.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from posapp.adapters.bounded_http import Answer
from posapp.core.gift import UNKNOWN_CARD, Gift, Transaction
from posapp.core.json_value import JsonObject
from posapp.core.money import format_money
from posapp.i18n import N_, _
from posapp.terminal.ports import Declined


class _Square(BaseModel):
    model_config = ConfigDict(extra="ignore")  # Square adds fields between versions


class Money(_Square):
    amount: int
    currency: str


class GiftCard(_Square):
    id: str
    type: str
    state: str
    gan: str
    balance_money: Money
    created_at: str | None = None


class Activity(_Square):
    id: str
    type: str
    location_id: str
    created_at: str
    gift_card_id: str
    gift_card_gan: str | None = None
    gift_card_balance_money: Money
    redeem_activity_details: dict[str, Any] | None = None
    activate_activity_details: dict[str, Any] | None = None
    adjust_increment_activity_details: dict[str, Any] | None = None
    refund_activity_details: dict[str, Any] | None = None
    adjust_decrement_activity_details: dict[str, Any] | None = None
    clear_balance_activity_details: dict[str, Any] | None = None


class CardAnswer(_Square):
    gift_card: GiftCard


class ActivityAnswer(_Square):
    gift_card_activity: Activity


class ActivityPage(_Square):
    gift_card_activities: list[Activity] = []
    cursor: str | None = None


class LocationAnswer(_Square):
    class Location(_Square):
        id: str
        currency: str

    location: Location


# Square's card state (GiftCardStatus) -> our status and why it cannot pay (core/gift.py
# has the cashier's sentence for each reason). ACTIVE with a zero balance is "depleted".
STATES = {
    "PENDING": ("not_yet_usable", "not_activated", "Not activated yet"),
    "BLOCKED": ("disabled", "blocked", "Blocked"),
    "DEACTIVATED": ("canceled", "canceled", "Deactivated"),
}
# How the Square adapter voids a card sold or issued: the activation's amount taken off,
# "because the order used to purchase ... the gift card was refunded" (Square's
# GiftCardActivityAdjustDecrementReason). DEACTIVATE cannot say so: its one reason the API
# takes is SUSPICIOUS_ACTIVITY.
VOID_REASON = "PURCHASE_WAS_REFUNDED"
# Square's activity types -> api.md's transaction types, for reports and reconciliation.
TYPES = {
    "REDEEM": "redemption",
    "ACTIVATE": "activation",
    "CLEAR_BALANCE": "gift_card_cash_out",
    "REFUND": "reversal",  # a redemption given back (how the terminal reverses one)
}
# Square's error codes that are one of ours (api.md's codes, so the terminal's words and
# checks work); the others keep Square's code, lower-cased.
CODES = {
    "NOT_FOUND": "gift_not_found",
    "INSUFFICIENT_FUNDS": "insufficient_balance",
    "UNAUTHORIZED": "unauthorized",
    "ACCESS_TOKEN_EXPIRED": "unauthorized",
    "ACCESS_TOKEN_REVOKED": "unauthorized",
    "FORBIDDEN": "forbidden",
    "INSUFFICIENT_SCOPES": "forbidden",
    "RATE_LIMITED": "rate_limited",
}
WORDS = {
    "gift_not_found": UNKNOWN_CARD,
    "insufficient_balance": N_("The card does not have that much left: check it again"),
    "unauthorized": N_(
        "Square refused this terminal's access token: the manager sets it with `posapp set-token`"
    ),
    "forbidden": N_(
        "Square's access token may not do that: it needs GIFTCARDS_READ, "
        "GIFTCARDS_WRITE and MERCHANT_PROFILE_READ"
    ),
    "rate_limited": N_("Square is busy (too many requests): try again in a moment"),
    "currency_mismatch": N_("The card is in another currency than this location"),
}
# The statuses Square answers a refused request with (its `errors` list): nothing happened.
# 429 and 5xx are retried with the same key and, past the deadline, left unknown.
DECLINE_STATUSES = frozenset({400, 401, 403, 404})


class ReadRefused(Declined):
    """A read's refusal: nothing changed by the read, but it says nothing of a money call."""


def square_errors(answer: Answer) -> list[JsonObject] | None:
    """Square's `errors` list, or None when the answer is not one of Square's."""
    if answer.media_type != "application/json":
        return None
    try:
        body = json.loads(answer.content)
    except ValueError:
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list) or not errors:
        return None
    if not all(isinstance(e, dict) and isinstance(e.get("code"), str) for e in errors):
        return None
    return errors


def declined(errors: list[JsonObject]) -> Declined:
    first = errors[0]
    said = str(first["code"])  # a str: square_errors checked it
    code = CODES.get(said, said.lower())
    known = WORDS.get(code)
    if known:
        words = _(known)
    else:
        words = str(first.get("detail") or _("Square refused: {code}").format(code=said))
    return Declined(words, code, {"errors": errors})


def _time(text: str | None) -> datetime:
    if not text:
        return datetime.min
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def to_gift(card: GiftCard, locale: str = "en_US") -> Gift:
    balance = card.balance_money.amount
    if card.state == "ACTIVE":
        usable = balance > 0
        status, reason = ("active", None) if usable else ("depleted", "depleted")
        said = f"{format_money(balance, card.balance_money.currency, locale)} available"
        description = said if usable else "Used up"
    else:
        status, reason, description = STATES.get(
            card.state, ("disabled", card.state.lower(), card.state.title())
        )
    return Gift(
        id=card.id,
        code=card.gan,
        kind="monetary",
        currency=card.balance_money.currency,
        balance=balance,
        item_label=None,
        item_quantity=None,
        status=status,
        is_redeemable=status == "active",
        not_redeemable_reason=reason,
        eligible_value=balance if status == "active" else 0,
        eligible_item_quantity=0,
        present_value_description=description,
        promotional=False,
        usable_at=_time(card.created_at),
        expires_at=None,  # Square's gift cards do not expire
    )


def to_transaction(
    activity: Activity, *, amount: int | None = None, reverses: str | None = None
) -> Transaction:
    details = (
        activity.redeem_activity_details
        or activity.activate_activity_details
        or activity.adjust_increment_activity_details
        or activity.refund_activity_details
        or activity.adjust_decrement_activity_details
        or {}
    )
    kind = TYPES.get(activity.type, "adjustment")
    if activity.type == "ADJUST_INCREMENT" and details.get("reason") == "TRANSACTION_VOIDED":
        kind = "reversal"
    if activity.type == "ADJUST_DECREMENT" and details.get("reason") == VOID_REASON:
        kind = "reversal"  # a card sold or issued, voided (posapp/adapters/square.py)
    money = details.get("amount_money") or {}
    balance = activity.gift_card_balance_money
    return Transaction(
        id=activity.id,
        type=kind,
        gift_id=activity.gift_card_id,
        location_id=activity.location_id,
        amount=money.get("amount", amount),
        quantity=None,
        # The amount's own currency where the activity says it: an answer in another
        # currency than asked must not pass for ours (core/answer.py).
        currency=money.get("currency") or balance.currency,
        balance_after=balance.amount,
        item_quantity_after=None,
        reference=details.get("reference_id"),
        state="completed",
        reverses=details.get("redeem_activity_id") or reverses,
        created_at=_time(activity.created_at),
        client_reference=details.get("reference_id"),
    )
