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

from posapp.adapters.bounded_http import Answer
from posapp.adapters.provider_http import UNKNOWN, ProviderHttp
from posapp.adapters.square_shapes import (
    DECLINE_STATUSES,
    Activity,
    ActivityAnswer,
    ActivityPage,
    CardAnswer,
    GiftCard,
    LocationAnswer,
    ReadRefused,
    declined,
    square_errors,
    to_gift,
    to_transaction,
)
from posapp.core.gift import Gift, Movement, StoreConfig, Transaction
from posapp.core.intent import Intent
from posapp.terminal.ports import Declined, OutcomeUnknown

log = logging.getLogger("posapp.square")

# The one place the API version is pinned: the release of api.json this adapter and
# posapp/square_fake/gift_cards_spec.json were written against.
SQUARE_VERSION = "2025-08-20"
# Square wants the buyer's payment instruments on an ACTIVATE made without a Square order
# (GiftCardActivityActivate.buyer_payment_instrument_ids, for its compliance checks). The
# till takes the payment itself and has no Square instrument id: it names the till.
TILL_INSTRUMENT = "posapp-till"


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
        errors = square_errors(answer)
        if errors is None:
            return ReadRefused(f"Square refused (HTTP {answer.status})", "http_error", {})
        found = declined(errors)
        return ReadRefused(str(found), found.code, found.problem)

    def _decline(self, path: str, answer: Answer) -> Declined | None:
        """Square's `errors` answer with a status it refuses with: nothing happened. Any
        other answer (429, 5xx, a proxy's page) may follow a commit: None, unknown."""
        errors = square_errors(answer)
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
