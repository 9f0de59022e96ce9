"""The reference gift card provider over HTTP: api.md on FastAPI.

Domain problems become problem+json at the edge (problems.py), and nowhere else. Endpoints
are plain functions (FastAPI runs them on its thread pool) because the work is the database's;
the terminal's calls are in terminal_routes.py, the admin's in admin_routes.py, and all of
them work with one `Deps` that create_app builds here.
"""

import logging
import os
import time
from collections.abc import Callable
from functools import partial

from fastapi import FastAPI
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from posapp.contract import answers
from posapp.provider import fence
from posapp.provider.admin_routes import add_admin_routes
from posapp.provider.answers import dumps
from posapp.provider.auth import Authenticator
from posapp.provider.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit
from posapp.provider.cards import Cards
from posapp.provider.db_health import Health
from posapp.provider.deps import Deps, hot
from posapp.provider.ledger import now_us
from posapp.provider.newstore_routes import DEFAULT_KEY_HEADER, add_newstore_routes
from posapp.provider.openapi import openapi
from posapp.provider.operations import Ledger
from posapp.provider.problems import install_problem_handlers
from posapp.provider.routing import register_id_segment
from posapp.provider.store import KEY_RETENTION_HOURS, Store
from posapp.provider.terminal_routes import add_terminal_routes

log = logging.getLogger("posapp.provider")


def create_app(
    store: Store,
    *,
    miss_limit: int = 10,
    miss_window_s: int = 60,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    newstore_key_header: str = DEFAULT_KEY_HEADER,
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
    ledger = Ledger(store)
    deps = Deps(
        store=store,
        ledger=ledger,
        cards=Cards(ledger),
        health=Health(store.url),
        auth=Authenticator(store),
        miss_limit=miss_limit,
        miss_window_s=miss_window_s,
    )
    register_id_segment("gift", "activations", "issues")  # /v1/gift-cards/{gift_id:gift}
    install_problem_handlers(app, deps)
    health = deps.health

    @app.get("/healthz", response_model=answers.Health, tags=["health"])
    async def healthz() -> Response:
        if health.damage is None:
            return Response(b'{"status":"ok"}', media_type="application/json")
        status, body = health.answer()
        return Response(dumps(body), status, media_type="application/json")

    # The order of the routes is /openapi.json's order of paths.
    add_terminal_routes(app, deps)
    add_admin_routes(app, deps)
    # api.md "Canceling a movement that never came"
    fence.add_route(partial(hot, app), deps.once, deps.auth.terminal, store)
    # docs/newstore.md: NewStore's Gift Card Provider Webhooks, on the same ledger
    add_newstore_routes(app, deps, newstore_key_header)
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(RequestLog)
    return app


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
        newstore_key_header=os.environ.get(
            "POSAPP_PROVIDER_NEWSTORE_KEY_HEADER", DEFAULT_KEY_HEADER
        ),
    )
