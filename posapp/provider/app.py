"""The reference gift card provider over HTTP: api.md on FastAPI.

Domain problems become problem+json here, at the edge, and nowhere else. Endpoints are
plain functions (FastAPI runs them on its thread pool) because the work is the database's.
"""

import logging
import os
import sqlite3
import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from posapp.contract import answers, requests
from posapp.contract.fields import MAX_ID
from posapp.contract.headers import ALLOW, AUTHORIZATION, IDEMPOTENT_REPLAYED, RETRY_AFTER
from posapp.contract.problems import MEDIA_TYPE as PROBLEM
from posapp.contract.problems import type_uri
from posapp.provider import fence, keys
from posapp.provider.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit
from posapp.provider.cards import Cards
from posapp.provider.db_health import Health
from posapp.provider.keys import ChangeKey, MoneyKey
from posapp.provider.ledger import Problem, mask, now_us
from posapp.provider.lookup import movements_by_client_reference
from posapp.provider.openapi import openapi
from posapp.provider.routing import LeanRoute, allowed_methods, register_id_segment
from posapp.provider.store import KEY_RETENTION_HOURS, Principal, Store, dumps

log = logging.getLogger("posapp.provider")

GiftId = Annotated[int, Path(ge=0, le=MAX_ID, description="the gift's id")]
TxnId = Annotated[int, Path(ge=0, le=MAX_ID, description="the transaction's id")]
AMOUNT_FIELDS = {"amount", "quantity", "balance", "item_quantity", "cash_out_max"}
DAMAGED = "The provider's database is damaged: this request could not be done. Tell the operator"


def rate_limited(wait: int | None) -> None:
    """api.md: 429 while the token has had too many unknown codes in the window."""
    if wait is not None:
        raise Problem(
            "rate_limited",
            f"Too many unknown codes: try again in {wait} s",
            headers={RETRY_AFTER: str(wait)},
            extra={"retry_after": wait},
        )


def problem_response(problem: Problem) -> Response:
    return Response(
        dumps(problem.body()), problem.status, headers=problem.headers, media_type=PROBLEM
    )


def answer(status: int, body: bytes, replayed: bool = False) -> Response:
    headers = {IDEMPOTENT_REPLAYED: "true"} if replayed else None
    if status == 204:
        return Response(status_code=204, headers=headers)
    media = PROBLEM if status >= 400 else "application/json"
    return Response(body, status, headers=headers, media_type=media)


def create_app(
    store: Store,
    *,
    miss_limit: int = 10,
    miss_window_s: int = 60,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    # FastAPI's OpenTelemetry asks the global providers on every request whether anyone
    # listens (37 µs of a redemption); it stays on where an operator configures OTEL_*.
    otel = any(name.startswith("OTEL_") for name in os.environ)
    app = FastAPI(
        title="posapp gift card provider",
        version="1",
        description="The gift card redemption API, v1: the contract is docs/api.md in the repository.",
        telemetry={"tracing": otel, "metrics": otel, "logs": otel},
    )
    ledger = fence.Ledger(store)  # refuses a canceled reference's money calls
    cards = Cards(ledger)
    health = Health(store.url)
    register_id_segment("gift", "activations", "issues")  # /v1/gift-cards/{gift_id:gift}

    def hot(path: str, method: str = "POST", **options: Any) -> Callable[[Any], Any]:
        """Routes with a body, parsed by LeanRoute: the terminal's calls (a till's every scan
        and sale) and the admin's changes. LeanRoute checks the token before it reads a body,
        where FastAPI reads the body first (issue 13). (On the app's own router: an included
        router adds a layer of matching per request.)"""

        def register(endpoint: Any) -> Any:
            app.router.add_api_route(
                path, endpoint, methods=[method], route_class_override=LeanRoute, **options
            )
            return endpoint

        return register

    # --- who is calling -------------------------------------------------------------------

    async def authenticate(request: Request, scope: str) -> Principal:
        header = request.headers.get(AUTHORIZATION, "")
        kind, _, secret = header.partition(" ")
        who = None
        if kind.lower() == "bearer" and secret:
            # Tokens are cached, so the database is asked (off the event loop) only on a miss.
            cached = store.cached_principal(secret.strip())
            who = cached[0] if cached else await _in_thread(store.principal, secret.strip())
        if who is None:
            raise Problem(
                "unauthorized",
                "A valid bearer token is required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        request.state.token_id = who.token_id
        if scope not in who.scopes:
            raise Problem("forbidden", f"This token lacks the {scope} scope")
        return who

    async def terminal(request: Request) -> Principal:
        return await authenticate(request, "terminal")

    async def admin(request: Request) -> Principal:
        return await authenticate(request, "admin")

    Terminal = Annotated[Principal, Depends(terminal)]
    Admin = Annotated[Principal, Depends(admin)]

    async def once(
        request: Request,
        who: Principal,
        key: str | None,
        operation: Callable[[Any, int], tuple[int, Any]],
        code: str | None = None,
    ) -> Response:
        """The operation once per key, which binds to this request (keys.py); `code`: the
        new card the call names in its body."""
        bound = keys.bound_to(request, code) if key else None
        status, body, replayed = await store.idempotent_async(
            who.store_id, key, lambda conn: operation(conn, store.now()), bound
        )
        return answer(status, body, replayed)

    # --- errors as problem+json -----------------------------------------------------------

    @app.exception_handler(Problem)
    async def _problem(_request: Request, problem: Problem) -> Response:
        return problem_response(problem)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        missing_key = keys.header_problem(list(exc.errors()))
        if missing_key is not None:
            return problem_response(missing_key)
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"] if p not in {"body", "query", "path"})
                or "body",
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
        code = (  # by the field's own name: store_configurations.cash_out_max too
            "invalid_amount"
            if any(e["field"].rsplit(".", 1)[-1] in AMOUNT_FIELDS for e in errors)
            else "validation_error"
        )
        problem = Problem(
            code,
            "The request is not valid: "
            + "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]),
            errors[:20],
        )
        # api.md replays failed validations too: a key already answered gets that answer,
        # and a new key keeps this one.
        key = request.headers.get("idempotency-key")
        if (
            key
            and request.method in {"POST", "PATCH", "DELETE"}
            and request.url.path.startswith("/v1")
        ):
            try:
                who = await authenticate(request, "terminal")
                if not keys.usable(key):
                    raise problem
                bound = keys.bound_to(request, keys.code_in(request, exc.body))
                stored = await _in_thread(store.replay, who.store_id, key, bound)
            except Problem as refused:  # no token, an unusable key, a key for another request
                return problem_response(refused)
            if stored is not None:
                return answer(stored[0], stored[1], True)

            def keep(_conn: Any) -> tuple[int, Any]:
                raise problem

            status, body, replayed = await _in_thread(
                store.idempotent, who.store_id, key, keep, bound
            )
            return answer(status, body, replayed)
        return problem_response(problem)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:
            allowed = allowed_methods(app.routes, request.scope["path"])
            return problem_response(
                Problem(
                    "method_not_allowed",
                    f"That method is not allowed here: use {allowed}",
                    headers={ALLOW: allowed},
                )
            )
        return problem_response(Problem("not_found", "There is nothing at this address"))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        body = {
            "type": type_uri("internal_error"),
            "title": "Internal error",
            "status": 500,
            "detail": "Internal error; see the provider's log",
            "code": "internal_error",
        }
        return Response(dumps(body), 500, media_type=PROBLEM)

    @app.exception_handler(sqlite3.DatabaseError)  # the hot path's statements (store.py)
    @app.exception_handler(DBAPIError)  # SQLAlchemy's
    async def _database(request: Request, exc: Exception) -> Response:
        """A damaged database is said once in the log (db_health.py), answered 503 each
        time; any other database error (a full disk) is a 500 as before, its transaction
        rolled back."""
        if health.damaged_by(exc):
            return problem_response(Problem("database_damaged", DAMAGED))
        return await _internal(request, exc)

    # --- endpoints ------------------------------------------------------------------------

    @app.get("/healthz", response_model=answers.Health, tags=["health"])
    async def healthz() -> Response:
        if health.damage is None:
            return Response(b'{"status":"ok"}', media_type="application/json")
        status, body = health.answer()
        return Response(dumps(body), status, media_type="application/json")

    @hot("/v1/gifts/validate", response_model=answers.GiftAnswer, tags=["terminal"])
    async def validate(body: requests.ValidateBody, who: Terminal) -> Response:
        if (body.code is None) == (body.public_token is None):
            raise Problem(
                "validation_error",
                "Send either code or public_token",
                [{"field": "code", "message": "exactly one of code, public_token"}],
            )
        now = store.now()

        def look_up(conn: Any) -> tuple[int | None, dict[str, Any] | None]:
            # The miss limit first: a token over it learns nothing, known code or not.
            wait = store.blocked_for(conn, who.token_id, miss_limit, miss_window_s, now)
            if wait is not None:
                return wait, None
            return None, ledger.validate(conn, who, now, body.code, body.public_token)

        # A till's every scan: one read transaction shared with the other reads waiting,
        # on the store's reader thread (issue 14: it cost 3.6 redemptions on the pool).
        wait, found = await store.read_async(look_up)
        rate_limited(wait)
        if found is None:
            log.info("unknown code %s", mask(body.code or body.public_token or ""))
            # Counted and checked in one step: concurrent misses cannot all pass a check
            # made before any of them was counted (issue 13: 16 of 16 got through, not 10).
            rate_limited(
                await _in_thread(store.record_miss, who.token_id, miss_limit, miss_window_s)
            )
            raise Problem("gift_not_found", "Gift card not found")
        return Response(dumps(found), media_type="application/json")

    @hot(
        "/v1/gifts/{gift_id}/redemptions",
        status_code=201,
        response_model=answers.MoneyAnswer,
        tags=["terminal"],
    )
    async def redeem(
        gift_id: GiftId, body: requests.RedeemBody, request: Request, who: Terminal, key: MoneyKey
    ) -> Response:
        return await once(
            request, who, key, lambda c, now: ledger.redeem(c, who, now, gift_id, body)
        )

    @hot(
        "/v1/transactions/{txn_id}/reversal",
        status_code=201,
        response_model=answers.ReversalAnswer,
        tags=["terminal"],
    )
    async def reverse(
        txn_id: TxnId,
        request: Request,
        who: Terminal,
        key: MoneyKey,
        body: requests.ReversalBody | None = None,
    ) -> Response:
        why = body.reason if body else None
        mine = body.client_reference if body else None
        return await once(
            request, who, key, lambda c, now: ledger.reverse(c, who, now, txn_id, why, mine)
        )

    @hot(
        "/v1/gifts/{gift_id}/cash-out",
        status_code=201,
        response_model=answers.MoneyAnswer,
        tags=["terminal"],
    )
    async def cash_out(
        gift_id: GiftId,
        request: Request,
        who: Terminal,
        key: MoneyKey,
        body: requests.CashOutBody | None = None,
    ) -> Response:
        ref = body.reference if body else None
        mine = body.client_reference if body else None
        return await once(
            request, who, key, lambda c, now: ledger.cash_out(c, who, now, gift_id, ref, mine)
        )

    @hot(
        "/v1/gift-cards/activations",
        status_code=201,
        response_model=answers.MoneyAnswer,
        tags=["terminal"],
    )
    async def activate(
        body: requests.ActivationBody, request: Request, who: Terminal, key: MoneyKey
    ) -> Response:
        run = lambda c, now: ledger.activate(c, who, now, body)  # noqa: E731
        return await once(request, who, key, run, body.code)

    @hot(
        "/v1/gift-cards/issues",
        status_code=201,
        response_model=answers.MoneyAnswer,
        tags=["terminal"],
    )
    async def issue(
        body: requests.IssueBody, request: Request, who: Terminal, key: MoneyKey
    ) -> Response:
        return await once(request, who, key, lambda c, now: ledger.issue(c, who, now, body))

    @app.get("/v1/transactions", response_model=list[answers.Transaction], tags=["terminal"])
    def list_transactions(
        query: Annotated[requests.TransactionQuery, Query()], who: Terminal
    ) -> Response:
        with store.read() as conn:
            return Response(
                dumps(ledger.list_transactions(conn, who, query)), media_type="application/json"
            )

    @app.get(
        "/v1/transactions/lookup", response_model=list[answers.MovementAnswer], tags=["terminal"]
    )
    def look_up(query: Annotated[requests.LookupQuery, Query()], who: Terminal) -> Response:
        """api.md "Client references": did the till's movement happen?"""
        with store.read() as conn:
            found = movements_by_client_reference(
                conn, store, who, store.now(), query.client_reference
            )
        return Response(dumps(found), media_type="application/json")

    @app.get(
        "/v1/transaction-types", response_model=list[answers.TransactionTypeInfo], tags=["terminal"]
    )
    def transaction_types(who: Terminal) -> Response:
        with store.read() as conn:
            return Response(
                dumps(ledger.transaction_types(conn, who)), media_type="application/json"
            )

    @app.get("/v1/gift-card-config", response_model=answers.GiftCardConfig, tags=["terminal"])
    def get_config(who: Terminal) -> Response:
        with store.read() as conn:
            return Response(dumps(ledger.config(conn, who)), media_type="application/json")

    @hot("/v1/gift-card-config", "PATCH", response_model=answers.GiftCardConfig, tags=["admin"])
    async def patch_config(
        body: requests.ConfigPatch, request: Request, who: Admin, key: ChangeKey = None
    ) -> Response:
        return await once(request, who, key, lambda c, _now: cards.patch_config(c, who, body))

    @hot("/v1/gift-cards", status_code=201, response_model=answers.Gift, tags=["admin"])
    async def create_gift(
        body: requests.GiftCreate, request: Request, who: Admin, key: ChangeKey = None
    ) -> Response:
        run = lambda c, now: cards.create(c, who, now, body)  # noqa: E731
        return await once(request, who, key, run, body.code)

    @app.get("/v1/gift-cards", response_model=list[answers.Gift], tags=["admin"])
    def list_gifts(query: Annotated[requests.GiftQuery, Query()], who: Admin) -> Response:
        with store.read() as conn:
            return Response(
                dumps(cards.list(conn, who, store.now(), query)), media_type="application/json"
            )

    @app.get("/v1/gift-cards/{gift_id:gift}", response_model=answers.Gift, tags=["admin"])
    def get_gift(gift_id: GiftId, who: Admin) -> Response:
        with store.read() as conn:
            return Response(
                dumps(cards.get(conn, who, store.now(), gift_id)), media_type="application/json"
            )

    @hot("/v1/gift-cards/{gift_id:gift}", "PATCH", response_model=answers.Gift, tags=["admin"])
    async def patch_gift(
        gift_id: GiftId,
        body: requests.GiftPatch,
        request: Request,
        who: Admin,
        key: ChangeKey = None,
    ) -> Response:
        return await once(request, who, key, lambda c, now: cards.patch(c, who, now, gift_id, body))

    @hot(
        "/v1/gift-cards/{gift_id:gift}",
        "DELETE",
        status_code=204,
        response_class=Response,
        tags=["admin"],
    )
    async def cancel_gift(
        gift_id: GiftId,
        request: Request,
        who: Admin,
        key: ChangeKey = None,
        body: requests.CancelBody | None = None,
    ) -> Response:
        why = body or requests.CancelBody()
        return await once(request, who, key, lambda c, now: cards.cancel(c, who, now, gift_id, why))

    fence.add_route(hot, once, terminal, store)  # api.md "Canceling a movement that never came"
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(RequestLog)
    return app


async def _in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)


class RequestLog:
    """One line per request: method, path, status, milliseconds, the token's id (never the
    token). A pure ASGI wrapper, cheaper than BaseHTTPMiddleware on the hot path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            token = scope.get("state", {}).get("token_id", "-")
            if log.isEnabledFor(logging.INFO):
                log.info(
                    "%s %s %d %.1fms token=%s",
                    scope["method"],
                    scope["path"],
                    status,
                    (time.perf_counter() - start) * 1000,
                    token,
                )


def offset_clock(offset_s: float) -> Callable[[], int]:
    """The provider's clock, `offset_s` seconds off the machine's (tests only: a provider
    started days ahead has forgotten the keys its retention let go)."""
    if not offset_s:
        return now_us
    offset_us = int(offset_s * 1_000_000)
    return lambda: now_us() + offset_us


def app_from_environment() -> FastAPI:
    """For `serve --workers N`: each worker process builds its app from the environment."""
    offset_s = float(os.environ.get("POSAPP_PROVIDER_CLOCK_OFFSET_S", "0"))
    store = Store(
        os.environ["POSAPP_PROVIDER_DB"],
        key_retention_hours=int(
            os.environ.get("POSAPP_PROVIDER_KEY_RETENTION_HOURS", str(KEY_RETENTION_HOURS))
        ),
        clock=offset_clock(offset_s),
    )
    return create_app(
        store,
        miss_limit=int(os.environ.get("POSAPP_PROVIDER_MISS_LIMIT", "10")),
        miss_window_s=int(os.environ.get("POSAPP_PROVIDER_MISS_WINDOW", "60")),
        max_body_bytes=int(os.environ.get("POSAPP_PROVIDER_MAX_BODY_KB", "64")) * 1024,
    )
