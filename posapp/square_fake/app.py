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

import base64
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from posapp.square_fake import spec


class SquareError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        category: str = "INVALID_REQUEST_ERROR",
        **extra: str,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.category = status, code, detail, category
        self.extra = extra

    def answer(self) -> JSONResponse:
        error = {"category": self.category, "code": self.code, "detail": self.detail, **self.extra}
        return JSONResponse({"errors": [error]}, self.status)


def _time(text: str | None, default: datetime = datetime.min) -> datetime:
    if text is None:
        return default.replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SquareError(400, "INVALID_TIME", f"{text!r} is not an RFC 3339 time") from exc


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class FakeSquare:
    token: str = field(default_factory=lambda: "EAAAfake" + secrets.token_hex(16))
    currency: str = "USD"
    locations: dict[str, str] = field(
        default_factory=lambda: {"LPOSAPPTILL1": "Corner Books, Till 1"}
    )
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    activities: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    _keys: dict[tuple[str, str], tuple[Any, dict[str, Any]]] = field(default_factory=dict)
    _faults: list[tuple[int, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def location_id(self) -> str:
        return next(iter(self.locations))

    # --- for tests and the demo -------------------------------------------------------------

    def add_card(
        self, gan: str, balance: int = 0, state: str = "ACTIVE", kind: str = "PHYSICAL"
    ) -> dict[str, Any]:
        card: dict[str, Any] = {
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

    def by_gan(self, gan: str) -> dict[str, Any] | None:
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

    def _endpoint(self, handler: Any) -> Any:
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

    def _body(self, request: Request, raw: bytes) -> Any:
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
        return body

    def _idempotent(self, path: str, body: dict[str, Any], run: Any) -> dict[str, Any]:
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
        made: dict[str, Any] = run()
        self._keys[key] = (body, made)
        return made

    # --- endpoints ------------------------------------------------------------------------

    def _card(self, card_id: str | None, gan: str | None = None) -> dict[str, Any]:
        card = self.cards.get(card_id or "") if card_id else self.by_gan(gan or "")
        if card is None:
            raise SquareError(404, "NOT_FOUND", "Gift card not found.")
        return card

    def _location(self, location_id: str) -> None:
        if location_id not in self.locations:
            raise SquareError(
                404, "NOT_FOUND", f"Location {location_id} not found.", field="location_id"
            )

    def from_gan(self, _request: Request, body: dict[str, Any]) -> dict[str, Any]:
        return {"gift_card": self._card(None, body["gan"])}

    def retrieve_card(self, request: Request, _body: None) -> dict[str, Any]:
        return {"gift_card": self._card(request.path_params["id"])}

    def retrieve_location(self, request: Request, _body: None) -> dict[str, Any]:
        wanted = request.path_params["id"]
        wanted = self.location_id if wanted == "main" else wanted
        self._location(wanted)
        return {
            "location": {
                "id": wanted,
                "name": self.locations[wanted],
                "status": "ACTIVE",
                "currency": self.currency,
            }
        }

    def create_card(self, _request: Request, body: dict[str, Any]) -> dict[str, Any]:
        def run() -> dict[str, Any]:
            self._location(body["location_id"])
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

    def create_activity(self, _request: Request, body: dict[str, Any]) -> dict[str, Any]:
        return self._idempotent(
            "/v2/gift-cards/activities", body, lambda: self._activity(body["gift_card_activity"])
        )

    def _activity(self, wanted: dict[str, Any]) -> dict[str, Any]:
        self._location(wanted["location_id"])
        kind = wanted["type"]
        details_name = f"{kind.lower()}_activity_details"
        details = wanted.get(details_name)
        made = (
            "ACTIVATE",
            "REDEEM",
            "ADJUST_INCREMENT",
            "ADJUST_DECREMENT",
            "CLEAR_BALANCE",
            "DEACTIVATE",
            "REFUND",
        )
        if kind not in made:
            raise SquareError(400, "BAD_REQUEST", f"This fake does not create {kind} activities")
        if details is None:
            field = f"gift_card_activity.{details_name}"
            raise SquareError(
                400,
                "MISSING_REQUIRED_PARAMETER",
                f"Missing required parameter `{field}`",
                field=field,
            )
        if not wanted.get("gift_card_id") and not wanted.get("gift_card_gan"):
            raise SquareError(
                400,
                "MISSING_REQUIRED_PARAMETER",
                "Give gift_card_id or gift_card_gan",
                field="gift_card_activity.gift_card_id",
            )
        card = self._card(wanted.get("gift_card_id"), wanted.get("gift_card_gan"))
        amount = self._amount(details, details_name)
        balance = card["balance_money"]["amount"]
        if kind == "ACTIVATE":
            if card["state"] != "PENDING":
                raise SquareError(
                    400, "BAD_REQUEST", f"The gift card is {card['state']}, not PENDING"
                )
            if not details.get("order_id") and not details.get("buyer_payment_instrument_ids"):
                field = f"gift_card_activity.{details_name}.buyer_payment_instrument_ids"
                raise SquareError(
                    400,
                    "MISSING_REQUIRED_PARAMETER",
                    "Without an order, give the buyer's payment instruments",
                    field=field,
                )
            card["state"], balance = "ACTIVE", balance + (amount or 0)
        elif card["state"] != "ACTIVE":
            raise SquareError(400, "BAD_REQUEST", f"The gift card is {card['state']}")
        elif kind == "REDEEM":
            assert amount is not None
            if amount > balance:
                raise SquareError(
                    400,
                    "INSUFFICIENT_FUNDS",
                    "The gift card does not have enough funds.",
                    "PAYMENT_METHOD_ERROR",
                )
            balance -= amount
            details = {**details, "status": "COMPLETED"}
        elif kind == "ADJUST_INCREMENT":
            balance += amount or 0
        elif kind == "REFUND":
            balance += self._refundable(card, details, amount)
        elif kind == "ADJUST_DECREMENT":
            assert amount is not None  # the schema requires amount_money
            if amount > balance:  # Square's docs do not name the code: see the docstring
                raise SquareError(400, "BAD_REQUEST", "The gift card balance is too low")
            balance -= amount
        elif kind == "CLEAR_BALANCE":
            balance = 0
        else:
            card["state"] = "DEACTIVATED"
        card["balance_money"] = {"amount": balance, "currency": self.currency}
        activity = {
            "id": "gcact_" + secrets.token_hex(16),
            "type": kind,
            "location_id": wanted["location_id"],
            "created_at": now(),
            "gift_card_id": card["id"],
            "gift_card_gan": card["gan"],
            "gift_card_balance_money": dict(card["balance_money"]),
            details_name: details,
        }
        self.activities.append(activity)
        return {"gift_card_activity": activity}

    def _refundable(self, card: dict[str, Any], details: dict[str, Any], amount: int | None) -> int:
        """A REFUND made by a custom payment processing system names the REDEEM it gives
        back, on the same card (Square's GiftCardActivityRefund), for at most what that
        redemption took, less what was refunded of it before."""
        redeemed = next(
            (
                a
                for a in self.activities
                if a["id"] == details.get("redeem_activity_id") and a["type"] == "REDEEM"
            ),
            None,
        )
        if redeemed is None or redeemed["gift_card_id"] != card["id"]:
            raise SquareError(
                400,
                "BAD_REQUEST",
                "A REFUND names a REDEEM activity of the same gift card",
                field="gift_card_activity.refund_activity_details.redeem_activity_id",
            )
        if amount is None:
            raise SquareError(
                400,
                "MISSING_REQUIRED_PARAMETER",
                "A REFUND needs its amount_money",
                field="gift_card_activity.refund_activity_details.amount_money",
            )
        given = sum(
            a["refund_activity_details"]["amount_money"]["amount"]
            for a in self.activities
            if a["type"] == "REFUND"
            and a["refund_activity_details"].get("redeem_activity_id") == redeemed["id"]
        )
        if given + amount > redeemed["redeem_activity_details"]["amount_money"]["amount"]:
            raise SquareError(400, "BAD_REQUEST", "More than the redemption took")
        return amount

    def _amount(self, details: dict[str, Any], name: str) -> int | None:
        money = details.get("amount_money")
        if money is None:
            return None
        field = f"gift_card_activity.{name}.amount_money"
        if money.get("currency") != self.currency:
            raise SquareError(
                400,
                "CURRENCY_MISMATCH",
                f"The currency is {self.currency}",
                field=field + ".currency",
            )
        amount = money.get("amount")
        if not isinstance(amount, int) or amount <= 0:
            raise SquareError(
                400, "VALUE_TOO_LOW", "The amount must be above zero", field=field + ".amount"
            )
        return amount

    def list_activities(self, request: Request, _body: None) -> dict[str, Any]:
        query = request.query_params
        found = [
            a
            for a in self.activities
            if all(
                a[name] == query[name]
                for name in ("gift_card_id", "type", "location_id")
                if name in query
            )
            and _time(query.get("begin_time"), datetime.min) <= _time(a["created_at"])
            and _time(a["created_at"]) <= _time(query.get("end_time"), datetime.max)
        ]
        if query.get("sort_order", "DESC") == "DESC":
            found.reverse()
        limit = int(query.get("limit", 50))
        if not 1 <= limit <= 100:
            raise SquareError(400, "INVALID_VALUE", "limit is 1 to 100", field="limit")
        start = 0
        if "cursor" in query:
            try:
                start = int(base64.urlsafe_b64decode(query["cursor"]).decode())
            except ValueError as exc:
                raise SquareError(
                    400, "INVALID_CURSOR", "The cursor is not valid", field="cursor"
                ) from exc
        page = found[start : start + limit]
        answer: dict[str, Any] = {}
        if page:
            answer["gift_card_activities"] = page
        if start + limit < len(found):
            answer["cursor"] = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
        return answer


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
