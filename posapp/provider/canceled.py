"""The canceled references (api.md "Canceling a movement that never came"; fence.py cancels
them): a till's movement canceled before it arrived. Kept as long as transactions, never
purged, and so is the idempotency key each one names: the request arriving late with that
key is refused by the answer kept under it, after the key retention too.

Apart from store.py's tables because store.py is past its size (tests/test_module_sizes.py);
made by Store.migrate with the rest (schema version 6).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from posapp.provider.ledger import Problem

CANCELED = (
    "This movement was canceled by the till that sent it, before it arrived: nothing was "
    "done. Send a new movement with a new key and reference"
)

meta = sa.MetaData()
canceled_references = sa.Table(
    "canceled_references",
    meta,
    sa.Column("store_id", sa.BigInteger, primary_key=True),
    sa.Column("client_reference", sa.String(255), primary_key=True),
    sa.Column("idempotency_key", sa.String(255), nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("created_by", sa.JSON, nullable=False),
    sa.Index("canceled_references_by_key", "store_id", "idempotency_key"),  # forget_keys's
)


def create(conn: Connection) -> None:
    meta.create_all(conn, checkfirst=True)


def forget_keys(conn: Connection, idempotency: sa.Table, before: int) -> None:
    """Keys stored before `before` are forgotten (api.md "Key retention"), but for those a
    canceled reference names: those are kept as long as it is."""
    c = canceled_references.c
    conn.execute(
        idempotency.delete().where(
            idempotency.c.created_at < before,
            ~sa.exists().where(
                c.store_id == idempotency.c.store_id, c.idempotency_key == idempotency.c.key
            ),
        )
    )


def canceled_problem() -> Problem:
    return Problem("reference_canceled", CANCELED)


def canceled_at(conn: Connection, store_id: int, client_reference: str) -> int | None:
    """When the reference was canceled, or None."""
    c = canceled_references.c
    found: int | None = conn.execute(
        sa.select(c.created_at).where(
            c.store_id == store_id, c.client_reference == client_reference
        )
    ).scalar()
    return found
