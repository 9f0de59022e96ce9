"""The gift card provider over HTTP (api.md), with httpx.

Every failure becomes one of four errors a use case can act on:
- Declined: the provider answered no (a problem+json 4xx); nothing happened. Its message is
  in a cashier's words ("Only $12.00 left on this card").
- Unreachable: the request never reached the provider (httpx.ConnectError); nothing happened.
- OutcomeUnknown: it may have happened (read timeout, connection reset after sending, 5xx,
  an answer we cannot read). Money calls are retried with the same Idempotency-Key, and
  what stays unknown is settled later with that key.
- BadAnswer: a read call got an answer that breaks the contract.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from posapp.core.gift import Gift, Movement, StoreConfig, Transaction
from posapp.core.intent import Intent
from posapp.core.money import format_money

# The contract's own models, shared with the reference provider: both sides read api.md
# through the same definitions.
from posapp.provider import models as api
from posapp.terminal.ports import BadAnswer, Declined, OutcomeUnknown, ProviderError, Unreachable

log = logging.getLogger("posapp.provider_client")
T = TypeVar("T", bound=BaseModel)


PROVIDER_DOWN = "The gift card provider cannot be reached: check the network, then try again"
UNKNOWN = (
    "No answer from the gift card provider: the transaction is kept to settle and will be "
    "finished when the provider answers"
)


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def to_gift(model: api.Gift) -> Gift:
    return Gift(
        id=model.id,
        code=model.code,
        kind=model.kind,
        currency=model.currency,
        balance=model.balance,
        item_label=model.item_label,
        item_quantity=model.item_quantity,
        status=model.status,
        is_redeemable=model.is_redeemable,
        not_redeemable_reason=model.not_redeemable_reason,
        eligible_value=model.eligible_value,
        eligible_item_quantity=model.eligible_item_quantity,
        present_value_description=model.present_value_description,
        promotional=model.promotional,
        usable_at=_time(model.usable_at) or datetime.min,
        expires_at=_time(model.expires_at),
    )


def to_transaction(model: api.Transaction) -> Transaction:
    return Transaction(
        id=model.id,
        type=model.type,
        gift_id=model.gift_id,
        location_id=model.location_id,
        amount=model.amount,
        quantity=model.quantity,
        currency=model.currency,
        balance_after=model.balance_after,
        item_quantity_after=model.item_quantity_after,
        reference=model.reference,
        state=model.state,
        reverses=model.reverses,
        created_at=_time(model.created_at) or datetime.min,
    )


def words(code: str, problem: dict[str, Any], locale: str = "en_US") -> str:
    """A problem in a cashier's words, with what to do."""
    detail = str(problem.get("detail") or "")
    if code == "gift_not_found":
        return "Gift card not found: check the card, or scan it again"
    if code == "insufficient_balance" and isinstance(problem.get("eligible_value"), int):
        currency = problem.get("currency", "")
        left = problem["eligible_value"]
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


class ProviderClient:
    """One method per api.md operation, typed results, the retry rules of issue 4."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_s: float = 10.0,
        ca_bundle: str = "",
        transport: httpx.BaseTransport | None = None,
        locale: str = "en_US",
        cash_out: str = "endpoint",
        backoff: tuple[float, ...] = (0.1, 0.3, 0.8),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True
        )
        self.http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "posapp"},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            verify=verify,
            transport=transport,
        )
        self.timeout_s = timeout_s
        self.locale = locale
        self.cash_out = cash_out
        self.backoff = backoff
        self.sleep = sleep
        self.currency = ""  # learned from the first gift or config, for messages

    def close(self) -> None:
        self.http.close()

    # --- plumbing -------------------------------------------------------------------------

    def _problem(self, response: httpx.Response) -> Declined:
        try:
            problem = response.json()
            code = str(problem["code"])
        except (ValueError, KeyError, TypeError):
            return Declined(
                f"The provider refused (HTTP {response.status_code})",
                "http_error",
                {"status": response.status_code},
            )
        if code == "rate_limited" and "retry_after" not in problem:
            problem["retry_after"] = response.headers.get("retry-after")
        problem.setdefault("currency", self.currency)
        return Declined(words(code, problem, self.locale), code, problem)

    def _read(self, method: str, path: str, model: type[T] | Any, **kwargs: Any) -> Any:
        """A call that changes nothing, or an admin change that carries an Idempotency-Key:
        a dropped connection or a 5xx is asked again (harmless either way); a time-out is
        said at once (the cashier has waited long enough)."""
        for pause in (*self.backoff, None):
            try:
                response = self.http.request(method, path, **kwargs)
            except httpx.TimeoutException as exc:
                raise Unreachable(
                    "The gift card provider did not answer in time: try again"
                ) from exc
            except httpx.TransportError as exc:  # a read changes nothing: safe to ask again
                if pause is None:
                    raise Unreachable(PROVIDER_DOWN) from exc
                self.sleep(pause)
                continue
            if response.status_code >= 500:
                if pause is None:
                    raise Unreachable(
                        f"The gift card provider has a fault (HTTP {response.status_code}): try again later"
                    )
                self.sleep(pause)
                continue
            if response.status_code >= 400:
                raise self._problem(response)
            if response.status_code == 204:
                return None
            return self._parse(response, model, BadAnswer)
        raise AssertionError("the loop always returns or raises")  # pragma: no cover

    def _parse(self, response: httpx.Response, model: Any, error: type[ProviderError]) -> Any:
        try:
            if isinstance(model, type) and issubclass(model, BaseModel):
                return model.model_validate_json(response.content)
            from pydantic import TypeAdapter

            return TypeAdapter(model).validate_json(response.content)
        except (ValidationError, ValueError) as exc:
            log.warning(
                "malformed answer to %s %s: %s",
                response.request.method,
                response.request.url.path,
                str(exc).splitlines()[0],
            )
            raise error(
                "The gift card provider sent an answer the terminal cannot read: "
                "ask for support if it happens again"
            ) from exc

    def _move(self, path: str, key: str, body: dict[str, Any] | None, model: Any) -> Any:
        """A money movement, once per key (api.md Idempotency).

        Never reached (connect error): retried, then Unreachable, nothing happened.
        Maybe happened (timeout, reset, 5xx, 409 request_in_progress, unreadable 2xx):
        retried with the same key, then OutcomeUnknown.
        """
        headers = {"Idempotency-Key": key}
        deadline = time.monotonic() + self.timeout_s * 2
        maybe_sent = False
        for pause in (*self.backoff, None):
            try:
                response = self.http.post(path, json=body, headers=headers)
            except httpx.ConnectError as exc:
                if pause is None or time.monotonic() > deadline:
                    if maybe_sent:
                        raise OutcomeUnknown(UNKNOWN) from exc
                    raise Unreachable(PROVIDER_DOWN) from exc
            except httpx.HTTPError as exc:  # sent, or partly sent: the outcome is unknown
                maybe_sent = True
                log.info(
                    "no answer to %s (%s); retrying with the same key", path, type(exc).__name__
                )
                if pause is None or time.monotonic() > deadline:
                    raise OutcomeUnknown(UNKNOWN) from exc
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return self._parse(response, model, OutcomeUnknown)
                maybe_sent = True
                in_progress = (
                    status == 409
                    and response.headers.get("content-type", "").startswith(
                        "application/problem+json"
                    )
                    and b"request_in_progress" in response.content
                )
                if 400 <= status < 500 and not in_progress:
                    raise self._problem(response)
                if pause is None or time.monotonic() > deadline:
                    raise OutcomeUnknown(UNKNOWN)
            self.sleep(pause)
        raise OutcomeUnknown(UNKNOWN)  # pragma: no cover

    def _movement(self, answer: Any) -> Movement:
        gift = to_gift(answer.gift)
        self.currency = gift.currency
        reversed_ = getattr(answer, "reversed", None)
        return Movement(
            to_transaction(answer.transaction),
            gift,
            to_transaction(reversed_) if reversed_ is not None else None,
        )

    # --- api.md operations ----------------------------------------------------------------

    def health(self) -> float:
        """Seconds for /healthz; Unreachable when it does not answer."""
        start = time.perf_counter()
        self._read("GET", "/healthz", api.Health)
        return time.perf_counter() - start

    def validate(self, *, code: str | None = None, public_token: str | None = None) -> Gift:
        body = {"code": code} if code is not None else {"public_token": public_token}
        gift = to_gift(self._read("POST", "/v1/gifts/validate", api.GiftAnswer, json=body).gift)
        self.currency = gift.currency
        return gift

    def send(self, intent: Intent, idempotency_key: str) -> Movement:
        """The intent as api.md's request, once per key (api.md "Idempotency"): the
        settler sends an unknown one again with its key and gets the first answer."""
        path, body = self.request_for(intent)
        model = api.ReversalAnswer if intent.operation == "reversal" else api.MoneyAnswer
        return self._movement(self._move(path, idempotency_key, body, model))

    def request_for(self, intent: Intent) -> tuple[str, dict[str, Any] | None]:
        """api.md's path and body for an intent (its "Endpoints" table)."""
        body: dict[str, Any] = {}
        if intent.operation == "redemption" or (
            intent.operation == "cash_out" and self.cash_out == "redeem"
        ):
            # config.md cash_out = "redeem": a provider with no cash-out call gets the whole
            # balance redeemed; the journal still calls it a cash-out.
            if intent.quantity is not None:
                body["quantity"] = intent.quantity
            else:
                body["amount"] = intent.amount
            if intent.use_all:
                body["allow_partial"] = True
            if intent.reference:
                body["reference"] = intent.reference
            return f"/v1/gifts/{intent.gift_id}/redemptions", body
        if intent.operation == "cash_out":
            if intent.reference:
                body["reference"] = intent.reference
            return f"/v1/gifts/{intent.gift_id}/cash-out", body or None
        if intent.operation == "reversal":
            body = {"reason": intent.reason} if intent.reason else {}
            return f"/v1/transactions/{intent.transaction_id}/reversal", body or None
        body = {"amount": intent.amount}
        if intent.operation == "activation":
            body["code"] = intent.code
        if intent.reference:
            body["reference"] = intent.reference
        if intent.recipient_email:
            body["recipient"] = {"email": intent.recipient_email}
        if intent.operation == "activation":
            return "/v1/gift-cards/activations", body
        return "/v1/gift-cards/issues", body

    def transactions(
        self,
        *,
        since: datetime | None = None,
        location_id: str | None = None,
        gift_id: str | None = None,
    ) -> list[Transaction]:
        """Every page, oldest first."""
        params: dict[str, Any] = {"limit": 100}
        if since is not None:
            params["since"] = since.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if location_id:
            params["location_id"] = location_id
        if gift_id:
            params["gift_id"] = gift_id
        found: list[Transaction] = []
        while True:
            page = self._read("GET", "/v1/transactions", list[api.Transaction], params=params)
            found += [to_transaction(t) for t in page]
            if len(page) < 100:
                return found
            params["after"] = page[-1].id

    def config(self) -> StoreConfig:
        answer = self._read("GET", "/v1/gift-card-config", api.GiftCardConfig)
        self.currency = answer.currency
        return StoreConfig(
            answer.currency,
            bool(answer.store_configurations.cash_out_enabled),
            answer.store_configurations.cash_out_max,
        )

    def transaction_types(self) -> list[tuple[str, bool]]:
        """(type, non_sale); gift_card_cash_out is listed only while cash-out is enabled."""
        found = self._read("GET", "/v1/transaction-types", list[api.TransactionTypeInfo])
        return [(t.type, t.non_sale) for t in found]

    # --- admin (an admin token): the gift cards screen ------------------------------------

    def gift_cards(
        self,
        *,
        code: str | None = None,
        after: str | None = None,
        before: str | None = None,
        limit: int = 50,
        include_canceled: bool = False,
    ) -> list[Gift]:
        params: dict[str, Any] = {"limit": limit, "include_canceled": include_canceled}
        for name, value in (("code", code), ("after", after), ("before", before)):
            if value:
                params[name] = value
        return [
            to_gift(g) for g in self._read("GET", "/v1/gift-cards", list[api.Gift], params=params)
        ]

    def create_gift_card(self, code: str, balance: int, key: str, **extra: Any) -> Gift:
        body = {"code": code, "balance": balance, **extra}
        return to_gift(self._admin("POST", "/v1/gift-cards", key, body))

    def change_gift_card(self, gift_id: str, key: str, **changes: Any) -> Gift:
        """enabled, code, balance (an adjustment in the ledger), usable_at, expires_at."""
        return to_gift(self._admin("PATCH", f"/v1/gift-cards/{gift_id}", key, changes))

    def cancel_gift_card(self, gift_id: str, key: str) -> None:
        self._admin("DELETE", f"/v1/gift-cards/{gift_id}", key, None)

    def change_config(self, key: str, **store_configurations: Any) -> StoreConfig:
        self._admin(
            "PATCH", "/v1/gift-card-config", key, {"store_configurations": store_configurations}
        )
        return self.config()

    def _admin(self, method: str, path: str, key: str, body: dict[str, Any] | None) -> Any:
        model = api.GiftCardConfig if path.endswith("config") else api.Gift
        return self._read(method, path, model, json=body, headers={"Idempotency-Key": key})
