"""GET /v1/transactions/lookup (api.md "Client references"): whether a till's movement
happened, asked by the till's own name for it, for as long as the transaction is kept.

A till whose answer was lost asks this before it sends the movement again: an idempotency
key is forgotten after the provider's retention, a client_reference never is.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.core.json_value import JsonOutObject
from posapp.provider.answers import money_answer
from posapp.provider.rows import GiftRow, TransactionRow
from posapp.provider.schema import gifts, transactions
from posapp.provider.store import Store
from posapp.provider.tokens import Principal


def movements_by_client_reference(
    conn: Connection, store: Store, who: Principal, now: int, client_reference: str
) -> list[JsonOutObject]:
    """Every transaction of the caller's store that carries the reference (one, for a till
    that sends each reference once), oldest first, each as its money call answered it: the
    transaction, the card as it is now, and for a reversal the transaction it reversed. By
    index (transactions_by_client_reference): the cost does not grow with the store."""
    t = transactions.c
    rows = conn.execute(
        transactions.select()
        .where(t.store_id == who.store_id, t.client_reference == client_reference)
        .order_by(t.store_id, t.client_reference, t.id)  # the index's own order
    ).all()
    currency = store.currency(conn, who.store_id) if rows else ""
    found = []
    for row in map(TransactionRow.read, rows):
        gift = GiftRow.read(conn.execute(gifts.select().where(gifts.c.id == row.gift_id)).one())
        reversed_row = None
        if row.reverses is not None:
            reversed_row = TransactionRow.read(
                conn.execute(transactions.select().where(transactions.c.id == row.reverses)).one()
            )
        found.append(money_answer(row, gift, now, who, currency, reversed=reversed_row))
    return found
