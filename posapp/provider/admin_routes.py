"""The admin's calls of api.md: the store's settings and its gift cards."""

from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import Response

from posapp.contract import answers, requests
from posapp.provider.answers import dumps
from posapp.provider.deps import Deps, hot
from posapp.provider.keys import ChangeKey
from posapp.provider.terminal_routes import GiftId
from posapp.provider.tokens import Principal


def add_admin_routes(app: FastAPI, deps: Deps) -> None:
    store, cards, once = deps.store, deps.cards, deps.once
    AdminCaller = Annotated[Principal, Depends(deps.auth.admin)]

    @hot(
        app, "/v1/gift-card-config", "PATCH", response_model=answers.GiftCardConfig, tags=["admin"]
    )
    async def patch_config(
        body: requests.ConfigPatch, request: Request, who: AdminCaller, key: ChangeKey = None
    ) -> Response:
        return await once(request, who, key, lambda c, _now: cards.patch_config(c, who, body))

    @hot(app, "/v1/gift-cards", status_code=201, response_model=answers.Gift, tags=["admin"])
    async def create_gift(
        body: requests.GiftCreate, request: Request, who: AdminCaller, key: ChangeKey = None
    ) -> Response:
        run = lambda c, now: cards.create(c, who, now, body)  # noqa: E731
        return await once(request, who, key, run, body.code)

    @app.get("/v1/gift-cards", response_model=list[answers.Gift], tags=["admin"])
    def list_gifts(query: Annotated[requests.GiftQuery, Query()], who: AdminCaller) -> Response:
        with store.read() as conn:
            return Response(
                dumps(cards.list(conn, who, store.now(), query)), media_type="application/json"
            )

    @app.get("/v1/gift-cards/{gift_id:gift}", response_model=answers.Gift, tags=["admin"])
    def get_gift(gift_id: GiftId, who: AdminCaller) -> Response:
        with store.read() as conn:
            return Response(
                dumps(cards.get(conn, who, store.now(), gift_id)), media_type="application/json"
            )

    @hot(app, "/v1/gift-cards/{gift_id:gift}", "PATCH", response_model=answers.Gift, tags=["admin"])
    async def patch_gift(
        gift_id: GiftId,
        body: requests.GiftPatch,
        request: Request,
        who: AdminCaller,
        key: ChangeKey = None,
    ) -> Response:
        return await once(request, who, key, lambda c, now: cards.patch(c, who, now, gift_id, body))

    @hot(
        app,
        "/v1/gift-cards/{gift_id:gift}",
        "DELETE",
        status_code=204,
        response_class=Response,
        tags=["admin"],
    )
    async def cancel_gift(
        gift_id: GiftId,
        request: Request,
        who: AdminCaller,
        key: ChangeKey = None,
        body: requests.CancelBody | None = None,
    ) -> Response:
        why = body or requests.CancelBody()
        return await once(request, who, key, lambda c, now: cards.cancel(c, who, now, gift_id, why))
