"""Square's Gift Cards API as a gift card provider (config.md: provider.api = "square").

Paths, bodies and answers follow Square's OpenAPI specification
(square/connect-api-specification, api.json, Square-Version below): GiftCards
(RetrieveGiftCardFromGAN, CreateGiftCard), GiftCardActivities (CreateGiftCardActivity,
ListGiftCardActivities) and Locations (RetrieveLocation, for the currency and `posapp check`).

How an intent becomes Square's activities:
- redemption: REDEEM with redeem_activity_details {amount_money, reference_id};
- reversal: ADJUST_INCREMENT, reason TRANSACTION_VOIDED, for the amount redeemed (an
  activity made through the API cannot be voided at Square);
- cash-out: the whole balance redeemed (provider.cash_out = "redeem") or CLEAR_BALANCE;
- activation: CreateGiftCard (PHYSICAL, the scanned GAN) when Square does not know the
  card, then ACTIVATE with {amount_money, reference_id, buyer_payment_instrument_ids};
- issue: CreateGiftCard (DIGITAL: Square makes the GAN), then ACTIVATE.
Our idempotency key is Square's `idempotency_key` (a card created on the way gets the key
with "-card": one key is one request at Square), and the `reference_id` of the activity, so
an activity whose key Square no longer remembers is found by its reference_id.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from posapp.adapters.bounded_http import Answer
from posapp.adapters.provider_http import UNKNOWN, ProviderHttp
from posapp.core.gift import Gift, Movement, StoreConfig, Transaction
from posapp.core.intent import Intent
from posapp.core.money import format_money
from posapp.terminal.ports import Declined, OutcomeUnknown

log = logging.getLogger("posapp.square")

# The one place the API version is pinned: the release of api.json this adapter and
# posapp/square_fake/gift_cards_spec.json were written against.
SQUARE_VERSION = "2025-08-20"
# Square wants the buyer's payment instruments on an ACTIVATE made without a Square order
# (GiftCardActivityActivate.buyer_payment_instrument_ids, for its compliance checks). The
# till takes the payment itself and has no Square instrument id: it names the till.
TILL_INSTRUMENT = "posapp-till"


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
# Square's activity types -> api.md's transaction types, for reports and reconciliation.
TYPES = {"REDEEM": "redemption", "ACTIVATE": "activation", "CLEAR_BALANCE": "gift_card_cash_out"}
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
    "gift_not_found": "Gift card not found: check the card, or scan it again",
    "insufficient_balance": "The card does not have that much left: check it again",
    "unauthorized": "Square refused this terminal's access token: the manager sets it with "
    "`posapp set-token`",
    "forbidden": "Square's access token may not do that: it needs GIFTCARDS_READ, "
    "GIFTCARDS_WRITE and MERCHANT_PROFILE_READ",
    "rate_limited": "Square is busy (too many requests): try again in a moment",
    "currency_mismatch": "The card is in another currency than this location",
}
# The statuses Square answers a refused request with (its `errors` list): nothing happened.
# 429 and 5xx are retried with the same key and, past the deadline, left unknown.
DECLINE_STATUSES = frozenset({400, 401, 403, 404})


class ReadRefused(Declined):
    """A read's refusal: nothing changed by the read, but it says nothing of a money call."""


def _errors(answer: Answer) -> list[dict[str, Any]] | None:
    """Square's `errors` list, or None when the answer is not one of Square's."""
    if answer.media_type != "application/json":
        return None
    import json

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


def declined(errors: list[dict[str, Any]]) -> Declined:
    first = errors[0]
    code = CODES.get(first["code"], first["code"].lower())
    words = WORDS.get(code) or str(first.get("detail") or f"Square refused: {first['code']}")
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
        or {}
    )
    kind = TYPES.get(activity.type, "adjustment")
    if activity.type == "ADJUST_INCREMENT" and details.get("reason") == "TRANSACTION_VOIDED":
        kind = "reversal"
    money = details.get("amount_money") or {}
    return Transaction(
        id=activity.id,
        type=kind,
        gift_id=activity.gift_card_id,
        location_id=activity.location_id,
        amount=money.get("amount", amount),
        quantity=None,
        currency=activity.gift_card_balance_money.currency,
        balance_after=activity.gift_card_balance_money.amount,
        item_quantity_after=None,
        reference=details.get("reference_id"),
        state="completed",
        reverses=reverses,
        created_at=_time(activity.created_at),
    )


class SquareClient(ProviderHttp):
    """The port (validate, send, transactions, config) over Square's Gift Cards API; the
    transport rules are ProviderHttp's, as for api.md."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        location_id: str,
        cash_out: str = "redeem",
        locale: str = "en_US",
        **http: Any,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}", "Square-Version": SQUARE_VERSION}
        super().__init__(base_url, headers, **http)
        self.location_id = location_id
        self.cash_out = cash_out
        self.locale = locale
        self._currency: str | None = None

    # --- Square's errors --------------------------------------------------------------------

    def _refusal(self, answer: Answer) -> Declined:
        errors = _errors(answer)
        if errors is None:
            return ReadRefused(f"Square refused (HTTP {answer.status})", "http_error", {})
        found = declined(errors)
        return ReadRefused(str(found), found.code, found.problem)

    def _decline(self, path: str, answer: Answer) -> Declined | None:
        """Square's `errors` answer with a status it refuses with: nothing happened. Any
        other answer (429, 5xx, a proxy's page) may follow a commit: None, unknown."""
        errors = _errors(answer)
        if errors is None or answer.status not in DECLINE_STATUSES:
            return None
        return declined(errors)

    def _move(self, path: str, body: dict[str, Any], model: Any) -> Any:
        """Square takes the idempotency key in the body (idempotency_key)."""
        return self._post_money(path, body, model)

    # --- reads ----------------------------------------------------------------------------

    def health(self) -> float:
        """Seconds to read this till's location: the token and location_id work."""
        start = time.perf_counter()
        self.config()
        return time.perf_counter() - start

    def config(self) -> StoreConfig:
        found = self._read("GET", f"/v2/locations/{self.location_id}", LocationAnswer)
        self._currency = found.location.currency
        # Square has no cash-out switch or limit: the store chooses with provider.cash_out.
        return StoreConfig(found.location.currency, True, None)

    def currency(self) -> str:
        return self._currency or self.config().currency

    def validate(self, *, code: str | None = None, public_token: str | None = None) -> Gift:
        if code is None:
            raise Declined(
                'Square finds cards by their number: use a pattern with lookup = "code"',
                "validation_error",
                {},
            )
        card = self._card(code)
        self._currency = card.balance_money.currency  # the store's, for amount_money
        return to_gift(card, self.locale)

    def _card(self, gan: str) -> GiftCard:
        found: CardAnswer = self._read(
            "POST", "/v2/gift-cards/from-gan", CardAnswer, json={"gan": gan}
        )
        return found.gift_card

    def transactions(
        self,
        *,
        since: datetime | None = None,
        location_id: str | None = None,
        gift_id: str | None = None,
    ) -> list[Transaction]:
        """Every page, oldest first (ListGiftCardActivities, sort_order ASC, by cursor)."""
        params: dict[str, Any] = {
            "location_id": location_id or self.location_id,
            "sort_order": "ASC",
            "limit": 100,
        }
        if since is not None:
            params["begin_time"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if gift_id:
            params["gift_card_id"] = gift_id
        found: list[Transaction] = []
        while True:
            page = self._read("GET", "/v2/gift-cards/activities", ActivityPage, params=params)
            found += [to_transaction(a) for a in page.gift_card_activities]
            if not page.cursor:
                return found
            params["cursor"] = page.cursor

    # --- money ----------------------------------------------------------------------------

    def send(self, intent: Intent, idempotency_key: str, *, again: bool = False) -> Movement:
        """With `again` (settling an unknown outcome), an activity that carries a reference_id
        is first looked for by it: Square may no longer remember an old key. A read on the
        way that is refused then says nothing of the first attempt: still unknown."""
        try:
            return self._send(intent, idempotency_key, again)
        except ReadRefused as exc:
            if again:
                raise OutcomeUnknown(UNKNOWN) from exc
            raise

    def _send(self, intent: Intent, key: str, again: bool) -> Movement:
        if intent.quantity is not None:
            raise Declined("Square's gift cards hold money, not items", "not_redeemable", {})
        if intent.operation == "activation":
            assert intent.code is not None  # Intent checks it
            return self._activate(self._card_to_sell(intent.code, key), intent, key, again)
        if intent.operation == "issue":
            # A digital card made by a first attempt is not found by its GAN (Square makes
            # it): settling looks for our ACTIVATE at this location before making another.
            mine = self._by_reference(None, key, "ACTIVATE") if again else None
            if mine is not None:
                return Movement(to_transaction(mine), self._gift_after(mine))
            made = self._move(
                "/v2/gift-cards",
                {
                    "idempotency_key": f"{key}-card",
                    "location_id": self.location_id,
                    "gift_card": {"type": "DIGITAL"},
                },
                CardAnswer,
            )
            return self._activate(made.gift_card, intent, key, again)
        amount = intent.amount or 0
        details: dict[str, Any]
        if intent.operation == "reversal":
            kind, details = "ADJUST_INCREMENT", {"reason": "TRANSACTION_VOIDED"}
        elif intent.operation == "cash_out" and self.cash_out == "endpoint":
            kind, details = "CLEAR_BALANCE", {"reason": "UNKNOWN_REASON"}
        else:  # a redemption, or config.md's cash_out = "redeem": the whole balance redeemed
            kind, details = "REDEEM", {"reference_id": key}
        if kind != "CLEAR_BALANCE":
            details["amount_money"] = self._money(amount)
        activity = self._activity(key, kind, intent.gift_id or "", details, again)
        # CLEAR_BALANCE does not say how much it cleared: the balance the till saw and paid.
        txn = to_transaction(activity, amount=amount, reverses=intent.transaction_id)
        return Movement(txn, self._gift_after(activity))

    def _money(self, amount: int) -> dict[str, Any]:
        return {"amount": amount, "currency": self.currency()}

    def _activity(
        self, key: str, kind: str, card_id: str, details: dict[str, Any], again: bool
    ) -> Activity:
        if again and details.get("reference_id"):
            mine = self._by_reference(card_id, key)
            if mine is not None:
                log.info("activity %s found by its reference_id: not sent again", mine.id)
                return mine
        body = {
            "idempotency_key": key,
            "gift_card_activity": {
                "type": kind,
                "location_id": self.location_id,
                "gift_card_id": card_id,
                f"{kind.lower()}_activity_details": details,
            },
        }
        try:
            found: ActivityAnswer = self._move("/v2/gift-cards/activities", body, ActivityAnswer)
        except Declined as exc:
            # Square no longer remembers the key (or it came with another body), or the card
            # has moved on since (an ACTIVATE it already ran): the activity, if it happened,
            # carries our key as its reference_id.
            mine = self._by_reference(card_id, key) if details.get("reference_id") else None
            if mine is None:
                raise
            log.info("activity %s found by its reference_id after %s", mine.id, exc.code)
            return mine
        return found.gift_card_activity

    def _by_reference(
        self, card_id: str | None, key: str, kind: str | None = None
    ) -> Activity | None:
        """The activity that carries our key as its reference_id: on the card, or (for a
        card we do not know) among this location's activities of that kind."""
        params: dict[str, Any] = {"limit": 100}
        if card_id:
            params["gift_card_id"] = card_id
        else:
            params.update(location_id=self.location_id, type=kind, sort_order="DESC")
        while True:
            page: ActivityPage = self._read(
                "GET", "/v2/gift-cards/activities", ActivityPage, params=params
            )
            for activity in page.gift_card_activities:
                details = activity.redeem_activity_details or activity.activate_activity_details
                if details and details.get("reference_id") == key:
                    return activity
            if not page.cursor:
                return None
            params["cursor"] = page.cursor

    def _card_to_sell(self, gan: str, key: str) -> GiftCard:
        """The scanned card at Square, registered (PENDING) if Square does not know it."""
        try:
            return self._card(gan)
        except Declined as exc:
            if exc.code != "gift_not_found":
                raise
        body = {
            "idempotency_key": f"{key}-card",
            "location_id": self.location_id,
            "gift_card": {"type": "PHYSICAL", "gan": gan},
        }
        made: CardAnswer = self._move("/v2/gift-cards", body, CardAnswer)
        return made.gift_card

    def _activate(self, card: GiftCard, intent: Intent, key: str, again: bool) -> Movement:
        details = {
            "amount_money": self._money(intent.amount or 0),
            "reference_id": key,
            "buyer_payment_instrument_ids": [TILL_INSTRUMENT],
        }
        try:
            activity = self._activity(key, "ACTIVATE", card.id, details, again)
        except Declined as exc:
            if card.state != "PENDING":  # sold before, not by this key
                raise Declined(
                    "This card was already sold: use another card", "code_taken", exc.problem
                ) from exc
            raise
        return Movement(to_transaction(activity), self._gift_after(activity, card.gan))

    def _gift_after(self, activity: Activity, gan: str | None = None) -> Gift:
        """The card as the activity left it (Square answers the activity, not the card)."""
        card = GiftCard(
            id=activity.gift_card_id,
            type="",
            state="ACTIVE",
            gan=activity.gift_card_gan or gan or "",
            balance_money=activity.gift_card_balance_money,
        )
        return to_gift(card, self.locale)
