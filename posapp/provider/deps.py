"""What the provider's routes and problem handlers work with: one frozen value that
create_app builds once (instead of closures over its locals)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from posapp.provider import keys
from posapp.provider.answers import Reply
from posapp.provider.auth import Authenticator
from posapp.provider.cards import Cards
from posapp.provider.db_health import Health
from posapp.provider.operations import Ledger
from posapp.provider.replies import answer
from posapp.provider.routing import LeanRoute
from posapp.provider.store import Store
from posapp.provider.tokens import Principal

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Deps:
    store: Store
    ledger: Ledger  # refuses a canceled reference's money calls
    cards: Cards
    health: Health
    auth: Authenticator
    miss_limit: int
    miss_window_s: int

    async def once(
        self,
        request: Request,
        who: Principal,
        key: str | None,
        operation: Callable[[Connection, int], Reply],
        code: str | None = None,
    ) -> Response:
        """The operation once per key, which binds to this request (keys.py); `code`: the
        new card the call names in its body."""
        store = self.store
        bound = keys.bound_to(request, code) if key else None
        status, body, replayed = await store.idempotent_async(
            who.store_id, key, lambda conn: operation(conn, store.now()), bound
        )
        return answer(status, body, replayed)


def hot(
    app: FastAPI, path: str, method: str = "POST", **options: Any
) -> Callable[[Endpoint], Endpoint]:
    """Routes with a body, parsed by LeanRoute: the terminal's calls (a till's every scan
    and sale) and the admin's changes. LeanRoute checks the token before it reads a body,
    where FastAPI reads the body first (issue 13). (On the app's own router: an included
    router adds a layer of matching per request.)"""

    def register(endpoint: Endpoint) -> Endpoint:
        app.router.add_api_route(
            path, endpoint, methods=[method], route_class_override=LeanRoute, **options
        )
        return endpoint

    return register
