"""The gift card provider over HTTP (api.md), with httpx.

Every failure becomes one of four errors a use case can act on:
- Declined: the provider answered no (a problem+json 4xx that api.md gives for the call);
  nothing happened. Its message is in a cashier's words ("Only $12.00 left on this card").
- Unreachable: the request never reached the provider (connect error or time-out), or a
  read did not finish by its deadline; nothing happened.
- OutcomeUnknown: it may have happened (read timeout, connection reset after sending, 5xx,
  an answer the contract does not give, one we cannot read or too large). Money calls are retried with the same Idempotency-Key, and
  what stays unknown is settled later with that key.
- BadAnswer: a read call got an answer that breaks the contract.
"""

from __future__ import annotations

import json
import logging
import ssl
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from posapp.adapters import bounded_http
from posapp.adapters.bounded_http import Answer, AnswerRefused
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


# api.md's answers that say no for each money call, by (status, code): a decline means
# nothing happened. Any other answer to a money call (another content type, an unknown code,
# a status the contract does not give for that call: what a proxy or load balancer in front
# of the provider sends) may come after the provider committed, so the outcome is unknown
# and settled with the same key (house rule 14). request_in_progress is retried, not a no.
_EVERY_CALL = {
    (400, "idempotency_key_required"),
    (401, "unauthorized"),
    (403, "forbidden"),
    (413, "payload_too_large"),
    (422, "validation_error"),
}
DECLINES: dict[str, frozenset[tuple[int, str]]] = {
    "redemptions": frozenset(
        _EVERY_CALL
        | {
            (404, "not_found"),
            (404, "gift_not_found"),
            (409, "not_redeemable"),
            (422, "invalid_amount"),
            (422, "insufficient_balance"),
        }
    ),
    "reversal": frozenset(
        _EVERY_CALL | {(404, "not_found"), (409, "already_reversed"), (409, "not_reversible")}
    ),
    "cash-out": frozenset(
        _EVERY_CALL
        | {
            (403, "cash_out_disabled"),
            (404, "not_found"),
            (404, "gift_not_found"),
            (409, "not_redeemable"),
            (422, "cash_out_limit_exceeded"),
        }
    ),
    "activations": frozenset(_EVERY_CALL | {(409, "code_taken"), (422, "invalid_amount")}),
    "issues": frozenset(_EVERY_CALL | {(422, "invalid_amount")}),
}
PROBLEM = "application/problem+json"
MAX_ANSWER_BYTES = 1024 * 1024


def _problem_json(answer: Answer) -> dict[str, Any] | None:
    """The answer's problem (RFC 9457) with a text code, or None when it is not one."""
    if answer.media_type != PROBLEM:
        return None
    try:
        problem = json.loads(answer.content)
    except ValueError:
        return None
    if not isinstance(problem, dict) or not isinstance(problem.get("code"), str):
        return None
    return problem


class ProviderClient:
    """One method per api.md operation, typed results, the retry rules of issue 4.

    Every call has one deadline: `timeout_s` for the whole call, retries included, or
    `deadline_s` for money calls when given (a longer wait for an answer is worth it there:
    what is not answered by then is left to settle)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_s: float = 10.0,
        deadline_s: float | None = None,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
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
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": "posapp",
                # A compressed answer could expand past the size limit after it is counted.
                "Accept-Encoding": "identity",
            },
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            transport=transport if transport is not None else bounded_http.transport(verify),
        )
        self.timeout_s = timeout_s
        self.deadline_s = deadline_s or timeout_s
        self.max_answer_bytes = max_answer_bytes
        self.locale = locale
        self.cash_out = cash_out
        self.backoff = backoff
        self.sleep = sleep
        self.currency = ""  # learned from the first gift or config, for messages

    def close(self) -> None:
        self.http.close()

    # --- plumbing -------------------------------------------------------------------------

    def _exchange(self, method: str, path: str, until: float, **kwargs: Any) -> Answer:
        return bounded_http.exchange(
            self.http, method, path, until=until, limit=self.max_answer_bytes, **kwargs
        )

    def _declined(self, code: str, problem: dict[str, Any], answer: Answer) -> Declined:
        if code == "rate_limited" and "retry_after" not in problem:
            problem["retry_after"] = answer.headers.get("retry-after")
        problem.setdefault("currency", self.currency)
        return Declined(words(code, problem, self.locale), code, problem)

    def _problem(self, answer: Answer) -> Declined:
        """A read's 4xx: nothing changed whatever it is, so any 4xx is a no."""
        problem = _problem_json(answer)
        if problem is None:
            return Declined(
                f"The provider refused (HTTP {answer.status})",
                "http_error",
                {"status": answer.status},
            )
        return self._declined(problem["code"], problem, answer)

    @staticmethod
    def _no_time_for(pause: float, until: float) -> bool:
        """The pause before a retry would end past the deadline."""
        return time.monotonic() + pause >= until

    def _read(self, method: str, path: str, model: type[T] | Any, **kwargs: Any) -> Any:
        """A call that changes nothing, or an admin change that carries an Idempotency-Key:
        a dropped connection or a 5xx is asked again (harmless either way) while the
        deadline allows; a time-out is said at once (the cashier has waited long enough)."""
        until = time.monotonic() + self.timeout_s
        for pause in (*self.backoff, None):
            try:
                answer = self._exchange(method, path, until, **kwargs)
            except httpx.TimeoutException as exc:
                raise Unreachable(
                    "The gift card provider did not answer in time: try again"
                ) from exc
            except AnswerRefused as exc:
                log.warning("answer to %s %s refused: %s", method, path, exc)
                raise BadAnswer(
                    "The gift card provider sent an answer the terminal cannot read: "
                    "ask for support if it happens again"
                ) from exc
            except httpx.TransportError as exc:  # a read changes nothing: safe to ask again
                if pause is None or self._no_time_for(pause, until):
                    raise Unreachable(PROVIDER_DOWN) from exc
                self.sleep(pause)
                continue
            if answer.status >= 500:
                if pause is None or self._no_time_for(pause, until):
                    raise Unreachable(
                        f"The gift card provider has a fault (HTTP {answer.status}): try again later"
                    )
                self.sleep(pause)
                continue
            if answer.status >= 400:
                raise self._problem(answer)
            if answer.status == 204:
                return None
            return self._parse(answer, model, BadAnswer)
        raise AssertionError("the loop always returns or raises")  # pragma: no cover

    def _parse(self, answer: Answer, model: Any, error: type[ProviderError]) -> Any:
        try:
            if isinstance(model, type) and issubclass(model, BaseModel):
                return model.model_validate_json(answer.content)
            from pydantic import TypeAdapter

            return TypeAdapter(model).validate_json(answer.content)
        except (ValidationError, ValueError) as exc:
            log.warning(
                "malformed answer to %s %s: %s",
                answer.method,
                answer.path,
                str(exc).splitlines()[0],
            )
            raise error(
                "The gift card provider sent an answer the terminal cannot read: "
                "ask for support if it happens again"
            ) from exc

    def _move(self, path: str, key: str, body: dict[str, Any] | None, model: Any) -> Any:
        """A money movement, once per key (api.md Idempotency), within `deadline_s`.

        Never sent (connect error or time-out): retried, then Unreachable, nothing happened.
        A decline api.md gives for this call (DECLINES): nothing happened.
        Anything else may have happened (read time-out, reset after sending, 5xx, 409
        request_in_progress, an answer the contract does not give, one too large or
        unreadable): retried with the same key while the deadline allows, then OutcomeUnknown.
        """
        headers = {"Idempotency-Key": key}
        declines = DECLINES[path.rstrip("/").rsplit("/", 1)[-1]]
        until = time.monotonic() + self.deadline_s
        maybe_sent = False
        for pause in (*self.backoff, None):
            try:
                answer = self._exchange("POST", path, until, json=body, headers=headers)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout):
                pass  # this attempt never left the terminal
            except (httpx.HTTPError, AnswerRefused) as exc:  # sent, or partly: unknown
                maybe_sent = True
                log.info("no answer to %s (%s); retrying with the same key", path, exc)
            else:
                if 200 <= answer.status < 300:
                    return self._parse(answer, model, OutcomeUnknown)
                maybe_sent = True
                problem = _problem_json(answer)
                if problem is not None and (answer.status, problem["code"]) in declines:
                    raise self._declined(problem["code"], problem, answer)
                log.info(
                    "answer to %s not in the contract's no's (HTTP %s, %s); outcome unknown",
                    path,
                    answer.status,
                    problem["code"] if problem else answer.media_type or "no content type",
                )
            if pause is None or self._no_time_for(pause, until):
                if maybe_sent:
                    raise OutcomeUnknown(UNKNOWN)
                raise Unreachable(PROVIDER_DOWN)
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
