"""The terminal's reads of api.md: a scanned card, the transactions, the store's settings."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.contract import requests
from posapp.core.json_value import JsonOut, JsonOutObject
from posapp.provider import ledger
from posapp.provider.answers import gift_json, transaction_json
from posapp.provider.ledger import code_key
from posapp.provider.rows import StoreRow, TransactionRow
from posapp.provider.schema import stores, transactions
from posapp.provider.store import Store
from posapp.provider.tokens import Principal

NON_SALE = {
    "activation": False,
    "issue": False,
    "redemption": False,
    "reversal": False,
    "adjustment": True,
    "gift_card_cash_out": True,
}


def store_row(conn: Connection, store_id: int) -> StoreRow:
    return StoreRow.read(conn.execute(stores.select().where(stores.c.id == store_id)).one())


def validate(
    store: Store,
    conn: Connection,
    who: Principal,
    now: int,
    code: str | None,
    public_token: str | None,
) -> JsonOutObject | None:
    sql = store.sql
    if code is not None:
        params = {"store_id": who.store_id, "code_key": code_key(code)}
        row = sql.gift(conn, sql.gift_by_code, params)
    else:
        params = {"store_id": who.store_id, "public_token": public_token}
        row = sql.gift(conn, sql.gift_by_token, params)
    if row is None:
        return None
    currency = store.currency(conn, who.store_id)
    return {"gift": gift_json(row, now, who.location_id, currency)}


def list_transactions(
    conn: Connection, who: Principal, query: requests.TransactionQuery
) -> list[JsonOutObject]:
    t = transactions.c
    sel = transactions.select().where(t.store_id == who.store_id)
    # The order names the index that gives it (store_id and gift_id are fixed here), so
    # the planner reads a card's transactions by its index, not the store's.
    order = [t.store_id, t.id]
    if query.gift_id is not None:
        sel = sel.where(t.gift_id == int(query.gift_id))
        order = [t.store_id, t.gift_id, t.id]
    if query.location_id is not None:
        sel = sel.where(t.location_id == int(query.location_id))
    if query.type is not None:
        sel = sel.where(t.type == query.type)
    if query.since is not None:  # "" is not a time: refused, not ignored
        sel = sel.where(t.created_at >= ledger.from_rfc3339(query.since, "since"))
    if query.until is not None:
        sel = sel.where(t.created_at < ledger.from_rfc3339(query.until, "until"))
    if query.after is not None:
        sel = sel.where(t.id > int(query.after))
    rows = conn.execute(sel.order_by(*order).limit(query.limit)).all()
    return [transaction_json(TransactionRow.read(r)) for r in rows]


def config(conn: Connection, who: Principal) -> JsonOutObject:
    store = store_row(conn, who.store_id)
    return {
        "currency": store.currency,
        "store_name": store.name,
        "store_configurations": {
            "cash_out_enabled": store.cash_out_enabled,
            "cash_out_max": store.cash_out_max,
        },
    }


def transaction_types(conn: Connection, who: Principal) -> list[dict[str, JsonOut]]:
    enabled = store_row(conn, who.store_id).cash_out_enabled
    return [
        {"type": kind, "non_sale": non_sale}
        for kind, non_sale in NON_SALE.items()
        if enabled or kind != "gift_card_cash_out"
    ]
