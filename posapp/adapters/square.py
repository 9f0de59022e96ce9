"""Square's Gift Cards API as a gift card provider (config.md: provider.api = "square").

Paths, bodies and answers follow Square's OpenAPI specification
(square/connect-api-specification, api.json, Square-Version below): GiftCards
(RetrieveGiftCardFromGAN, CreateGiftCard), GiftCardActivities (CreateGiftCardActivity,
ListGiftCardActivities) and Locations (RetrieveLocation, for the currency and `posapp check`).

How an intent becomes Square's activities:
- redemption: REDEEM with redeem_activity_details {amount_money, reference_id};
- reversal: REFUND with refund_activity_details {redeem_activity_id, amount_money,
  reference_id}, the redemption given back (Square's way for a custom payment processing
  system: an activity made through the API cannot be voided); the reversal of a
  CLEAR_BALANCE, which no REFUND can name, and of an entry journalled before till
  references: ADJUST_INCREMENT, reason TRANSACTION_VOIDED;
- cash-out: the whole balance redeemed (provider.cash_out = "redeem") or CLEAR_BALANCE;
- activation: CreateGiftCard (PHYSICAL, the scanned GAN) when Square does not know the
  card, then ACTIVATE with {amount_money, reference_id, buyer_payment_instrument_ids};
- issue: CreateGiftCard (DIGITAL: Square makes the GAN), then ACTIVATE;
- void (a card sold or issued, undone while unspent: api.md "Voiding a card sold or
  issued"): ADJUST_DECREMENT of the amount sold, reason PURCHASE_WAS_REFUNDED, after the
  card's activities show nothing done with it since; Square leaves the card ACTIVE at zero.
Our idempotency key is Square's `idempotency_key` (a card created on the way gets the key
with "-card": one key is one request at Square). The till's client_reference (api.md "Key
retention and client references"; the key itself for an entry journalled before it) is the
activity's `reference_id`, so `look_up` finds an activity whose key Square no longer
remembers. CLEAR_BALANCE and ADJUST_INCREMENT carry no reference_id: what becomes of one
whose answer was lost, Square cannot say, and it stays unknown (the manager looks in
Square's Dashboard).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TypeVar

from posapp.adapters.bounded_http import Answer
from posapp.adapters.provider_http import DEFAULT_HTTP, HttpSettings
from posapp.adapters.square_lookup import Params, SquareLookup, is_void, reference_of
from posapp.adapters.square_shapes import (
    DECLINE_STATUSES,
    VOID_REASON,
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
from posapp.core.gift import Gift, GiftCardConfig, Movement, Transaction
from posapp.core.intent import Intent
from posapp.core.money import format_money
from posapp.i18n import _
from posapp.terminal.ports import Declined

log = logging.getLogger("posapp.square")

# The one place the API version is pinned: the release of api.json this adapter was written
# against, whose gift card subset the fake Square checks requests by (../shared/specs/square/).
SQUARE_VERSION = "2025-08-20"
# Square wants the buyer's payment instruments on an ACTIVATE made without a Square order
# (GiftCardActivityActivate.buyer_payment_instrument_ids, for its compliance checks). The
# till takes the payment itself and has no Square instrument id: it names the till.
TILL_INSTRUMENT = "posapp-till"
T = TypeVar("T")


class SquareClient(SquareLookup):
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
        http: HttpSettings = DEFAULT_HTTP,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}", "Square-Version": SQUARE_VERSION}
        super().__init__(base_url, headers, http)
        self.location_id = location_id
        self.cash_out = cash_out
        self.locale = locale
        self._currency: str | None = None

    # --- Square's errors --------------------------------------------------------------------

    def _refusal(self, answer: Answer) -> Declined:
        errors = square_errors(answer)
        if errors is None:
            said = _("Square refused (HTTP {status})").format(status=answer.status)
            return ReadRefused(said, "http_error", {})
        found = declined(errors)
        return ReadRefused(str(found), found.code, found.problem)

    def _decline(self, path: str, answer: Answer) -> Declined | None:
        """Square's `errors` answer with a status it refuses with: nothing happened. Any
        other answer (429, 5xx, a proxy's page) may follow a commit: None, unknown."""
        errors = square_errors(answer)
        if errors is None or answer.status not in DECLINE_STATUSES:
            return None
        return declined(errors)

    def _move(self, path: str, body: Mapping[str, object], model: type[T]) -> T:
        """Square takes the idempotency key in the body (idempotency_key)."""
        return self._post_money(path, body, model)

    # --- reads ----------------------------------------------------------------------------

    def health(self) -> float:
        """Seconds to read this till's location: the token and location_id work."""
        start = time.perf_counter()
        self.config()
        return time.perf_counter() - start

    def config(self) -> GiftCardConfig:
        found = self._read("GET", f"/v2/locations/{self.location_id}", LocationAnswer)
        self._currency = found.location.currency
        # Square has no cash-out switch or limit: the store chooses with provider.cash_out.
        return GiftCardConfig(found.location.currency, True, None)

    def currency(self) -> str:
        return self._currency or self.config().currency

    # `pin`: Square's gift cards have no card PIN (its Gift Cards API takes none), so it is
    # taken, for the GiftProvider port, and never sent.
    def validate(
        self, *, code: str | None = None, public_token: str | None = None, pin: str | None = None
    ) -> Gift:
        if code is None:
            raise Declined(
                'Square finds cards by their number: use a pattern with lookup = "code"',
                "validation_error",
                {},
            )
        card = self._card(code)
        self._currency = card.balance_money.currency  # the store's, for amount_money
        return to_gift(card, self.locale)

    def transactions(
        self,
        *,
        since: datetime | None = None,
        location_id: str | None = None,
        gift_id: str | None = None,
    ) -> list[Transaction]:
        """Every page, oldest first (ListGiftCardActivities, sort_order ASC, by cursor)."""
        params: Params = {
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

    def send(self, intent: Intent, idempotency_key: str, *, pin: str | None = None) -> Movement:
        """`pin` is not sent: Square's gift cards have none."""
        if intent.quantity is not None:
            said = _("Square's gift cards hold money, not items")
            raise Declined(said, "not_redeemable", {})
        key = idempotency_key
        if intent.operation == "activation":
            assert intent.code is not None  # Intent checks it
            return self._activate(self._card_to_sell(intent.code, key), intent, key)
        if intent.operation == "issue":
            made = self._move(
                "/v2/gift-cards",
                {
                    "idempotency_key": f"{key}-card",
                    "location_id": self.location_id,
                    "gift_card": {"type": "DIGITAL"},
                },
                CardAnswer,
            )
            return self._activate(made.gift_card, intent, key)
        if intent.operation == "void":
            return self._void(intent, key)
        amount = intent.amount or 0
        details: dict[str, object]
        if intent.operation == "reversal" and self._refund_reverses(intent):
            # A REFUND linked to the redemption it gives back (Square's way for a custom
            # payment processing system), with our reference: found again after Square
            # forgets the key, where an ADJUST_INCREMENT has no reference to find it by.
            kind = "REFUND"
            details = {"redeem_activity_id": intent.transaction_id}
        elif intent.operation == "reversal":
            kind, details = "ADJUST_INCREMENT", {"reason": "TRANSACTION_VOIDED"}
        elif intent.operation == "cash_out" and self.cash_out == "endpoint":
            kind, details = "CLEAR_BALANCE", {"reason": "UNKNOWN_REASON"}
        else:  # a redemption, or config.md's cash_out = "redeem": the whole balance redeemed
            kind, details = "REDEEM", {}
        if kind in ("REDEEM", "REFUND"):
            details["reference_id"] = reference_of(intent, key)
        if kind != "CLEAR_BALANCE":
            details["amount_money"] = self._money(amount)
        activity, raw = self._activity(key, kind, intent.gift_id or "", details)
        # CLEAR_BALANCE does not say how much it cleared: the balance the till saw and paid.
        txn = to_transaction(activity, amount=amount, reverses=intent.transaction_id)
        return Movement(txn, self._gift_after(activity), raw=raw)

    def _void(self, intent: Intent, key: str) -> Movement:
        """api.md's void, at Square: only while the card's activities since its ACTIVATE are
        redemptions given back (a REDEEM, then its REFUND or ADJUST_INCREMENT) and it holds
        what it was sold for; then that amount is taken off. Square checks none of this
        itself: between the look and the decrement a redemption could come, and the
        decrement then fails for the funds or leaves the card short (said by reconciliation)."""
        card_id, amount = intent.gift_id or "", intent.amount or 0
        card: CardAnswer = self._read("GET", f"/v2/gift-cards/{card_id}", CardAnswer)
        moves = list(self._activities({"gift_card_id": card_id, "sort_order": "ASC"}))
        if any(is_void(a) for a in moves):
            raise Declined(_("This card was already voided"), "already_reversed", {})
        if card.gift_card.state != "ACTIVE":
            said = _("The card is not active at Square: it cannot be voided")
            raise Declined(said, "card_used", {})
        used = [a for a in moves if a.type not in ("ACTIVATE", "REDEEM") and not _gave_back(a)]
        held = card.gift_card.balance_money.amount
        if used or held != amount:
            said = _(
                "The card was used after it was sold (it holds {shown} of {sold}): it cannot be "
                "voided"
            )
            raise Declined(
                said.format(
                    shown=format_money(held, self.currency(), self.locale),
                    sold=format_money(amount, self.currency(), self.locale),
                ),
                "card_used",
                {},
            )
        details = {"amount_money": self._money(amount), "reason": VOID_REASON}
        activity, raw = self._activity(key, "ADJUST_DECREMENT", card_id, details)
        txn = to_transaction(activity, reverses=intent.transaction_id)
        return Movement(txn, self._gift_after(activity, card.gift_card.gan), raw=raw)

    def _money(self, amount: int) -> dict[str, object]:
        return {"amount": amount, "currency": self.currency()}

    def _activity(
        self, key: str, kind: str, card_id: str, details: Mapping[str, object]
    ) -> tuple[Activity, str]:
        body = {
            "idempotency_key": key,
            "gift_card_activity": {
                "type": kind,
                "location_id": self.location_id,
                "gift_card_id": card_id,
                f"{kind.lower()}_activity_details": details,
            },
        }
        found_by = details.get("reference_id")
        reference = found_by if isinstance(found_by, str) else None

        def ask() -> tuple[ActivityAnswer, str] | None:  # before a retry: did it happen?
            mine = self._by_reference(card_id, reference) if reference else None
            if mine is None:
                return None
            return ActivityAnswer(gift_card_activity=mine), mine.model_dump_json()

        try:
            found, raw = self._post_money_raw(
                "/v2/gift-cards/activities", body, ActivityAnswer, ask=ask if reference else None
            )
        except Declined as exc:
            # Square no longer remembers the key (or it came with another body), or the card
            # has moved on since (an ACTIVATE it already ran): the activity, if it happened,
            # carries our reference as its reference_id.
            mine = self._by_reference(card_id, reference) if reference else None
            if mine is None:
                raise
            log.info("activity %s found by its reference_id after %s", mine.id, exc.code)
            return mine, mine.model_dump_json()
        return found.gift_card_activity, raw

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

    def _activate(self, card: GiftCard, intent: Intent, key: str) -> Movement:
        details = {
            "amount_money": self._money(intent.amount or 0),
            "reference_id": reference_of(intent, key),
            "buyer_payment_instrument_ids": [TILL_INSTRUMENT],
        }
        try:
            activity, raw = self._activity(key, "ACTIVATE", card.id, details)
        except Declined as exc:
            if card.state != "PENDING":  # sold before, not by this key
                said = _("This card was already sold: use another card")
                raise Declined(said, "code_taken", exc.problem) from exc
            raise
        return Movement(to_transaction(activity), self._gift_after(activity, card.gan), raw=raw)


def _gave_back(activity: Activity) -> bool:
    """A redemption's reversal: a REFUND of it, or (before references) an ADJUST_INCREMENT
    with TRANSACTION_VOIDED."""
    details = activity.adjust_increment_activity_details or {}
    voided = activity.type == "ADJUST_INCREMENT" and details.get("reason") == "TRANSACTION_VOIDED"
    return voided or activity.type == "REFUND"
