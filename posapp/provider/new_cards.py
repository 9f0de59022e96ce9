"""A new card's row and its first transaction (activation and issue), its code free first."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from posapp.contract.fields import Person
from posapp.provider.answers import Reply, money_answer, plain
from posapp.provider.ledger import Problem, code_key
from posapp.provider.movements import Movements
from posapp.provider.schema import gifts
from posapp.provider.tokens import Principal


def code_taken(conn: Connection, store_id: int, code: str) -> bool:
    return (
        conn.execute(
            sa.select(gifts.c.id).where(
                gifts.c.store_id == store_id, gifts.c.code_key == code_key(code)
            )
        ).first()
        is not None
    )


def new_card(
    moves: Movements,
    conn: Connection,
    who: Principal,
    now: int,
    kind: str,
    code: str,
    amount: int,
    *,
    recipient: Person | None = None,
    expires_at: int | None = None,
    reference: str | None = None,
    client_reference: str | None = None,
) -> Reply:
    if code_taken(conn, who.store_id, code):
        raise Problem("code_taken", "A gift card with that code already exists in this store")
    currency = moves.store.currency(conn, who.store_id)
    gift = moves.insert_gift(
        conn,
        who,
        now,
        code=code,
        balance=amount,
        expires_at=expires_at,
        recipient=plain(recipient),
    )
    txn = moves.record(
        conn,
        who,
        now,
        gift,
        currency,
        type=kind,
        amount=amount,
        reference=reference,
        client_reference=client_reference,
    )
    return 201, money_answer(txn, gift, now, who, currency)
