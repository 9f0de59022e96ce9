"""POST /v1/transactions/cancel (api.md "Canceling a movement that never came"): a till
whose movement never reached the provider cancels it, so that it can never happen later.

A request can be held somewhere (a proxy, a queue, a frozen provider) past the till's wait
and arrive minutes later; and a movement the lookup does not find, sent again, charges a
customer who is long gone (issue 19, till #1). So a till does not send it again: it asks
the provider to cancel the reference unless it is done, in one transaction. Done, the
answer is the movement, as the lookup gives it. Not done, the reference is kept canceled
(canceled_references, never purged) and so is the key it was sent with: that key's answer
is a 409 `reference_canceled`, stored as any answer is, so the request arriving late
replays the refusal and moves nothing; any money call carrying the reference is refused
the same way (`refuse_canceled`, in the money call's own transaction).

Atomic: on SQLite the provider has one writer; on PostgreSQL a money call holds its key's
row from its first statement to its commit, and the cancel's insert of that key waits for
it, then reads the transaction the call committed (READ COMMITTED: each statement sees
what is committed before it starts).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from posapp.provider.ledger import Problem, to_rfc3339
from posapp.provider.lookup import movements_by_client_reference
from posapp.provider.store import Principal, Store, canceled_references, dumps, idempotency

CANCELED = (
    "This movement was canceled by the till that sent it, before it arrived: nothing was "
    "done. Send a new movement with a new key and reference"
)


def canceled_problem() -> Problem:
    return Problem("reference_canceled", CANCELED)


def refuse_canceled(conn: Connection, store_id: int, client_reference: str | None) -> None:
    """In a money call's transaction, before it moves anything: Problem when its reference
    was canceled."""
    if client_reference is None:
        return
    c = canceled_references.c
    found = conn.execute(
        sa.select(c.created_at).where(
            c.store_id == store_id, c.client_reference == client_reference
        )
    ).first()
    if found is not None:
        raise canceled_problem()


def _insert(store: Store) -> Any:
    return postgresql.insert if store.is_postgres else sqlite.insert


def cancel(
    conn: Connection,
    store: Store,
    who: Principal,
    now: int,
    client_reference: str,
    key: str | None,
) -> dict[str, Any]:
    """Cancel the reference unless its movement happened; the answer's body."""
    done = movements_by_client_reference(conn, store, who, now, client_reference)
    if done:
        return _answer(client_reference, None, done)
    c = canceled_references.c
    kept = conn.execute(
        sa.select(c.created_at).where(
            c.store_id == who.store_id, c.client_reference == client_reference
        )
    ).first()
    if kept is not None:  # canceled before: the same answer (the call is idempotent)
        return _answer(client_reference, kept.created_at, [])
    if key is not None:
        # The key's row, with the refusal as its answer: the request arriving late with it
        # replays the refusal. A key already answered keeps its answer (it was refused, or
        # its movement would have been found above); a call still running with it holds
        # the row, and this waits for it, then finds what it committed.
        claimed = conn.execute(
            _insert(store)(idempotency)
            .values(
                store_id=who.store_id,
                key=key,
                status=canceled_problem().status,
                body=dumps(canceled_problem().body()),
                created_at=now,
                bound_to=None,  # whichever request comes with it (keys.py: replays)
            )
            .on_conflict_do_nothing()
            .returning(idempotency.c.key)
        ).first()
        if claimed is None:
            done = movements_by_client_reference(conn, store, who, now, client_reference)
            if done:
                return _answer(client_reference, None, done)
    conn.execute(
        _insert(store)(canceled_references)
        .values(
            store_id=who.store_id,
            client_reference=client_reference,
            idempotency_key=key,
            created_at=now,
            created_by=who.stamp(),
        )
        .on_conflict_do_nothing()  # two cancels at once: the first one's time stands
    )
    kept = conn.execute(
        sa.select(c.created_at).where(
            c.store_id == who.store_id, c.client_reference == client_reference
        )
    ).one()
    return _answer(client_reference, kept.created_at, [])


def _answer(reference: str, canceled_at: int | None, movements: list[Any]) -> dict[str, Any]:
    return {
        "client_reference": reference,
        "canceled": canceled_at is not None,
        "canceled_at": None if canceled_at is None else to_rfc3339(canceled_at),
        "movements": movements,
    }
