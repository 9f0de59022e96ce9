"""POST /v1/transactions/cancel (api.md "Canceling a movement that never came"): a till
whose movement never reached the provider cancels it, so that it can never happen later.

A request can be held somewhere (a proxy, a queue, a frozen provider) past the till's wait
and arrive minutes later; and a movement the lookup does not find, sent again, charges a
customer who is long gone (issue 19, till #1). So a till does not send it again: it asks
the provider to cancel the reference unless it is done, in one transaction. Done, the
answer is the movement, as the lookup gives it. Not done, the reference is kept canceled
(canceled.py, never purged) and so is the key it was sent with: that key's answer is a 409
`reference_canceled`, stored as any answer is, so the request arriving late replays the
refusal and moves nothing; a money call carrying the reference is refused the same way
(`Movements.refuse_canceled`, first in the money call's own transaction).

Atomic: on SQLite the provider has one writer; on PostgreSQL a money call holds its key's
row from its first statement to its commit, and the cancel's insert of that key waits for
it, then reads the transaction the call committed (READ COMMITTED: each statement sees
what is committed before it starts).
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from posapp.contract import answers, requests
from posapp.core.json_value import JsonOutObject
from posapp.provider.answers import Reply, dumps
from posapp.provider.canceled import canceled_at, canceled_problem, canceled_references
from posapp.provider.keys import ChangeKey
from posapp.provider.ledger import to_rfc3339
from posapp.provider.lookup import movements_by_client_reference
from posapp.provider.schema import idempotency
from posapp.provider.store import Store
from posapp.provider.tokens import Principal

# (No `from __future__ import annotations` here: FastAPI reads add_route's endpoint's
# annotations, which name a dependency made in app.py.)


def cancel(
    conn: Connection, store: Store, who: Principal, now: int, body: requests.CancelReferenceBody
) -> Reply:
    """Cancel the reference unless its movement happened: 200 and the answer's body."""
    reference, key = body.client_reference, body.idempotency_key
    done = movements_by_client_reference(conn, store, who, now, reference)
    if done:
        return 200, _answer(reference, None, done)
    kept = canceled_at(conn, who.store_id, reference)
    if kept is not None:  # canceled before: the same answer (the call is idempotent)
        return 200, _answer(reference, kept, [])
    insert = postgresql.insert if store.is_postgres else sqlite.insert
    if key is not None:
        # The key's row, with the refusal as its answer: the request arriving late with it
        # replays the refusal. A key already answered keeps its answer (it was refused, or
        # its movement would have been found above); a call still running with it holds
        # the row, and this waits for it, then finds what it committed.
        refusal = canceled_problem()
        claimed = conn.execute(
            insert(idempotency)
            .values(
                store_id=who.store_id,
                key=key,
                status=refusal.status,
                body=dumps(refusal.body()),
                created_at=now,
                bound_to=None,  # whichever request comes with it replays it (keys.py)
            )
            .on_conflict_do_nothing()
            .returning(idempotency.c.key)
        ).first()
        if claimed is None:
            done = movements_by_client_reference(conn, store, who, now, reference)
            if done:
                return 200, _answer(reference, None, done)
    conn.execute(
        insert(canceled_references)
        .values(
            store_id=who.store_id,
            client_reference=reference,
            idempotency_key=key,
            created_at=now,
            created_by=who.stamp(),
        )
        .on_conflict_do_nothing()  # two cancels at once: the first one's time stands
    )
    return 200, _answer(reference, canceled_at(conn, who.store_id, reference), [])


def _answer(
    reference: str, canceled_at: int | None, movements: list[JsonOutObject]
) -> JsonOutObject:
    return {
        "client_reference": reference,
        "canceled": canceled_at is not None,
        "canceled_at": None if canceled_at is None else to_rfc3339(canceled_at),
        "movements": movements,
    }


def add_route(
    hot: Callable[..., Callable[[Callable[..., Awaitable[Response]]], object]],
    once: Callable[..., Awaitable[Response]],
    terminal: Callable[[Request], Awaitable[Principal]],
    store: Store,
) -> None:
    """The cancel, on app.py's app, answered once per key as its changes are (a key is
    optional: the call is idempotent by its reference)."""
    terminal_caller = Annotated[Principal, Depends(terminal)]

    @hot("/v1/transactions/cancel", response_model=answers.CancelReferenceAnswer, tags=["terminal"])
    async def cancel_reference(
        body: requests.CancelReferenceBody,
        request: Request,
        who: terminal_caller,
        key: ChangeKey = None,
    ) -> Response:
        return await once(request, who, key, lambda c, now: cancel(c, store, who, now, body))
