"""api.md "Voiding a card sold or issued", the reversal of an activation or an issue."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.core.money import format_money
from posapp.provider.answers import Reply, money_answer
from posapp.provider.ledger import Problem
from posapp.provider.movements import Movements
from posapp.provider.rows import GiftRow, TransactionRow
from posapp.provider.schema import gifts, transactions
from posapp.provider.tokens import Principal


def void(
    moves: Movements,
    conn: Connection,
    who: Principal,
    now: int,
    original: TransactionRow,
    gift: GiftRow,
    reason: str | None,
    client_reference: str | None,
) -> Reply:
    """api.md "Voiding a card sold or issued": the card's whole value taken off and the
    card canceled, only while nothing has been done with it since (a redemption or
    cash-out that was reversed leaves it as it was)."""
    t = transactions.c
    since = conn.execute(
        transactions.select().where(
            t.store_id == who.store_id, t.gift_id == gift.id, t.id != original.id
        )
    ).all()
    undone = {row.reverses for row in since if row.type == "reversal"}
    used = [row for row in since if row.type != "reversal" and row.id not in undone]
    if used or gift.balance != original.amount:
        raise Problem(
            "card_used",
            f"The card was used after it was {'sold' if original.type == 'activation' else 'issued'} "
            f"(it holds {format_money(gift.balance or 0, original.currency)} of "
            f"{format_money(original.amount or 0, original.currency)}): it cannot be voided",
            extra={"balance": gift.balance},
        )
    gift = moves.move(conn, who, now, gift, balance=-(original.amount or 0))
    conn.execute(
        gifts.update()
        .where(gifts.c.id == gift.id)
        .values(canceled_at=now, updated_at=now, updated_by=who.stamp())
    )
    gift = moves.gift(conn, who, gift.id)
    txn, reversed_row = moves.record_reversal(
        conn, who, now, gift, original, reason, client_reference
    )
    return 201, money_answer(txn, gift, now, who, original.currency, reversed=reversed_row)
