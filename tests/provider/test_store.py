"""The ledger's storage: a money ledger's SQLite settings, the schema version, and the stored
answer committing with the money movement or not at all (api.md, issue #3 item 2)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson
import psycopg
import pytest
import sqlalchemy as sa

from posapp.contract.requests import RedeemBody
from posapp.provider.ledger import now_us
from posapp.provider.operations import Ledger
from posapp.provider.schema import SCHEMA_VERSION, gifts, transactions
from posapp.provider.store import Store


def test_sqlite_runs_as_a_money_ledger(tmp_path: Any) -> None:
    store = Store(f"sqlite:///{tmp_path / 'ledger.db'}")
    try:
        with store.engine.connect() as conn:
            pragma = conn.connection.driver_connection.execute  # type: ignore[union-attr]
            assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert pragma("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert pragma("PRAGMA busy_timeout").fetchone()[0] == 30000
            assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        store.close()


def test_the_schema_carries_its_version_and_survives_a_restart(db_url: str) -> None:
    first = Store(db_url, pool_size=2)
    made = first.create_store("Books", "EUR")
    first.close()
    again = Store(db_url, pool_size=2)  # migrate() on an existing schema keeps the data
    try:
        with again.read() as conn:
            versions = conn.exec_driver_sql("SELECT version FROM schema_version").all()
        assert versions == [(SCHEMA_VERSION,)]
        who = again.principal(made["terminal_token"])
        assert who is not None
        assert str(who.store_id) == made["store_id"]
    finally:
        again.close()


def test_a_schema_newer_than_this_provider_is_refused(db_url: str) -> None:
    Store(db_url, pool_size=2).close()
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE schema_version SET version = {SCHEMA_VERSION + 1}")
    engine.dispose()
    with pytest.raises(RuntimeError, match=r"newer than this provider.*upgrade posapp"):
        Store(db_url, pool_size=2)


@pytest.mark.anyio
async def test_a_fault_after_the_debit_leaves_neither_money_moved_nor_an_answer_kept(
    store: Store,
) -> None:
    made = store.create_store("Books", "USD")
    who = store.principal(made["terminal_token"])
    assert who is not None
    ledger = Ledger(store)
    with store.write() as conn:
        gift = ledger.insert_gift(conn, who, now_us(), code="GC-1", balance=5000)

    def redeem_then_fail(conn: Any) -> tuple[int, Any]:
        ledger.redeem(conn, who, now_us(), gift.id, RedeemBody(amount=1200))
        raise RuntimeError("the disk went away")

    with pytest.raises(RuntimeError, match="the disk went away"):
        await store.idempotent_async(who.store_id, "key-1", redeem_then_fail)
    with store.read() as conn:
        balance = conn.execute(sa.select(gifts.c.balance).where(gifts.c.id == gift.id)).scalar()
    assert balance == 5000
    assert store.replay(who.store_id, "key-1") is None  # the key is free for the retry


def test_a_version_1_schema_gains_the_indexes_of_version_2_and_the_references_of_3(
    db_url: str,
) -> None:
    """Issue 14's indexes and issue 18's client_reference reach a database made by an older
    provider, data kept."""
    first = Store(db_url, pool_size=2)
    made = first.create_store("Books", "EUR")
    first.close()
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:  # as version 1 left it
        for index in ("gifts_by_store", "transactions_by_store_gift", "idempotency_by_age"):
            conn.exec_driver_sql(f"DROP INDEX {index}")
        conn.exec_driver_sql("CREATE INDEX transactions_by_gift ON transactions (gift_id, id)")
        conn.exec_driver_sql("ALTER TABLE idempotency DROP COLUMN bound_to")  # version 3's
        conn.exec_driver_sql("DROP INDEX transactions_by_client_reference")
        conn.exec_driver_sql("ALTER TABLE transactions DROP COLUMN client_reference")
        conn.exec_driver_sql("DROP INDEX gifts_by_code_tail")  # version 5's
        conn.exec_driver_sql("ALTER TABLE gifts DROP COLUMN code_tail")
        conn.exec_driver_sql("UPDATE schema_version SET version = 1")
    engine.dispose()
    again = Store(db_url, pool_size=2)
    try:
        names = {
            index["name"]
            for table in ("gifts", "transactions", "idempotency")
            for index in sa.inspect(again.engine).get_indexes(table)
        }
        assert {
            "gifts_by_store",
            "transactions_by_store_gift",
            "idempotency_by_age",
            "transactions_by_client_reference",
            "gifts_by_code_tail",
        } <= names
        assert "transactions_by_gift" not in names
        columns = {c["name"] for c in sa.inspect(again.engine).get_columns("transactions")}
        assert "client_reference" in columns
        with again.read() as conn:
            versions = conn.exec_driver_sql("SELECT version FROM schema_version").all()
            assert versions == [(SCHEMA_VERSION,)]
        assert again.principal(made["admin_token"]) is not None
    finally:
        again.close()


def test_one_batch_of_redemptions_moves_each_once_and_keeps_each_answer(store: Store) -> None:
    """As the group-commit writer runs them: several keyed redemptions in one transaction.
    On PostgreSQL each one's transaction row and answer ride with the next statement, and
    its key's claim with the gift's lock; every answer must still be kept, and replayed."""
    made = store.create_store("Books", "USD")
    who = store.principal(made["terminal_token"])
    assert who is not None
    ledger = Ledger(store)
    with store.write() as conn:
        gift = ledger.insert_gift(conn, who, now_us(), code="GC-1", balance=5000)

    def redeem(conn: Any) -> tuple[int, Any]:
        return ledger.redeem(conn, who, now_us(), gift.id, RedeemBody(amount=100))

    with store.write() as conn:
        first = [store.idempotent_in(conn, who.store_id, f"key-{i}", redeem) for i in range(5)]
        again = store.idempotent_in(conn, who.store_id, "key-2", redeem)
    assert [answer[0] for answer in first] == [201] * 5
    assert again == (first[2][0], first[2][1], True)  # the same key in the same batch
    with store.read() as conn:
        balance = conn.execute(sa.select(gifts.c.balance).where(gifts.c.id == gift.id)).scalar()
        moved = conn.exec_driver_sql("SELECT count(*) FROM transactions").scalar()
    assert balance == 5000 - 5 * 100
    assert moved == 5
    for i in range(5):
        assert store.replay(who.store_id, f"key-{i}") == (201, first[i][1])


def test_a_batch_of_redemptions_on_two_cards_leaves_each_answer_as_the_database_has_it(
    store: Store,
) -> None:
    """On PostgreSQL a redemption's debit is held back and goes with the next statement,
    and its answer says what the debit makes of the card without asking: a second debit of
    the same card in the batch must see the first, and every answer, transaction row and
    balance must agree with what the database holds."""
    made = store.create_store("Books", "USD")
    who = store.principal(made["terminal_token"])
    assert who is not None
    ledger = Ledger(store)
    with store.write() as conn:
        cards = [
            ledger.insert_gift(conn, who, now_us(), code=f"GC-{i}", balance=5000) for i in (1, 2)
        ]

    def redeem(gift_id: int, amount: int) -> Any:
        return lambda conn: ledger.redeem(conn, who, now_us(), gift_id, RedeemBody(amount=amount))

    order = [(0, 100), (1, 200), (0, 300), (0, 400), (1, 500)]
    with store.write() as conn:
        answers = [
            store.idempotent_in(conn, who.store_id, f"key-{i}", redeem(cards[card].id, amount))
            for i, (card, amount) in enumerate(order)
        ]
    left = {0: 5000, 1: 5000}
    for (card, amount), (status, body, replayed) in zip(order, answers, strict=True):
        left[card] -= amount
        answer = orjson.loads(body)
        assert (status, replayed) == (201, False)
        assert answer["gift"]["balance"] == left[card]
        assert answer["transaction"]["balance_after"] == left[card]
    with store.read() as conn:
        balances = dict(conn.execute(sa.select(gifts.c.id, gifts.c.balance)).all())
        rows = conn.execute(
            sa.select(transactions.c.id, transactions.c.gift_id, transactions.c.balance_after)
        ).all()
    assert balances == {cards[0].id: left[0], cards[1].id: left[1]}
    kept = {str(row.id): (row.gift_id, row.balance_after) for row in rows}
    for (card, _amount), (_status, body, _replayed) in zip(order, answers, strict=True):
        txn = orjson.loads(body)["transaction"]
        assert kept[txn["id"]] == (cards[card].id, txn["balance_after"])
    for i in range(len(order)):
        assert store.replay(who.store_id, f"key-{i}") == (201, answers[i][1])


def test_a_debit_that_moves_nothing_records_nothing(store: Store) -> None:
    """The guard of a debit is the database's: if the row under the lock were not what the
    provider read, the debit moves nothing and the transaction fails whole, on PostgreSQL
    too, where the debit and its transaction row are sent later, together."""
    made = store.create_store("Books", "USD")
    who = store.principal(made["terminal_token"])
    assert who is not None
    ledger = Ledger(store)
    with store.write() as conn:
        gift = ledger.insert_gift(conn, who, now_us(), code="GC-1", balance=100)
    stale = replace(gift, balance=5000)  # not what the database holds

    def debit(conn: Any) -> tuple[int, Any]:
        moved = ledger.move(conn, who, now_us(), stale, balance=-1000, later=True)
        ledger.record(
            conn, who, now_us(), moved, "USD", after_move_later=True, type="redemption", amount=1000
        )
        return 201, {}

    # SQLite: `move` finds no row. PostgreSQL: the row's id is NULL, from the driver's cursor.
    with pytest.raises((RuntimeError, sa.exc.IntegrityError, psycopg.IntegrityError)):
        store.idempotent(who.store_id, "key-1", debit)
    with store.read() as conn:
        assert conn.execute(sa.select(gifts.c.balance)).scalar() == 100
        assert conn.exec_driver_sql("SELECT count(*) FROM transactions").scalar() == 0
