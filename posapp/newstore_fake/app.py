"""A fake NewStore on Starlette: its Gift Card API (v0) under /v0/c, as the store app (and our
till) calls it, in our models of NewStore's published shapes (posapp/newstore_wire).

What it keeps of NewStore (../shared/design/newstore.md, docs/newstore.md for what NewStore
does not publish, decided as our provider's webhooks decide it):
- a Bearer token on every call (401 otherwise);
- every body read by our models, and refused (400) where it names a field NewStore does not
  publish: the fake is strict where our provider is lenient, so a till that sends what
  NewStore would not take is caught here;
- `value` in the tenant's units (`value_units`, major by default) and its one currency;
- the same idempotence_key gets the same answer, whatever the body (NewStore's rule);
- activate sells a card not sold yet; deactivate pays its balance out, where the business's
  store_configurations.cash_out_enabled allows it (seed 000), else 400 cash_out_disabled.
Its ledger (`movements`) is what a test checks: one entry per movement it made.
For tests: `fail_next` answers 5xx before anything happens, `forget_keys` drops the kept
answers, `recorder` sees every request and answer.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from posapp.core.major_units import NotAnAmount, Units, to_minor, to_value
from posapp.newstore_wire import shapes
from posapp.newstore_wire.strict import unknown_fields

BASE = "/v0/c"
Answer = tuple[int, dict[str, object]]
Body = TypeVar("Body", bound=BaseModel)
# (path, request body, HTTP status, answer body): what a test's recorder is given.
Exchange = tuple[str, object, int, object]


class Refused(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    def answer(self) -> Answer:
        return self.status, shapes.ErrorAnswer(
            error_code=self.code, message=self.message
        ).model_dump()


@dataclass
class Card:
    number: str
    balance: int  # minor units
    status: str  # "inactive" (printed, not sold), "active", "deactivated"
    pin: str | None = None

    def view(self) -> dict[str, object]:
        return {"number": self.number, "balance": self.balance, "status": self.status}


@dataclass
class FakeNewStore:
    token: str = field(default_factory=lambda: "ns-fake-" + secrets.token_hex(20))
    currency: str = "USD"
    value_units: Units = "major"
    cash_out_enabled: bool = True
    cards: dict[str, Card] = field(default_factory=dict)
    movements: list[dict[str, object]] = field(default_factory=list)
    requests: int = 0
    recorder: Callable[[Exchange], None] | None = None
    _keys: dict[str, Answer] = field(default_factory=dict)
    _faults: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- for tests and the demo ---------------------------------------------------------

    def add_card(self, number: str, balance: int, status: str, pin: str | None = None) -> None:
        self.cards[number.casefold()] = Card(number, balance, status, pin)

    def card(self, number: str) -> dict[str, object] | None:
        found = self.cards.get(number.casefold())
        return None if found is None else found.view()

    def fail_next(self, status: int = 500, count: int = 1) -> None:
        self._faults = [status] * count

    def forget_keys(self) -> None:
        self._keys.clear()

    # --- the HTTP app -------------------------------------------------------------------

    def app(self) -> Starlette:
        endpoints = [
            ("balance", self._endpoint("balance", shapes.BalanceRequest, self._balance)),
            ("activate", self._endpoint("activate", shapes.ActivateRequest, self._activate)),
            (
                "deactivate",
                self._endpoint("deactivate", shapes.DeactivateRequest, self._deactivate),
            ),
        ]
        return Starlette(
            routes=[
                Route(f"{BASE}/gift_card/{name}", endpoint, methods=["POST"])
                for name, endpoint in endpoints
            ]
        )

    def _endpoint(
        self, name: str, model: type[Body], handler: Callable[[Body], Answer]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            raw = await request.body()
            body: object = None
            with self._lock:
                self.requests += 1
                try:
                    if self._faults:
                        status = self._faults.pop(0)
                        return Response(b"upstream fault", status)
                    self._authorized(request)
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        raise Refused("validation_error", "The body is not JSON") from None
                    status, answer = self._once(name, body, model, handler)
                except Refused as refused:
                    status, answer = refused.answer()
                if self.recorder is not None:
                    self.recorder((request.url.path, body, status, answer))
            return JSONResponse(answer, status)

        return endpoint

    def _authorized(self, request: Request) -> None:
        kind, _, secret = request.headers.get("authorization", "").partition(" ")
        if kind.lower() != "bearer" or not secrets.compare_digest(secret.strip(), self.token):
            raise Refused("unauthorized", "A valid newStoreAccessToken is required", 401)

    def _once(
        self, name: str, body: object, model: type[Body], handler: Callable[[Body], Answer]
    ) -> Answer:
        """One answer per idempotence_key, whatever the body; the form is checked first."""
        extra = unknown_fields(model, body)
        if extra:
            raise Refused("validation_error", f"NewStore does not take {', '.join(extra)}")
        try:
            request = model.model_validate(body)
        except ValidationError as exc:
            words = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
            )
            raise Refused("validation_error", f"The body is not valid: {words}") from exc
        key = getattr(request, "idempotence_key", None)
        if key is None:
            if name == "activate":
                raise Refused("idempotency_key_required", "Send the activation's idempotence_key")
            return self._answer(handler, request)
        kept = f"{name}:{key}"
        if kept not in self._keys:
            self._keys[kept] = self._answer(handler, request)
        return self._keys[kept]

    @staticmethod
    def _answer(handler: Callable[[Body], Answer], request: Body) -> Answer:
        try:
            return handler(request)
        except Refused as refused:
            return refused.answer()

    # --- the operations -----------------------------------------------------------------

    def _minor(self, amount: shapes.Amount) -> int:
        if amount.currency.upper() != self.currency:
            raise Refused("validation_error", f"This tenant's cards are in {self.currency}")
        try:
            return to_minor(amount.value, self.currency, self.value_units)
        except NotAnAmount as exc:
            raise Refused("invalid_amount", str(exc)) from exc

    def _value(self, minor: int) -> int | float:
        return to_value(minor, self.currency, self.value_units)

    def _card(self, number: str, pin: str | None) -> Card:
        card = self.cards.get(number.casefold())
        if card is None or card.status == "inactive":
            raise Refused("gift_not_found", "No gift card with that number")
        if card.pin is not None and pin != card.pin:
            raise Refused("wrong_pin", "The card's PIN is wrong")
        return card

    def _balance(self, request: shapes.BalanceRequest) -> Answer:
        card = self._card(request.identifier.number, request.identifier.pin)
        held = card.balance if card.status == "active" else 0
        answer = shapes.BalanceAnswer(value=self._value(held), currency=self.currency)
        return 200, answer.model_dump()

    def _activate(self, request: shapes.ActivateRequest) -> Answer:
        amount = self._minor(request.amount)
        card = self.cards.get(request.card_number.casefold())
        if card is not None and card.status != "inactive":
            raise Refused("code_taken", "This card was sold already")
        number = card.number if card is not None else request.card_number
        self.cards[number.casefold()] = Card(number, amount, "active", card.pin if card else None)
        self.movements.append(
            {
                "type": "activation",
                "number": number,
                "amount": amount,
                "key": request.idempotence_key,
            }
        )
        answer = shapes.CardAnswer(identifier=shapes.Identifier(number=number, pin=None))
        return 200, answer.model_dump()

    def _deactivate(self, request: shapes.DeactivateRequest) -> Answer:
        if not self.cash_out_enabled:
            raise Refused("cash_out_disabled", "This business does not pay gift cards out in cash")
        card = self._card(request.card_number, request.pin)
        if card.status != "active" or card.balance <= 0:
            raise Refused("not_redeemable", "This card holds nothing to pay out")
        paid, card.balance, card.status = card.balance, 0, "deactivated"
        self.movements.append(
            {"type": "gift_card_cash_out", "number": card.number, "amount": paid,
             "key": request.idempotence_key}
        )  # fmt: skip
        answer = shapes.DeactivateAnswer(
            identifier=shapes.Identifier(number=card.number, pin=None),
            value=self._value(paid),
            currency=self.currency,
        )
        return 200, answer.model_dump()
