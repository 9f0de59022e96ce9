"""Issue 18 point 4: an Idempotency-Key is bound to the request it first answered. The same
key on another method, path or card is refused (422 `idempotency_key_reused`) and runs
nothing; on the same method and path with a changed body it replays (api.md Idempotency)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from posapp.provider.schema import SCHEMA_VERSION
from posapp.provider.store import Store
from tests.provider.conftest import Api, ledger_identity

pytestmark = pytest.mark.anyio


def refused(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "idempotent-replayed" not in answer.headers
    found: dict[str, Any] = answer.json()
    assert found["code"] == "idempotency_key_reused"
    return found


async def balance(api: Api, gift: dict[str, Any]) -> int:
    answer = await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)
    return int(answer.json()["balance"])


async def test_the_same_key_for_another_card_is_refused_and_that_card_not_charged(
    api: Api,
) -> None:
    card_a, card_b = await api.card("CARD-A", balance=5000), await api.card("CARD-B", balance=5000)
    first = await api.redeem(card_a["id"], key="TILL-1", amount=1000)
    assert first.status_code == 201
    problem = refused(await api.redeem(card_b["id"], key="TILL-1", amount=1000))
    assert f"POST /v1/gifts/{card_a['id']}/redemptions" in problem["detail"]
    assert "new key" in problem["detail"]
    assert (await balance(api, card_a), await balance(api, card_b)) == (4000, 5000)
    # The refusal is not kept: the key still answers its own request, byte for byte.
    again = await api.redeem(card_a["id"], key="TILL-1", amount=1000)
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    # (the cards' creation with a balance is an adjustment each: api.md "Manager changes")
    assert len((await api.get("/v1/transactions", type="redemption")).json()) == 1
    await ledger_identity(api)


async def test_the_same_key_on_another_method_or_path_is_refused(api: Api) -> None:
    gift = await api.card("CARD-A", balance=5000)
    canceled = await api.card("CARD-GONE", balance=100)
    gone = await api.client.delete(
        f"/v1/gift-cards/{canceled['id']}", headers={**api.admin, "Idempotency-Key": "ADMIN-1"}
    )
    assert gone.status_code == 204
    # A DELETE's 204 no longer comes back for a redemption, nor for a cash-out or reversal.
    refused(await api.redeem(gift["id"], key="ADMIN-1", amount=700))
    await api.set_config(cash_out_enabled=True)
    refused(await api.post(f"/v1/gifts/{gift['id']}/cash-out", key="ADMIN-1"))
    redeemed = await api.redeem(gift["id"], key="R-1", amount=700)
    txn = redeemed.json()["transaction"]["id"]
    refused(await api.post(f"/v1/transactions/{txn}/reversal", key="R-1"))
    refused(await api.post("/v1/gift-cards/issues", {"amount": 100}, key="R-1"))
    patched = await api.client.patch(
        f"/v1/gift-cards/{gift['id']}",
        json={"enabled": False},
        headers={**api.admin, "Idempotency-Key": "R-1"},
    )
    refused(patched)
    assert await balance(api, gift) == 4300
    after = (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()
    assert after["enabled"] is True
    moved = (await api.get("/v1/transactions", gift_id=gift["id"])).json()
    assert [t["type"] for t in moved] == ["adjustment", "redemption"]  # made, then redeemed


async def test_an_activation_key_is_bound_to_its_card_and_replays_a_changed_amount(
    api: Api,
) -> None:
    first = await api.post("/v1/gift-cards/activations", {"code": "NEW-1", "amount": 2500}, key="A")
    assert first.status_code == 201
    # The same card (codes match case-insensitively) with a changed body: the first answer.
    again = await api.post("/v1/gift-cards/activations", {"code": "new-1", "amount": 9900}, key="A")
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    # Another card: refused, and that card is not activated.
    refused(
        await api.post("/v1/gift-cards/activations", {"code": "NEW-2", "amount": 2500}, key="A")
    )
    found = await api.get("/v1/gift-cards", admin=True, code="NEW-2")
    assert found.json() == []
    # An admin's new card is bound to its code the same way.
    made = await api.post("/v1/gift-cards", {"code": "ADM-1", "balance": 10}, admin=True, key="C")
    assert made.status_code == 201
    refused(await api.post("/v1/gift-cards", {"code": "ADM-2", "balance": 10}, admin=True, key="C"))


async def test_a_refused_request_keeps_its_key_bound_too(api: Api) -> None:
    card_a, card_b = await api.card("CARD-A", balance=5000), await api.card("CARD-B", balance=5000)
    # A body that cannot be read is answered and kept under its key (api.md replays 4xx) ...
    path = f"/v1/gifts/{card_a['id']}/redemptions"
    bad = await api.client.post(
        path, content=b"{not json", headers={**api.terminal, "Idempotency-Key": "V-1"}
    )
    assert bad.status_code == 422
    fixed = await api.redeem(card_a["id"], key="V-1", amount=100)
    assert (fixed.status_code, fixed.content) == (422, bad.content)
    # ... and it is still bound to card A: card B's redemption with it is refused, and so
    # is a body card B's call could not read.
    refused(await api.redeem(card_b["id"], key="V-1", amount=100))
    broken = await api.client.post(
        f"/v1/gifts/{card_b['id']}/redemptions",
        content=b"{not json",
        headers={**api.terminal, "Idempotency-Key": "V-1"},
    )
    refused(broken)
    # A key first used for an unreadable activation of one card is refused for another.
    garbled = {"code": "NEW-1", "amount": "ten"}
    assert (await api.post("/v1/gift-cards/activations", garbled, key="V-2")).status_code == 422
    refused(await api.post("/v1/gift-cards/activations", {"code": "NEW-2", "amount": 1}, key="V-2"))
    assert (await balance(api, card_a), await balance(api, card_b)) == (5000, 5000)


def test_a_version_2_database_gains_the_binding_and_its_old_keys_still_replay(
    db_url: str,
) -> None:
    """Schema version 3 adds the column; a key kept before it (bound to nothing) replays as
    it always did, on SQLite and PostgreSQL."""
    first = Store(db_url, pool_size=2)
    made = first.create_store("Books", "USD")
    first.close()
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:  # back to what version 2 wrote
        conn.exec_driver_sql("ALTER TABLE idempotency DROP COLUMN bound_to")
        conn.exec_driver_sql("DROP INDEX transactions_by_client_reference")  # version 4's
        conn.exec_driver_sql("ALTER TABLE transactions DROP COLUMN client_reference")
        conn.exec_driver_sql("DROP INDEX gifts_by_code_tail")  # version 5's
        conn.exec_driver_sql("ALTER TABLE gifts DROP COLUMN code_tail")
        conn.execute(
            sa.text(
                "INSERT INTO idempotency (store_id, key, status, body, created_at) "
                "VALUES (:store, 'OLD', 201, :body, :at)"
            ),
            {"store": int(made["store_id"]), "body": b'{"old":1}', "at": 2**62},
        )
        conn.exec_driver_sql("UPDATE schema_version SET version = 2")
    engine.dispose()
    again = Store(db_url, pool_size=2)
    try:
        with again.read() as conn:
            version = conn.exec_driver_sql("SELECT version FROM schema_version").scalar()
            assert version == SCHEMA_VERSION >= 3
            conn.exec_driver_sql("SELECT bound_to FROM idempotency")
        store_id = int(made["store_id"])
        assert again.replay(store_id, "OLD", "POST /v1/gifts/1/redemptions") == (201, b'{"old":1}')
    finally:
        again.close()


async def test_a_key_of_the_wrong_shape_is_refused_in_words(api: Api) -> None:
    gift = await api.card("CARD-A", balance=5000)
    for key in ("", "K" * 256):
        answer = await api.client.post(
            f"/v1/gifts/{gift['id']}/redemptions",
            json={"amount": 100},
            headers={**api.terminal, "Idempotency-Key": key},
        )
        assert answer.status_code == 422, answer.text
        found = answer.json()
        assert found["code"] == "validation_error"
        assert found["detail"] == "Idempotency-Key is 1 to 255 printable ASCII characters"
    assert await balance(api, gift) == 5000
