"""Adyen's calls as the Adyen adapter makes them (posapp/adapters/adyen.py): a card's balance,
a payment, a Stored Value operation and a payment's modification, each with the till's
transport rules (ProviderHttp: one deadline, a size limit, retries with the same key).

Both APIs take the API key as `X-API-Key` (nowhere else: not a query, not a log line) and an
`Idempotency-Key` on every money call, the same on every retry (docs.adyen.com "API
idempotency": a key is kept at least 31 days, and a request sent again with it answers the
first outcome without doing it again). The Checkout API is under `[provider] url`, the Stored
Value API under `stored_value_url`: one client, the Stored Value paths absolute.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from posapp.adapters.adyen_shapes import currency_of
from posapp.adapters.adyen_words import (
    CardState,
    card_state,
    error_words,
    refused,
    service_error,
)
from posapp.adapters.bounded_http import Answer
from posapp.adapters.provider_http import DEFAULT_HTTP, HttpSettings, ProviderHttp
from posapp.adyen_wire.base import API_KEY_HEADER, IDEMPOTENCY_HEADER, Amount, Request
from posapp.adyen_wire.checkout import (
    PAYMENTS,
    GiftCardDetails,
    PaymentRequest,
    PaymentResponse,
)
from posapp.adyen_wire.stored_value import (
    CHECK_BALANCE,
    StoredValueBalanceCheckRequest,
    StoredValueBalanceCheckResponse,
    StoredValueCard,
)
from posapp.core.card_brands import BRANDS, Brand
from posapp.core.intent import Intent
from posapp.i18n import _
from posapp.terminal.ports import Declined

T = TypeVar("T")
# Answers of a ServiceError that are a no: nothing was done. 429 and 5xx may follow a commit:
# retried with the same key, then unknown (provider_http.py).
DECLINE_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 410, 413, 415, 422})


def reference_of(intent: Intent, key: str) -> str:
    """Adyen's merchant reference of a movement: the till's client_reference (its key for an
    entry journalled before it)."""
    return intent.client_reference or key


class AdyenHttp(ProviderHttp):
    """The transport and the calls; AdyenClient says what each intent is made of."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        stored_value_url: str,
        merchant_account: str,
        brand: str,
        store: str = "",
        locale: str = "en_US",
        http: HttpSettings = DEFAULT_HTTP,
    ) -> None:
        super().__init__(base_url, {API_KEY_HEADER: token}, http)
        self.stored_value_url = stored_value_url.rstrip("/")
        self.merchant_account = merchant_account
        self.brand: Brand = BRANDS[brand]
        self.store = store or None  # left out of requests when the till has none
        self.locale = locale

    @property
    def currency(self) -> str:
        """The till's currency: its locale's (Adyen does not tell a till its account's)."""
        return currency_of(self.locale)

    # --- Adyen's no's -------------------------------------------------------------------

    def _refusal(self, answer: Answer) -> Declined:
        return error_words(answer.status, service_error(answer), self.merchant_account)

    def _decline(self, path: str, answer: Answer) -> Declined | None:
        """A ServiceError with a 4xx (not 429): Adyen did nothing. Anything else may have
        followed a commit: None, unknown."""
        found = service_error(answer)
        if found is None or answer.status not in DECLINE_STATUSES:
            return None
        return error_words(answer.status, found, self.merchant_account)

    # --- the calls ----------------------------------------------------------------------

    def _sv(self, path: str) -> str:
        return f"{self.stored_value_url}{path}"

    def _stored_card(self, number: str | None, pin: str | None) -> StoredValueCard:
        return StoredValueCard(type=self.brand.name, number=number, securityCode=pin or None)

    def balance_of(
        self, number: str, currency: str, pin: str | None = None
    ) -> tuple[CardState, int | None]:
        """The card's state and balance (Stored Value /checkBalance, a read: it moves
        nothing): "active"; "not_sold" (never activated: it may be sold) or "closed"
        (deactivated) by the issuer's words on a refusal; any other refusal is Declined in
        the cashier's words."""
        body = StoredValueBalanceCheckRequest(
            merchantAccount=self.merchant_account,
            reference=f"posapp-balance-{uuid.uuid4().hex}",
            paymentMethod=self._stored_card(number, pin),
            store=self.store,
        )
        found: StoredValueBalanceCheckResponse = self._read(
            "POST", self._sv(CHECK_BALANCE), StoredValueBalanceCheckResponse, json=body.wire()
        )
        if found.resultCode == "Success":
            held = found.currentBalance
            if held is not None and held.currency != currency:
                said = _("The card is in {held}, not {currency}: it cannot be used here")
                raise Declined(
                    said.format(held=held.currency, currency=currency),
                    "currency_mismatch",
                    {},
                )
            return "active", None if held is None else held.value
        state = card_state(found.refusalReason, found.thirdPartyRefusalReason)
        if found.resultCode == "Refused" and state is not None:
            # A refusal rarely says the balance: unknown (None), not "$0.00" on the panel.
            return state, None if found.currentBalance is None else found.currentBalance.value
        raise refused(found.resultCode, found.refusalReason)

    def _money(self, path: str, body: Request, model: type[T], key: str) -> tuple[T, str]:
        """A money call, once per key (the header), retried with it within the deadline."""
        headers = {IDEMPOTENCY_HEADER: key}
        return self._post_money_raw(path, body.wire(), model, headers)

    def _pay(
        self, number: str, amount: int, currency: str, reference: str, key: str, pin: str | None
    ) -> tuple[PaymentResponse, str]:
        """A gift card payment of exactly `amount` (Checkout /payments); Adyen's refusal
        (200, resultCode Refused) as Declined."""
        body = PaymentRequest(
            amount=Amount(currency=currency, value=amount),
            merchantAccount=self.merchant_account,
            paymentMethod=GiftCardDetails(brand=self.brand.name, number=number, cvc=pin or None),
            reference=reference,
            store=self.store,
        )
        found, raw = self._money(PAYMENTS, body, PaymentResponse, key)
        if found.resultCode != "Authorised":
            raise refused(found.resultCode, found.refusalReason, found.refusalReasonCode)
        return found, raw

    def _stored(self, path: str, body: Request, model: type[T], key: str) -> tuple[T, str]:
        """A Stored Value operation; its refusal (200, resultCode not Success) as Declined."""
        found, raw = self._money(self._sv(path), body, model, key)
        result = getattr(found, "resultCode", None)
        if result != "Success":
            raise refused(str(result), getattr(found, "refusalReason", None))
        return found, raw
