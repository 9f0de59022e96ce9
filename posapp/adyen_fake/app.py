"""A fake Adyen on Starlette: the Checkout API under /checkout/v71 and the Stored Value API
under /pal/servlet/StoredValue/v46, so one server is both bases of `[provider]`.

What it keeps of Adyen (its docs and the published OpenAPI files, through our wire models):
- `X-API-Key` on every call (401 ServiceError otherwise) and the one merchant account the key
  may use (403, errorCode 901);
- every body parsed by our request models: unknown fields, loose types and lengths are a 422
  ServiceError (errorCode 702), as Adyen's schema would refuse them;
- `Idempotency-Key` (at most 64 characters): the same key with the same body on the same path
  gets the first answer again, status included, with the key echoed in the answer's header;
  the same key with another body or path is a 422 (errorCode 704). Errors are not kept, so a
  request refused for its form can be sent again under its key;
- refusals are HTTP 200 (checkout_routes.py and stored_value_routes.py say which and why).
For tests: `fail_next` answers 5xx (or 429) before anything happens, `forget_keys` drops the
stored answers (a key Adyen no longer remembers), `recorder` sees every request and answer.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from posapp.adyen_fake import checkout_routes, stored_value_routes
from posapp.adyen_fake.cards import Book, Payment
from posapp.adyen_fake.wire import AdyenError, key_reused, unauthorized
from posapp.adyen_wire import checkout as co
from posapp.adyen_wire import stored_value as sv
from posapp.adyen_wire.base import (
    API_KEY_HEADER,
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_KEY_MAX,
    JsonObject,
)

CHECKOUT = "/checkout/v71"
STORED_VALUE = "/pal/servlet/StoredValue/v46"

Handler = Callable[[Book, object, dict[str, str]], tuple[int, JsonObject]]
# (path, request body, HTTP status, answer body): what a test's recorder is given.
Exchange = tuple[str, object, int, object]

ROUTES: list[tuple[str, Handler]] = [
    (CHECKOUT + co.PAYMENTS, checkout_routes.pay),
    (CHECKOUT + co.BALANCE, checkout_routes.balance),
    (CHECKOUT + co.CANCELS, checkout_routes.cancel_by_reference),
    (CHECKOUT + co.reversals("{psp}"), checkout_routes.reverse),
    (CHECKOUT + co.refunds("{psp}"), checkout_routes.refund),
    (CHECKOUT + co.cancels("{psp}"), checkout_routes.cancel),
    (STORED_VALUE + sv.CHECK_BALANCE, stored_value_routes.check_balance),
    (STORED_VALUE + sv.CHANGE_STATUS, stored_value_routes.change_status),
    (STORED_VALUE + sv.ISSUE, stored_value_routes.issue),
    (STORED_VALUE + sv.LOAD, stored_value_routes.load),
    (STORED_VALUE + sv.VOID, stored_value_routes.void),
]


@dataclass
class FakeAdyen(Book):
    api_key: str = field(default_factory=lambda: "AQEfake" + secrets.token_hex(20))
    requests: int = 0
    recorder: Callable[[Exchange], None] | None = None
    _keys: dict[str, tuple[str, object, int, JsonObject]] = field(default_factory=dict)
    _faults: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- for tests and the demo -------------------------------------------------------------

    def card(self, number: str) -> dict[str, object] | None:
        """The card as the fake holds it (balance, status, pin, ...), or None."""
        found = self.card_of(number)
        return found.view() if found is not None else None

    def payment(self, reference_or_psp: str) -> Payment | None:
        return self.payments.get(reference_or_psp) or self.by_psp.get(reference_or_psp)

    def fail_next(self, status: int = 500, count: int = 1) -> None:
        """The next `count` calls answer this status (a ServiceError) before anything happens."""
        self._faults = [status] * count

    def forget_keys(self) -> None:
        self._keys.clear()

    # --- the HTTP app ---------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(path, self._endpoint(handler), methods=["POST"]) for path, handler in ROUTES
            ]
        )

    def _endpoint(self, handler: Handler) -> Callable[[Request], Awaitable[JSONResponse]]:
        async def endpoint(request: Request) -> JSONResponse:
            raw = await request.body()
            body: object = None
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")  # not JSON: refused after the key check
            headers: dict[str, str] = {}
            try:
                with self._lock:
                    self.requests += 1
                    self._check(request)
                    if isinstance(body, str):
                        raise AdyenError(400, "702", "Unexpected input: the body is not JSON")
                    params = dict(request.path_params)
                    key = request.headers.get(IDEMPOTENCY_HEADER)
                    status, answer = self._idempotent(
                        key, request.url.path, body, lambda: handler(self, body, params)
                    )
                    if key is not None:
                        headers[IDEMPOTENCY_HEADER] = key
            except AdyenError as exc:
                # Stored Value's spec lists no 422: it refuses a request's form with a 400.
                if exc.status == 422 and request.url.path.startswith(STORED_VALUE):
                    exc.status = 400
                status, answer = exc.status, exc.answer_body()
            if self.recorder is not None:
                self.recorder((request.url.path, body, status, answer))
            return JSONResponse(answer, status, headers=headers)

        return endpoint

    def _check(self, request: Request) -> None:
        if self._faults:
            status = self._faults.pop()
            kind = "throttling" if status == 429 else "internal"
            raise AdyenError(status, "000", "The fake was told to fail", kind)
        if request.headers.get(API_KEY_HEADER) != self.api_key:
            raise unauthorized()
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is not None and not 0 < len(key) <= IDEMPOTENCY_KEY_MAX:
            raise AdyenError(422, "702", "Idempotency-Key is 1 to 64 characters")
        if not request.headers.get("content-type", "").startswith("application/json"):
            raise AdyenError(415, "000", "Content-Type must be application/json")

    def _idempotent(
        self, key: str | None, path: str, body: object, run: Callable[[], tuple[int, JsonObject]]
    ) -> tuple[int, JsonObject]:
        if key is None:
            return run()
        if key in self._keys:
            first_path, first_body, status, answer = self._keys[key]
            if (first_path, first_body) != (path, body):
                raise key_reused()
            return status, answer
        status, answer = run()
        self._keys[key] = (path, body, status, answer)
        return status, answer
