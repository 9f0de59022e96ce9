"""NewStore's Gift Card Provider Webhooks (v0) under /newstore (docs/newstore.md): NewStore
POSTs JSON to POST /newstore/gift_card/{balance,issue,activate,deactivate}; our answers are
NewStore's shapes (posapp/newstore_wire), the work our ledger's (newstore_operations.py).

The key NewStore sends is a token of scope `newstore` (`posapp-provider token --scope
newstore`), read from one header, X-API-Key unless the provider is told another
(`serve --newstore-key-header`): NewStore does not publish which header carries it.
Not in /openapi.json, which is api.md's: NewStore's own reference is this API's contract.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Connection

from posapp.contract.headers import IDEMPOTENCY_KEY, RETRY_AFTER
from posapp.core.json_value import JsonOut, JsonValue
from posapp.core.serial_number import mask
from posapp.newstore_wire import shapes
from posapp.provider import json_body, keys, newstore_operations
from posapp.provider.answers import Reply, dumps
from posapp.provider.deps import Deps
from posapp.provider.ledger import Problem
from posapp.provider.newstore_operations import REFUSED, refusal
from posapp.provider.threads import in_thread
from posapp.provider.tokens import Principal

log = logging.getLogger("posapp.provider")

PREFIX = "/newstore"
DEFAULT_KEY_HEADER = "X-API-Key"
SCOPE = "newstore"
Body = TypeVar("Body", bound=BaseModel)


def _json(status: int, body: JsonOut, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(body), status, headers=headers, media_type="application/json")


def _refused(problem: Problem, status: int = REFUSED) -> Response:
    return _json(status, refusal(problem)[1], problem.headers or None)


class Webhooks:
    """The four webhooks over one app's Deps."""

    def __init__(self, deps: Deps, key_header: str) -> None:
        self.deps = deps
        self.key_header = key_header

    async def caller(self, request: Request) -> Principal | Response:
        secret = request.headers.get(self.key_header, "").strip()
        store = self.deps.store
        who = None
        if secret:
            cached = store.cached_principal(secret)
            who = cached[0] if cached else await in_thread(store.principal, secret)
        if who is None:
            return _refused(
                Problem("unauthorized", f"Send the provider's NewStore key in {self.key_header}"),
                401,
            )
        request.state.token_id = who.token_id
        if SCOPE not in who.scopes:
            return _refused(
                Problem("forbidden", "This key is not a NewStore key: make one with "
                        "posapp-provider token --scope newstore"),
                403,
            )  # fmt: skip
        return who

    @staticmethod
    async def read(request: Request, model: type[Body]) -> tuple[Body | Problem, JsonValue]:
        """The body as NewStore's shape, or the problem with it; and the JSON as sent."""
        raw = await request.body()
        try:
            parsed = json_body.parse(raw)
        except ValueError as error:
            words = str(error) if isinstance(error, json_body.Refused) else "not JSON"
            return Problem("validation_error", f"The body is not valid: {words}"), None
        try:
            return model.model_validate(parsed), parsed
        except ValidationError as error:
            said = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                for e in error.errors(include_url=False)[:5]
            )
            return Problem("validation_error", f"The body is not valid: {said}"), parsed

    async def once(
        self,
        request: Request,
        who: Principal,
        operation: str,
        parsed: JsonValue,
        run: Callable[[Connection, int, str | None], Reply],
        *,
        required: bool,
    ) -> Response:
        """One answer per key, whatever the body (NewStore: "send the same response to each
        request you receive with a specific idempotency key ... whether the body has changed
        or not"). The key is NewStore's idempotence_key in the body, else Idempotency-Key.
        Kept as "newstore <operation>:<key>", so it names neither a till's key nor another
        operation's; it is also the movement's client_reference (api.md's lookup finds it)."""
        sent = parsed.get("idempotence_key") if isinstance(parsed, dict) else None
        key = sent if isinstance(sent, str) else request.headers.get(IDEMPOTENCY_KEY)
        if key is not None and (len(key) > 200 or not keys.usable(key)):
            return _refused(
                Problem(
                    "validation_error", "idempotence_key is 1 to 200 printable ASCII characters"
                )
            )
        if key is None and required:
            return _refused(
                Problem("idempotency_key_required",
                        "This call makes a card: send its idempotence_key")
            )  # fmt: skip
        kept = None if key is None else f"newstore {operation}:{key}"
        store = self.deps.store
        status, body, _replayed = await store.idempotent_async(
            who.store_id, kept, lambda conn: run(conn, store.now(), kept)
        )
        return Response(body, status, media_type="application/json")

    async def balance(self, request: Request) -> Response:
        who = await self.caller(request)
        if isinstance(who, Response):
            return who
        body, _ = await self.read(request, shapes.BalanceRequest)
        if isinstance(body, Problem):
            return _refused(body)
        deps, store = self.deps, self.deps.store
        now = store.now()
        request_body = body

        def look_up(conn: Connection) -> tuple[int | None, Reply | None]:
            wait = store.blocked_for(conn, who.token_id, deps.miss_limit, deps.miss_window_s, now)
            if wait is not None:
                return wait, None
            return None, newstore_operations.balance(deps.ledger, conn, who, now, request_body)

        wait, found = await store.read_async(look_up)
        if wait is None and found is None:
            log.info("unknown NewStore card %s", mask(body.identifier.number, "*"))
            wait = await in_thread(
                store.record_miss, who.token_id, deps.miss_limit, deps.miss_window_s
            )
            if wait is None:
                return _refused(newstore_operations.not_found())
        if wait is not None or found is None:
            limited = Problem(
                "rate_limited",
                f"Too many unknown card numbers: try again in {wait} s",
                headers={RETRY_AFTER: str(wait)},
            )
            return _refused(limited, 429)
        return _json(*found)

    def money(
        self,
        operation: str,
        model: type[Body],
        act: Callable[[Connection, Principal, int, Body, str | None], Reply],
        *,
        required: bool,
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            who = await self.caller(request)
            if isinstance(who, Response):
                return who
            body, parsed = await self.read(request, model)
            if isinstance(body, Problem):
                problem = body  # kept under the key too, when the body names one
                return await self.once(
                    request, who, operation, parsed, lambda *_: refusal(problem), required=False
                )
            given = body
            return await self.once(
                request,
                who,
                operation,
                parsed,
                lambda conn, now, ref: act(conn, who, now, given, ref),
                required=required,
            )

        return endpoint


def add_newstore_routes(app: FastAPI, deps: Deps, key_header: str = DEFAULT_KEY_HEADER) -> None:
    hooks = Webhooks(deps, key_header)
    moves = deps.ledger

    def issue(
        conn: Connection, who: Principal, now: int, body: shapes.IssueRequest, ref: str | None
    ) -> Reply:
        assert ref is not None  # required
        return newstore_operations.issue(moves, conn, who, now, body, ref)

    def activate(
        conn: Connection, who: Principal, now: int, body: shapes.ActivateRequest, ref: str | None
    ) -> Reply:
        assert ref is not None  # required
        return newstore_operations.activate(moves, conn, who, now, body, ref)

    def deactivate(
        conn: Connection, who: Principal, now: int, body: shapes.DeactivateRequest, ref: str | None
    ) -> Reply:
        return newstore_operations.deactivate(moves, conn, who, now, body, ref)

    routes: dict[str, Callable[[Request], Awaitable[Response]]] = {
        "balance": hooks.balance,
        "issue": hooks.money("issue", shapes.IssueRequest, issue, required=True),
        "activate": hooks.money("activate", shapes.ActivateRequest, activate, required=True),
        "deactivate": hooks.money(
            "deactivate", shapes.DeactivateRequest, deactivate, required=False
        ),
    }
    for name, endpoint in routes.items():
        app.add_api_route(
            f"{PREFIX}/gift_card/{name}", endpoint, methods=["POST"], include_in_schema=False
        )
