"""A fake Square (Gift Cards and Gift Card Activities, plus RetrieveLocation) on Starlette.

What it keeps of Square, from the OpenAPI specification (spec.py) and Square's docs:
- every request body and query is checked against Square's published schema (unknown
  fields, required fields, types, enums, lengths); answers are Square's shapes, with
  `errors: [{category, code, detail, field}]` and Square's HTTP statuses;
- `Authorization: Bearer <token>` on every call (401 UNAUTHORIZED), `Square-Version` when
  sent must be a date;
- idempotency: the same key with the same body gets the first answer again; with another
  body it is 400 IDEMPOTENCY_KEY_REUSED; answers that failed are not kept;
- gift card states PENDING -> ACTIVE -> DEACTIVATED (and BLOCKED): ACTIVATE needs PENDING,
  balance changes need ACTIVE, a redemption above the balance is INSUFFICIENT_FUNDS, a
  REFUND names a REDEEM of the same card and gives back no more than it took, an
  ADJUST_DECREMENT (with its reason, as the schema requires) takes no more than the balance;
- activities are listed newest first by default, filtered, and paged with a cursor.
Where the docs do not say which error code Square sends (ACTIVATE on a card that is not
PENDING, a GAN taken), it answers BAD_REQUEST with a detail; an adapter must not depend on
those codes. For tests: `fail_next` answers 429 or 5xx, `forget_keys` drops the stored
idempotent answers (a key Square no longer remembers).
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, cast

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from posapp.square_fake import activities, spec
from posapp.square_fake.wire import JsonObject, SquareError, now


@dataclass
class FakeSquare:
    token: str = field(default_factory=lambda: "EAAAfake" + secrets.token_hex(16))
    currency: str = "USD"
    locations: dict[str, str] = field(
        default_factory=lambda: {"LPOSAPPTILL1": "Corner Books, Till 1"}
    )
    cards: dict[str, JsonObject] = field(default_factory=dict)
    activities: list[JsonObject] = field(default_factory=list)
    requests: int = 0
    _keys: dict[tuple[str, str], tuple[JsonObject, JsonObject]] = field(default_factory=dict)
    _faults: list[tuple[int, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def location_id(self) -> str:
        return next(iter(self.locations))

    # --- for tests and the demo -------------------------------------------------------------

    def add_card(
        self, gan: str, balance: int = 0, state: str = "ACTIVE", kind: str = "PHYSICAL"
    ) -> JsonObject:
        card: JsonObject = {
            "id": "gftc:" + secrets.token_hex(16),
            "type": kind,
            "gan_source": "SQUARE" if kind == "DIGITAL" else "OTHER",
            "state": state,
            "balance_money": {"amount": balance, "currency": self.currency},
            "gan": gan,
            "created_at": now(),
        }
        self.cards[card["id"]] = card
        return card

    def by_gan(self, gan: str) -> JsonObject | None:
        return next((c for c in self.cards.values() if c["gan"] == gan), None)

    def fail_next(self, count: int, status: int = 503) -> None:
        code = {429: "RATE_LIMITED", 500: "INTERNAL_SERVER_ERROR"}.get(
            status, "SERVICE_UNAVAILABLE"
        )
        self._faults = [(status, code)] * count

    def forget_keys(self) -> None:
        self._keys.clear()

    # --- the HTTP app ---------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v2/gift-cards/from-gan", self._endpoint(self.from_gan), methods=["POST"]),
                Route(
                    "/v2/gift-cards/activities",
                    self._endpoint(self.create_activity),
                    methods=["POST"],
                ),
                Route(
                    "/v2/gift-cards/activities",
                    self._endpoint(self.list_activities),
                    methods=["GET"],
                ),
                Route("/v2/gift-cards/{id}", self._endpoint(self.retrieve_card), methods=["GET"]),
                Route("/v2/gift-cards", self._endpoint(self.create_card), methods=["POST"]),
                Route(
                    "/v2/locations/{id}", self._endpoint(self.retrieve_location), methods=["GET"]
                ),
            ]
        )

    def _endpoint(
        self, handler: Callable[[Request, Any], JsonObject]
    ) -> Callable[[Request], Awaitable[JSONResponse]]:
        async def endpoint(request: Request) -> JSONResponse:
            raw = await request.body()
            try:
                with self._lock:
                    self.requests += 1
                    self._check_request(request)
                    body = self._body(request, raw)
                    return JSONResponse(handler(request, body))
            except SquareError as exc:
                return exc.answer()
            except spec.Invalid as exc:
                return SquareError(400, exc.code, exc.detail, field=exc.field).answer()

        return endpoint

    def _check_request(self, request: Request) -> None:
        if self._faults:
            status, code = self._faults.pop()
            category = "RATE_LIMIT_ERROR" if status == 429 else "API_ERROR"
            raise SquareError(status, code, "The fake was told to fail", category)
        if request.headers.get("authorization") != f"Bearer {self.token}":
            raise SquareError(
                401, "UNAUTHORIZED", "This request could not be authorized.", "AUTHENTICATION_ERROR"
            )
        version = request.headers.get("square-version")
        if version is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", version):
            raise SquareError(
                400, "INVALID_SQUARE_VERSION_FORMAT", f"Invalid Square-Version {version!r}"
            )

    def _body(self, request: Request, raw: bytes) -> JsonObject | None:
        path = request.url.path
        if request.method == "GET":
            if path == "/v2/gift-cards/activities":
                spec.validate_query("GET", path, dict(request.query_params))
            return None
        import json

        if not request.headers.get("content-type", "").startswith("application/json"):
            raise SquareError(400, "INVALID_CONTENT_TYPE", "Content-Type must be application/json")
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise SquareError(400, "EXPECTED_JSON_BODY", "The body is not JSON") from exc
        spec.validate_body("POST", path, body)
        return cast(JsonObject, body)  # validate_body refuses what is not the schema's object

    def _idempotent(self, path: str, body: JsonObject, run: Callable[[], JsonObject]) -> JsonObject:
        key = (path, body["idempotency_key"])
        if key in self._keys:
            first, answer = self._keys[key]
            if first != body:
                raise SquareError(
                    400,
                    "IDEMPOTENCY_KEY_REUSED",
                    "The idempotency key was used with another request",
                )
            return answer
        made: JsonObject = run()
        self._keys[key] = (body, made)
        return made

    # --- endpoints ------------------------------------------------------------------------

    def card_of(self, card_id: str | None, gan: str | None = None) -> JsonObject:
        card = self.cards.get(card_id or "") if card_id else self.by_gan(gan or "")
        if card is None:
            raise SquareError(404, "NOT_FOUND", "Gift card not found.")
        return card

    def check_location(self, location_id: str) -> None:
        if location_id not in self.locations:
            raise SquareError(
                404, "NOT_FOUND", f"Location {location_id} not found.", field="location_id"
            )

    def from_gan(self, _request: Request, body: JsonObject) -> JsonObject:
        return {"gift_card": self.card_of(None, body["gan"])}

    def retrieve_card(self, request: Request, _body: None) -> JsonObject:
        return {"gift_card": self.card_of(request.path_params["id"])}

    def retrieve_location(self, request: Request, _body: None) -> JsonObject:
        wanted = request.path_params["id"]
        wanted = self.location_id if wanted == "main" else wanted
        self.check_location(wanted)
        return {
            "location": {
                "id": wanted,
                "name": self.locations[wanted],
                "status": "ACTIVE",
                "currency": self.currency,
            }
        }

    def create_card(self, _request: Request, body: JsonObject) -> JsonObject:
        def run() -> JsonObject:
            self.check_location(body["location_id"])
            wanted = body["gift_card"]
            gan = wanted.get("gan")
            if wanted.get("gan_source") == "OTHER" and not gan:
                raise SquareError(
                    400,
                    "MISSING_REQUIRED_PARAMETER",
                    "A custom GAN is needed",
                    field="gift_card.gan",
                )
            if gan is not None:
                if not re.fullmatch(r"[A-Za-z0-9]{8,20}", gan):
                    raise SquareError(
                        400,
                        "INVALID_VALUE",
                        "A GAN has 8 to 20 letters and digits",
                        field="gift_card.gan",
                    )
                if self.by_gan(gan) is not None:
                    raise SquareError(
                        400,
                        "BAD_REQUEST",
                        "A gift card with this GAN already exists",
                        field="gift_card.gan",
                    )
            else:
                gan = "7783" + "".join(secrets.choice("0123456789") for _ in range(12))
            card = self.add_card(gan, 0, "PENDING", wanted["type"])
            card["gan_source"] = wanted.get("gan_source", "SQUARE")
            return {"gift_card": card}

        return self._idempotent("/v2/gift-cards", body, run)

    def create_activity(self, _request: Request, body: JsonObject) -> JsonObject:
        return self._idempotent(
            "/v2/gift-cards/activities",
            body,
            lambda: activities.create(self, body["gift_card_activity"]),
        )

    def list_activities(self, request: Request, _body: None) -> JsonObject:
        return activities.listed(self.activities, request.query_params)


# The demo cards, in Square's states: the reference provider's demo store where Square has
# the same thing (a zero balance; BLOCKED and PENDING stand for its disabled and not yet
# usable cards; DEACTIVATED for canceled).
DEMO_CARDS = [
    ("500000000000001", 7500, "ACTIVE", "active, $75.00"),
    ("500000000000002", 1250, "ACTIVE", "active, $12.50"),
    ("500000000000003", 0, "ACTIVE", "used up (zero balance)"),
    ("500000000000004", 0, "PENDING", "pending (not sold yet)"),
    ("500000000000006", 2500, "BLOCKED", "blocked"),
    ("500000000000007", 1500, "DEACTIVATED", "deactivated"),
    ("123456789012", 5000, "ACTIVE", "active, $50.00 (a typed voucher)"),
]


def demo_square() -> tuple[FakeSquare, list[dict[str, str]]]:
    from posapp.provider.demo import scan_text

    fake = FakeSquare()
    for gan, balance, state, _shows in DEMO_CARDS:
        fake.add_card(gan, balance, state)
    cards = [
        {"code": gan, "shows": shows, "scan": scan_text(gan)} for gan, _b, _s, shows in DEMO_CARDS
    ]
    return fake, cards
