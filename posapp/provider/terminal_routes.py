"""The terminal's calls of api.md: a till's scans, money movements and look-ups."""

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.engine import Connection

from posapp.contract import answers, requests
from posapp.contract.fields import MAX_ID
from posapp.core.json_value import JsonOutObject
from posapp.core.serial_number import mask
from posapp.provider.answers import dumps
from posapp.provider.deps import Deps, Endpoint, hot
from posapp.provider.keys import MoneyKey
from posapp.provider.ledger import Problem
from posapp.provider.lookup import movements_by_client_reference
from posapp.provider.replies import rate_limited
from posapp.provider.threads import in_thread
from posapp.provider.tokens import Principal

log = logging.getLogger("posapp.provider")

GiftId = Annotated[int, Path(ge=0, le=MAX_ID, description="the gift's id")]
TxnId = Annotated[int, Path(ge=0, le=MAX_ID, description="the transaction's id")]


def add_terminal_routes(app: FastAPI, deps: Deps) -> None:
    store, ledger, once = deps.store, deps.ledger, deps.once
    TerminalCaller = Annotated[Principal, Depends(deps.auth.terminal)]

    def money(
        path: str, answer: type[BaseModel] = answers.MoneyAnswer
    ) -> Callable[[Endpoint], Endpoint]:
        """api.md: a call that moves money is created once per key, answered 201."""
        return hot(app, path, status_code=201, response_model=answer, tags=["terminal"])

    @hot(app, "/v1/gifts/validate", response_model=answers.GiftAnswer, tags=["terminal"])
    async def validate(body: requests.ValidateBody, who: TerminalCaller) -> Response:
        if (body.code is None) == (body.public_token is None):
            raise Problem(
                "validation_error",
                "Send either code or public_token",
                [{"field": "code", "message": "exactly one of code, public_token"}],
            )
        now = store.now()

        def look_up(conn: Connection) -> tuple[int | None, JsonOutObject | None]:
            # The miss limit first: a token over it learns nothing, known code or not.
            wait = store.blocked_for(conn, who.token_id, deps.miss_limit, deps.miss_window_s, now)
            if wait is not None:
                return wait, None
            return None, ledger.validate(conn, who, now, body.code, body.public_token)

        # A till's every scan: one read transaction shared with the other reads waiting,
        # on the store's reader thread (issue 14: it cost 3.6 redemptions on the pool).
        wait, found = await store.read_async(look_up)
        rate_limited(wait)
        if found is None:
            log.info("unknown code %s", mask(body.code or body.public_token or "", "*"))
            # Counted and checked in one step: concurrent misses cannot all pass a check
            # made before any of them was counted (issue 13: 16 of 16 got through, not 10).
            rate_limited(
                await in_thread(
                    store.record_miss, who.token_id, deps.miss_limit, deps.miss_window_s
                )
            )
            raise Problem("gift_not_found", "Gift card not found")
        return Response(dumps(found), media_type="application/json")

    @money("/v1/gifts/{gift_id}/redemptions")
    async def redeem(
        gift_id: GiftId,
        body: requests.RedeemBody,
        request: Request,
        who: TerminalCaller,
        key: MoneyKey,
    ) -> Response:
        return await once(
            request, who, key, lambda c, now: ledger.redeem(c, who, now, gift_id, body)
        )

    @money("/v1/transactions/{txn_id}/reversal", answers.ReversalAnswer)
    async def reverse(
        txn_id: TxnId,
        request: Request,
        who: TerminalCaller,
        key: MoneyKey,
        body: requests.ReversalBody | None = None,
    ) -> Response:
        return await once(
            request, who, key, lambda c, now: ledger.reverse(c, who, now, txn_id, body)
        )

    @money("/v1/gifts/{gift_id}/cash-out")
    async def cash_out(
        gift_id: GiftId,
        request: Request,
        who: TerminalCaller,
        key: MoneyKey,
        body: requests.CashOutBody | None = None,
    ) -> Response:
        return await once(
            request, who, key, lambda c, now: ledger.cash_out(c, who, now, gift_id, body)
        )

    @money("/v1/gift-cards/activations")
    async def activate(
        body: requests.ActivationBody, request: Request, who: TerminalCaller, key: MoneyKey
    ) -> Response:
        run = lambda c, now: ledger.activate(c, who, now, body)  # noqa: E731
        return await once(request, who, key, run, body.code)

    @money("/v1/gift-cards/issues")
    async def issue(
        body: requests.IssueBody, request: Request, who: TerminalCaller, key: MoneyKey
    ) -> Response:
        return await once(request, who, key, lambda c, now: ledger.issue(c, who, now, body))

    @app.get("/v1/transactions", response_model=list[answers.Transaction], tags=["terminal"])
    def list_transactions(
        query: Annotated[requests.TransactionQuery, Query()], who: TerminalCaller
    ) -> Response:
        with store.read() as conn:
            return Response(
                dumps(ledger.list_transactions(conn, who, query)), media_type="application/json"
            )

    @app.get(
        "/v1/transactions/lookup", response_model=list[answers.MovementAnswer], tags=["terminal"]
    )
    def look_up(query: Annotated[requests.LookupQuery, Query()], who: TerminalCaller) -> Response:
        """api.md "Client references": did the till's movement happen?"""
        with store.read() as conn:
            found = movements_by_client_reference(
                conn, store, who, store.now(), query.client_reference
            )
        return Response(dumps(found), media_type="application/json")

    @app.get(
        "/v1/transaction-types", response_model=list[answers.TransactionTypeInfo], tags=["terminal"]
    )
    def transaction_types(who: TerminalCaller) -> Response:
        with store.read() as conn:
            return Response(
                dumps(ledger.transaction_types(conn, who)), media_type="application/json"
            )

    @app.get("/v1/gift-card-config", response_model=answers.GiftCardConfig, tags=["terminal"])
    def get_config(who: TerminalCaller) -> Response:
        with store.read() as conn:
            return Response(dumps(ledger.config(conn, who)), media_type="application/json")
