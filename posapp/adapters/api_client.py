"""The reference provider's API (api.md) as a gift card provider: paths, bodies, answers
and problem+json. The transport rules (deadline, retries, size limit, what a failure means)
are ProviderHttp's, shared with the other adapters.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from types import NoneType

from posapp.adapters.bounded_http import Answer
from posapp.adapters.cancel_call import Cancel
from posapp.adapters.problem_words import words
from posapp.adapters.provider_http import DEFAULT_HTTP, HttpSettings, ProviderHttp, T
from posapp.contract import answers, fields, headers, problems, refusals  # as the provider
from posapp.core.gift import Gift, GiftCardConfig, Movement, Transaction
from posapp.core.intent import Intent
from posapp.core.json_value import JsonObject, JsonValue
from posapp.i18n import _
from posapp.terminal.ports import Declined, LookupFailed, NoReference, ProviderError

log = logging.getLogger("posapp.provider_client")
# A money call's answer: api.md's, or its lookup's.
Moved = answers.MoneyAnswer | answers.ReversalAnswer | answers.MovementAnswer


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def to_gift(model: answers.Gift) -> Gift:
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


def to_transaction(model: answers.Transaction) -> Transaction:
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
        client_reference=model.client_reference,
    )


def _declines(path: str) -> frozenset[tuple[int, str]]:
    """The no's of the call at `path` (posapp/contract/refusals.py): a money call's by its
    last segment, a manager change's (its path names the gift cards, or one of them) its own.
    Any other answer to a money call is not a no: its outcome is unknown, settled with its
    key (house rule 14)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last in refusals.MONEY_CALLS:
        return refusals.MONEY_CALLS[last]
    if path.startswith("/v1/gift-cards"):
        return refusals.MANAGER_CHANGES
    raise KeyError(f"no declines known for {path}")


def _problem_json(answer: Answer) -> JsonObject | None:
    """The answer's problem (RFC 9457) with a text code, or None when it is not one."""
    if answer.media_type != problems.MEDIA_TYPE:
        return None
    try:
        problem = json.loads(answer.content)
    except ValueError:
        return None
    if not isinstance(problem, dict) or not isinstance(problem.get("code"), str):
        return None
    return problem


class ProviderClient(Cancel, ProviderHttp):
    """api.md's operations, typed results; the retry rules are ProviderHttp's."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        locale: str = "en_US",
        cash_out: str = "endpoint",
        http: HttpSettings = DEFAULT_HTTP,
    ) -> None:
        super().__init__(base_url, {headers.AUTHORIZATION: f"Bearer {token}"}, http)
        self.locale = locale
        self.cash_out = cash_out
        self.currency = ""  # learned from the first gift or config, for messages

    # --- api.md's errors ------------------------------------------------------------------

    def _declined(self, code: str, problem: JsonObject, answer: Answer) -> Declined:
        if code == "rate_limited" and "retry_after" not in problem:
            problem["retry_after"] = answer.headers.get(headers.RETRY_AFTER)
        problem.setdefault("currency", self.currency)
        return Declined(words(code, problem, self.locale), code, problem)

    def _refusal(self, answer: Answer) -> Declined:
        problem = _problem_json(answer)
        if problem is None:
            return Declined(
                _("The provider refused (HTTP {status})").format(status=answer.status),
                "http_error",
                {"status": answer.status},
            )
        return self._declined(str(problem["code"]), problem, answer)

    def _decline(self, path: str, answer: Answer) -> Declined | None:
        problem = _problem_json(answer)
        declines = _declines(path)
        if problem is not None and (answer.status, problem["code"]) in declines:
            return self._declined(str(problem["code"]), problem, answer)
        if problem is not None:
            log.info("%s answered %s %s: not a no for it", path, answer.status, problem["code"])
        return None

    def _move(
        self, path: str, key: str, body: JsonObject | None, model: type[Moved], ref: str | None
    ) -> tuple[Moved, str]:
        """A money movement, once per key (api.md Idempotency, the Idempotency-Key header):
        the answer parsed, and as it came; asked for by its reference before a retry."""
        ask = None if ref is None else (lambda: self._looked_up(ref))
        return self._post_money_raw(path, body, model, {headers.IDEMPOTENCY_KEY: key}, ask=ask)

    def _movement(self, answer: Moved, raw: str = "") -> Movement:
        gift = to_gift(answer.gift)
        self.currency = gift.currency
        reversed_ = None if isinstance(answer, answers.MoneyAnswer) else answer.reversed
        return Movement(
            to_transaction(answer.transaction),
            gift,
            to_transaction(reversed_) if reversed_ is not None else None,
            raw=raw,
        )

    # --- api.md operations ----------------------------------------------------------------

    def health(self) -> float:
        """Seconds for /healthz; Unreachable when it does not answer."""
        start = time.perf_counter()
        self._read("GET", "/healthz", answers.Health)
        return time.perf_counter() - start

    # `pin`: api.md's cards have no card PIN (the terminal token is the proof), so it is
    # taken, for the GiftProvider port, and never sent.
    def validate(
        self, *, code: str | None = None, public_token: str | None = None, pin: str | None = None
    ) -> Gift:
        body = {"code": code} if code is not None else {"public_token": public_token}
        gift = to_gift(self._read("POST", "/v1/gifts/validate", answers.GiftAnswer, json=body).gift)
        self.currency = gift.currency
        return gift

    def send(self, intent: Intent, idempotency_key: str, *, pin: str | None = None) -> Movement:
        """The intent as api.md's request, once per key (api.md "Idempotency"); `pin` is not
        sent: api.md's cards have none."""
        path, body = self.request_for(intent)
        undoes = intent.operation in ("reversal", "void")
        model = answers.ReversalAnswer if undoes else answers.MoneyAnswer
        found = self._move(path, idempotency_key, body, model, intent.client_reference)
        return self._movement(*found)

    def look_up(self, intent: Intent, idempotency_key: str) -> Movement | None:
        """api.md "Key retention and client references": the movement that carries the
        intent's client_reference, or None when the provider lists none. Whatever else it
        answers (no answer, a fault, a 404 from a provider without the lookup, a list
        naming another reference) says nothing: LookupFailed."""
        reference = intent.client_reference
        if reference is None:
            raise NoReference(_("This transaction was sent before the till named its movements"))
        found = self._looked_up(reference)
        return None if found is None else self._movement(*found)

    def _looked_up(self, reference: str) -> tuple[answers.MovementAnswer, str] | None:
        """The lookup's answer for one reference, and as it came; None when none."""
        try:
            found = self._read(
                "GET",
                "/v1/transactions/lookup",
                list[answers.MovementAnswer],
                params={"client_reference": reference},
            )
        except ProviderError as exc:
            said = _("The provider could not say whether it happened: {why}")
            raise LookupFailed(said.format(why=exc)) from exc
        if any(f.transaction.client_reference != reference for f in found) or len(found) > 1:
            log.warning("lookup of %s answered %d other movements", reference, len(found))
            raise LookupFailed(
                _("The provider's answer to whether it happened does not fit the question")
            )
        return (found[0], found[0].model_dump_json()) if found else None

    def request_for(self, intent: Intent) -> tuple[str, JsonObject | None]:
        """api.md's path and body for an intent (its "Endpoints" table)."""
        body: JsonObject = {}
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
            return f"/v1/gifts/{intent.gift_id}/redemptions", self._referenced(body, intent)
        if intent.operation == "cash_out":
            if intent.reference:
                body["reference"] = intent.reference
            if intent.reason:  # the statute that requires it (core/intent.cash_out)
                body["required_by"] = intent.reason
            path = f"/v1/gifts/{intent.gift_id}/cash-out"
            return path, self._referenced(body, intent) or None
        if intent.operation in ("reversal", "void"):  # api.md: a void reverses the sale
            body = {"reason": intent.reason} if intent.reason else {}
            path = f"/v1/transactions/{intent.transaction_id}/reversal"
            return path, self._referenced(body, intent) or None
        body = self._referenced({"amount": intent.amount}, intent)
        if intent.operation == "activation":
            body["code"] = intent.code
        if intent.reference:
            body["reference"] = intent.reference
        if intent.recipient_email:
            body["recipient"] = {"email": intent.recipient_email}
        if intent.operation == "activation":
            return "/v1/gift-cards/activations", body
        return "/v1/gift-cards/issues", body

    @staticmethod
    def _referenced(body: JsonObject, intent: Intent) -> JsonObject:
        """Every money call carries the till's client_reference (api.md)."""
        if intent.client_reference is not None:
            body["client_reference"] = intent.client_reference
        return body

    def transactions(
        self,
        *,
        since: datetime | None = None,
        location_id: str | None = None,
        gift_id: str | None = None,
    ) -> list[Transaction]:
        """Every page, oldest first."""
        params: dict[str, str | int] = {"limit": fields.PAGE_MAX}
        if since is not None:
            params["since"] = since.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if location_id:
            params["location_id"] = location_id
        if gift_id:
            params["gift_id"] = gift_id
        found: list[Transaction] = []
        while True:
            page = self._read("GET", "/v1/transactions", list[answers.Transaction], params=params)
            found += [to_transaction(t) for t in page]
            if len(page) < fields.PAGE_MAX:
                return found
            params["after"] = page[-1].id

    def config(self) -> GiftCardConfig:
        answer = self._read("GET", "/v1/gift-card-config", answers.GiftCardConfig)
        self.currency = answer.currency
        return GiftCardConfig(
            answer.currency,
            bool(answer.store_configurations.cash_out_enabled),
            answer.store_configurations.cash_out_max,
            answer.store_name,
        )

    def transaction_types(self) -> list[tuple[str, bool]]:
        """(type, non_sale); gift_card_cash_out is listed only while cash-out is enabled."""
        found = self._read("GET", "/v1/transaction-types", list[answers.TransactionTypeInfo])
        return [(t.type, t.non_sale) for t in found]

    # --- admin (an admin token): the gift cards screen ------------------------------------

    def gift_cards(
        self,
        *,
        code: str | None = None,
        code_ends_with: str | None = None,
        after: str | None = None,
        before: str | None = None,
        limit: int = 50,
        include_canceled: bool = False,
    ) -> list[Gift]:
        """api.md "Finding a gift card": a page of the store's cards."""
        params: dict[str, str | int | bool] = {"limit": limit, "include_canceled": include_canceled}
        for name, value in (
            ("code", code),
            ("code_ends_with", code_ends_with),
            ("after", after),
            ("before", before),
        ):
            if value:
                params[name] = value
        return [
            to_gift(g)
            for g in self._read("GET", "/v1/gift-cards", list[answers.Gift], params=params)
        ]

    def create_gift_card(self, code: str, balance: int, key: str, **extra: JsonValue) -> Gift:
        body: JsonObject = {"code": code, "balance": balance, **extra}
        return to_gift(self._admin("POST", "/v1/gift-cards", key, body, answers.Gift))

    def change_gift_card(self, gift_id: str, key: str, **changes: JsonValue) -> Gift:
        """enabled, code, balance (an adjustment in the ledger), usable_at, expires_at."""
        return to_gift(
            self._admin("PATCH", f"/v1/gift-cards/{gift_id}", key, changes, answers.Gift)
        )

    def cancel_gift_card(self, gift_id: str, key: str) -> None:
        self._admin("DELETE", f"/v1/gift-cards/{gift_id}", key, None, NoneType)

    def change_config(self, key: str, **store_configurations: JsonValue) -> GiftCardConfig:
        body: JsonObject = {"store_configurations": store_configurations}
        self._admin("PATCH", "/v1/gift-card-config", key, body, answers.GiftCardConfig)
        return self.config()

    def apply(self, intent: Intent, idempotency_key: str, *, again: bool = False) -> Gift | None:
        """A manager's money change (api.md "Manager changes"), once per key, with its
        client reference (the till's key) so it can be found again; the card after it, or
        None after a DELETE (the card is canceled and holds nothing). Sent as a money call is:
        what may have happened without an answer is OutcomeUnknown, never a no. `again`:
        looked for by its reference first (api.md "Key retention and client references")."""
        reference = intent.client_reference or idempotency_key
        if again:
            found = self._change_found(reference)
            if found is not None:
                return found
        method, path, body = self.change_for(intent, reference)
        key = {headers.IDEMPOTENCY_KEY: idempotency_key}
        if method == "DELETE":  # api.md: 204, the card is canceled
            self._post_money(path, body, NoneType, key, method=method)
            return None
        return to_gift(self._post_money(path, body, answers.Gift, key, method=method))

    @staticmethod
    def change_for(intent: Intent, reference: str) -> tuple[str, str, JsonObject]:
        """api.md's method, path and body for a manager change."""
        body: JsonObject = {"client_reference": reference}
        if intent.reason:
            body["reason"] = intent.reason
        if intent.operation == "card_created":
            body.update(code=intent.code, balance=intent.balance)
            if intent.expires_at:
                body["expires_at"] = intent.expires_at
            return "POST", "/v1/gift-cards", body
        path = f"/v1/gift-cards/{intent.gift_id}"
        if intent.operation == "adjustment":
            return "PATCH", path, {**body, "balance": intent.balance}
        if intent.operation == "card_canceled":
            return "DELETE", path, body
        raise ValueError(f"not a manager change: {intent.operation}")

    def _change_found(self, reference: str) -> Gift | None:
        """The card after the change whose adjustment carries `reference`; None when the
        provider lists none. LookupFailed when it cannot say (as for a movement)."""
        found = self._looked_up(reference)
        return None if found is None else to_gift(found[0].gift)

    def _admin(
        self, method: str, path: str, key: str, body: JsonObject | None, model: type[T]
    ) -> T:
        return self._read(method, path, model, json=body, headers={headers.IDEMPOTENCY_KEY: key})
