"""The fake Square's gift card activities: made (ACTIVATE, REDEEM, adjustments, CLEAR_BALANCE,
DEACTIVATE, REFUND) and listed, by Square's rules (see app.py's docstring)."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from posapp.square_fake.wire import JsonObject, SquareError, now, time_of


class CardBook(Protocol):
    """What an activity needs of the fake: its cards, locations, currency and activities."""

    currency: str
    activities: list[JsonObject]

    def card_of(self, card_id: str | None, gan: str | None = None) -> JsonObject: ...

    def check_location(self, location_id: str) -> None: ...


def create(fake: CardBook, wanted: JsonObject) -> JsonObject:
    """A gift card activity made, as Square's CreateGiftCardActivity makes it."""
    fake.check_location(wanted["location_id"])
    kind = wanted["type"]
    details_name = f"{kind.lower()}_activity_details"
    details = wanted.get(details_name)
    made = (
        "ACTIVATE",
        "REDEEM",
        "ADJUST_INCREMENT",
        "ADJUST_DECREMENT",
        "CLEAR_BALANCE",
        "DEACTIVATE",
        "REFUND",
    )
    if kind not in made:
        raise SquareError(400, "BAD_REQUEST", f"This fake does not create {kind} activities")
    if details is None:
        field = f"gift_card_activity.{details_name}"
        raise SquareError(
            400,
            "MISSING_REQUIRED_PARAMETER",
            f"Missing required parameter `{field}`",
            field=field,
        )
    if not wanted.get("gift_card_id") and not wanted.get("gift_card_gan"):
        raise SquareError(
            400,
            "MISSING_REQUIRED_PARAMETER",
            "Give gift_card_id or gift_card_gan",
            field="gift_card_activity.gift_card_id",
        )
    card = fake.card_of(wanted.get("gift_card_id"), wanted.get("gift_card_gan"))
    amount = _amount(fake.currency, details, details_name)
    balance = card["balance_money"]["amount"]
    if kind == "ACTIVATE":
        if card["state"] != "PENDING":
            raise SquareError(400, "BAD_REQUEST", f"The gift card is {card['state']}, not PENDING")
        if not details.get("order_id") and not details.get("buyer_payment_instrument_ids"):
            field = f"gift_card_activity.{details_name}.buyer_payment_instrument_ids"
            raise SquareError(
                400,
                "MISSING_REQUIRED_PARAMETER",
                "Without an order, give the buyer's payment instruments",
                field=field,
            )
        card["state"], balance = "ACTIVE", balance + (amount or 0)
    elif card["state"] != "ACTIVE":
        raise SquareError(400, "BAD_REQUEST", f"The gift card is {card['state']}")
    elif kind == "REDEEM":
        assert amount is not None
        if amount > balance:
            raise SquareError(
                400,
                "INSUFFICIENT_FUNDS",
                "The gift card does not have enough funds.",
                "PAYMENT_METHOD_ERROR",
            )
        balance -= amount
        details = {**details, "status": "COMPLETED"}
    elif kind == "ADJUST_INCREMENT":
        balance += amount or 0
    elif kind == "REFUND":
        balance += _refundable(fake.activities, card, details, amount)
    elif kind == "ADJUST_DECREMENT":
        assert amount is not None  # the schema requires amount_money
        if amount > balance:  # Square's docs do not name the code: see the docstring
            raise SquareError(400, "BAD_REQUEST", "The gift card balance is too low")
        balance -= amount
    elif kind == "CLEAR_BALANCE":
        balance = 0
    else:
        card["state"] = "DEACTIVATED"
    card["balance_money"] = {"amount": balance, "currency": fake.currency}
    activity = {
        "id": "gcact_" + secrets.token_hex(16),
        "type": kind,
        "location_id": wanted["location_id"],
        "created_at": now(),
        "gift_card_id": card["id"],
        "gift_card_gan": card["gan"],
        "gift_card_balance_money": dict(card["balance_money"]),
        details_name: details,
    }
    fake.activities.append(activity)
    return {"gift_card_activity": activity}


def _refundable(
    activities: list[JsonObject],
    card: JsonObject,
    details: JsonObject,
    amount: int | None,
) -> int:
    """A REFUND made by a custom payment processing system names the REDEEM it gives
    back, on the same card (Square's GiftCardActivityRefund), for at most what that
    redemption took, less what was refunded of it before."""
    redeemed = next(
        (
            a
            for a in activities
            if a["id"] == details.get("redeem_activity_id") and a["type"] == "REDEEM"
        ),
        None,
    )
    if redeemed is None or redeemed["gift_card_id"] != card["id"]:
        raise SquareError(
            400,
            "BAD_REQUEST",
            "A REFUND names a REDEEM activity of the same gift card",
            field="gift_card_activity.refund_activity_details.redeem_activity_id",
        )
    if amount is None:
        raise SquareError(
            400,
            "MISSING_REQUIRED_PARAMETER",
            "A REFUND needs its amount_money",
            field="gift_card_activity.refund_activity_details.amount_money",
        )
    given = sum(
        a["refund_activity_details"]["amount_money"]["amount"]
        for a in activities
        if a["type"] == "REFUND"
        and a["refund_activity_details"].get("redeem_activity_id") == redeemed["id"]
    )
    if given + amount > redeemed["redeem_activity_details"]["amount_money"]["amount"]:
        raise SquareError(400, "BAD_REQUEST", "More than the redemption took")
    return amount


def _amount(currency: str, details: JsonObject, name: str) -> int | None:
    money = details.get("amount_money")
    if money is None:
        return None
    field = f"gift_card_activity.{name}.amount_money"
    if money.get("currency") != currency:
        raise SquareError(
            400,
            "CURRENCY_MISMATCH",
            f"The currency is {currency}",
            field=field + ".currency",
        )
    amount = money.get("amount")
    if not isinstance(amount, int) or amount <= 0:
        raise SquareError(
            400, "VALUE_TOO_LOW", "The amount must be above zero", field=field + ".amount"
        )
    return amount


def listed(activities: list[JsonObject], query: Mapping[str, str]) -> JsonObject:
    """Square's ListGiftCardActivities: filtered, newest first by default, paged by a cursor."""
    found = [
        a
        for a in activities
        if all(
            a[name] == query[name]
            for name in ("gift_card_id", "type", "location_id")
            if name in query
        )
        and time_of(query.get("begin_time"), datetime.min) <= time_of(a["created_at"])
        and time_of(a["created_at"]) <= time_of(query.get("end_time"), datetime.max)
    ]
    if query.get("sort_order", "DESC") == "DESC":
        found.reverse()
    limit = int(query.get("limit", 50))
    if not 1 <= limit <= 100:
        raise SquareError(400, "INVALID_VALUE", "limit is 1 to 100", field="limit")
    start = 0
    if "cursor" in query:
        try:
            start = int(base64.urlsafe_b64decode(query["cursor"]).decode())
        except ValueError as exc:
            raise SquareError(
                400, "INVALID_CURSOR", "The cursor is not valid", field="cursor"
            ) from exc
    page = found[start : start + limit]
    answer: JsonObject = {}
    if page:
        answer["gift_card_activities"] = page
    if start + limit < len(found):
        answer["cursor"] = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
    return answer
