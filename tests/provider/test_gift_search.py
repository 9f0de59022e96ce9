"""Finding a gift card by the end of its code (api.md "Finding a gift card", issue 19.14): the
last four a slip shows, a longer end, canceled cards when asked for; a code changed is found
by its new end; an older database's cards are found too."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from posapp.provider.schema import SCHEMA_VERSION
from posapp.provider.store import Store
from tests.provider.conftest import Api

pytestmark = pytest.mark.anyio


async def codes(api: Api, **params: Any) -> list[str]:
    answer = await api.get("/v1/gift-cards", admin=True, **params)
    assert answer.status_code == 200, answer.text
    return [g["code"] for g in answer.json()]


async def test_the_last_four_find_every_card_ending_so_in_id_order(api: Api) -> None:
    for code in ("500000000000002", "ABC-0002", "X-7770002", "500000000000003"):
        await api.card(code, 1000)
    gone = await api.card("GC-9990002", 1000)
    canceled = await api.client.delete(
        f"/v1/gift-cards/{gone['id']}", headers={**api.admin, "Idempotency-Key": api.key()}
    )
    assert canceled.status_code == 204, canceled.text
    assert await codes(api, code_ends_with="0002") == [
        "500000000000002",
        "ABC-0002",
        "X-7770002",
    ]
    assert await codes(api, code_ends_with="0002", include_canceled="true") == [
        "500000000000002",
        "ABC-0002",
        "X-7770002",
        "GC-9990002",
    ]
    assert await codes(api, code_ends_with="c-0002") == ["ABC-0002"]  # any case, any length
    assert await codes(api, code_ends_with="7770002") == ["X-7770002"]
    assert await codes(api, code_ends_with="%002") == []  # no wildcard in what is typed
    first, *_ = (await api.get("/v1/gift-cards", admin=True, code_ends_with="0002")).json()
    assert await codes(api, code_ends_with="0002", after=first["id"], limit=1) == ["ABC-0002"]


async def test_an_end_shorter_than_four_is_refused(api: Api) -> None:
    answer = await api.get("/v1/gift-cards", admin=True, code_ends_with="002")
    assert answer.status_code == 422
    assert answer.json()["code"] == "validation_error"


async def test_a_code_changed_is_found_by_its_new_end(api: Api) -> None:
    card = await api.card("OLD-1111", 1000)
    changed = await api.client.patch(
        f"/v1/gift-cards/{card['id']}",
        json={"code": "NEW-2222"},
        headers={**api.admin, "Idempotency-Key": api.key()},
    )
    assert changed.status_code == 200, changed.text
    assert await codes(api, code_ends_with="2222") == ["NEW-2222"]
    assert await codes(api, code_ends_with="1111") == []


def test_a_version_4_database_finds_its_cards_by_their_end(db_url: str) -> None:
    """The code's last four reach the cards an older provider made (schema version 5)."""
    first = Store(db_url, pool_size=2)
    made = first.create_store("Books", "EUR")
    first.close()
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:  # a card as version 4 kept it: no code_tail, no index
        conn.exec_driver_sql("DROP INDEX gifts_by_code_tail")
        conn.exec_driver_sql("ALTER TABLE gifts DROP COLUMN code_tail")
        conn.exec_driver_sql(
            "INSERT INTO gifts (id, store_id, code, code_key, kind, balance, starting_balance,"
            " enabled, promotional, usable_at, public_token, created_at, created_by) VALUES "
            f"(77, {made['store_id']}, 'Old-Card-4242', 'old-card-4242', 'monetary', 5, 5,"
            " true, false, 1, 'tok77', 1, '{}')"
        )
        conn.exec_driver_sql("UPDATE schema_version SET version = 4")
    engine.dispose()
    again = Store(db_url, pool_size=2)
    try:
        with again.read() as conn:
            assert conn.exec_driver_sql("SELECT version FROM schema_version").all() == [
                (SCHEMA_VERSION,)
            ]
            tails = conn.exec_driver_sql("SELECT code_tail FROM gifts WHERE id = 77").all()
        assert tails == [("4242",)]
        names = {i["name"] for i in sa.inspect(again.engine).get_indexes("gifts")}
        assert "gifts_by_code_tail" in names
    finally:
        again.close()
