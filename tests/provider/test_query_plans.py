"""Costs that do not grow with the store (issue 14, house rule 15): the statements the
provider runs for the gift card list, a card's transactions and the idempotency purge read
by index. The statements are captured as the provider runs them, then explained: SQLite's
EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN on analysed tables of a few thousand rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from posapp.provider.ledger import now_us
from posapp.provider.schema import gifts, idempotency, transactions
from posapp.provider.store import KEY_RETENTION_HOURS, Store
from tests.provider.conftest import Api

# The store under test is one of a chain's smaller stores: on PostgreSQL, walking the
# primary key through every store's gifts looks cheap to the planner while a store holds a
# large share of them, and is the slow plan for a small store in a large chain.
CARDS = 300
OTHERS = 30 * CARDS


def fill(store: Store, store_id: int, location_id: int) -> tuple[int, int]:
    """CARDS gifts in the store, one activation each, amid OTHERS of another store (half
    sold before, half after), and a quiet card (the store's first) with one more transaction at the end.
    Returns (the quiet gift, a gift deep in the list)."""
    now = now_us()
    stamp = {"id": "1", "name": "fill"}
    other = store.create_store("Other", "USD")
    with store.write() as conn:
        for owner, count in (
            (int(other["store_id"]), OTHERS // 2),
            (store_id, CARDS),
            (int(other["store_id"]), OTHERS // 2),
        ):
            ids = [store.flakes.next() for _ in range(count)]
            conn.execute(
                gifts.insert(),
                [
                    {
                        "id": gift_id,
                        "store_id": owner,
                        "code": f"FILL-{gift_id}",
                        "code_key": f"fill-{gift_id}",
                        "code_tail": f"{gift_id}"[-4:],
                        "kind": "monetary",
                        "balance": 100,
                        "starting_balance": 100,
                        "enabled": True,
                        "promotional": False,
                        "usable_at": now,
                        "public_token": f"t{gift_id}",
                        "created_at": now,
                        "created_by": stamp,
                    }
                    for gift_id in ids
                ],
            )
            conn.execute(
                transactions.insert(),
                [
                    {
                        "id": store.flakes.next(),
                        "type": "activation",
                        "gift_id": gift_id,
                        "store_id": owner,
                        "location_id": location_id,
                        "amount": 100,
                        "currency": "USD",
                        "balance_after": 100,
                        "state": "completed",
                        "created_at": now,
                        "created_by": stamp,
                    }
                    for gift_id in [*ids, ids[0]]
                ],
            )
            if owner == store_id:
                quiet, deep = ids[0], ids[CARDS * 2 // 3]
        if store.is_postgres:
            conn.exec_driver_sql("ANALYZE")
    return quiet, deep


@contextmanager
def statements(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The SQL sent through SQLAlchemy while the block runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", keep)


def plan(store: Store, statement: str, parameters: Any) -> str:
    with store.read() as conn:
        if store.is_postgres:
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            return "\n".join(row[0] for row in rows)
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        return "\n".join(row[-1] for row in rows)


async def the_plan(store: Store, table: str, run: Callable[[], Awaitable[Any]]) -> str:
    with statements(store) as seen:
        await run()
    found = [s for s in seen if f"FROM {table}" in s[0] and "FOR UPDATE" not in s[0]]
    assert found, f"no statement on {table} among {[s[0][:60] for s in seen]}"
    return plan(store, *found[-1])


def assert_by_index(text: str, index: str) -> None:
    assert index in text, text
    # No whole-table read and no sort of the rows found: the index gives them in order.
    for whole in ("SCAN gifts", "SCAN transactions", "Seq Scan", "TEMP B-TREE", "Sort"):
        assert whole not in text, text


@pytest.fixture
async def filled(api: Api) -> tuple[Api, int, int]:
    store = api.store
    first, deep = fill(store, int(api.store_id), int(api.location_id))
    return api, first, deep


@pytest.mark.anyio
async def test_the_gift_card_list_pages_by_the_stores_index(filled: tuple[Api, int, int]) -> None:
    api, _first, deep = filled

    async def page(**params: Any) -> None:
        answer = await api.get("/v1/gift-cards", admin=True, **params)
        assert answer.status_code == 200, answer.text

    for params in ({}, {"after": str(deep)}, {"before": str(deep)}):
        text = await the_plan(api.store, "gifts", lambda params=params: page(**params))
        assert_by_index(text, "gifts_by_store")


@pytest.mark.anyio
async def test_a_search_by_the_codes_end_reads_by_its_index(
    filled: tuple[Api, int, int],
) -> None:
    """Issue 19.14: a manager searches for the last four a slip shows ("••0002"). By the
    index on the code's last four, a page in id order: no store-wide read, no sort."""
    api, _first, deep = filled
    tail = str(deep)[-4:]

    async def page(**params: Any) -> None:
        answer = await api.get("/v1/gift-cards", admin=True, **params)
        assert answer.status_code == 200, answer.text
        assert str(deep) in {g["id"] for g in answer.json()}

    for params in (
        {"code_ends_with": tail},
        {"code_ends_with": str(deep)[-6:], "include_canceled": "true"},
        {"code_ends_with": tail, "after": str(deep - 1)},
    ):
        text = await the_plan(api.store, "gifts", lambda params=params: page(**params))
        assert_by_index(text, "gifts_by_code_tail")


@pytest.mark.anyio
async def test_a_cards_transactions_are_read_by_its_own_index(
    filled: tuple[Api, int, int],
) -> None:
    api, first, _deep = filled

    async def listed() -> None:
        answer = await api.get("/v1/transactions", gift_id=str(first))
        assert answer.status_code == 200, answer.text
        assert len(answer.json()) == 2

    text = await the_plan(api.store, "transactions", listed)
    assert_by_index(text, "transactions_by_store_gift")


def test_the_idempotency_purge_reads_keys_by_age(store: Store) -> None:
    now = now_us()
    with store.write() as conn:
        # A day's keys, and a few long expired: the purge finds the few without the day.
        conn.execute(
            idempotency.insert(),
            [
                {"store_id": 1, "key": f"k{i}", "status": 201, "body": b"{}", "created_at": at}
                for i, at in enumerate([now - i * 1_000_000 for i in range(OTHERS)] + [1, 2])
            ],
        )
        if store.is_postgres:
            conn.exec_driver_sql("ANALYZE")
    # A serving provider's start purges (`serve --key-retention-hours`); this store was
    # opened as `init` opens it, with no retention of its own.
    store.key_retention_us = KEY_RETENTION_HOURS * 3600 * 1_000_000
    with statements(store) as seen:
        store.migrate()
    purge = [s for s in seen if s[0].startswith("DELETE FROM idempotency")]
    assert purge, seen
    text = plan(store, *purge[0])
    assert "idempotency_by_age" in text, text
