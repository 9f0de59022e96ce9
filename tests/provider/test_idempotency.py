"""api.md "Idempotency": replays byte for byte, and one key moves money once."""

from __future__ import annotations

import anyio
import pytest

from tests.provider.conftest import Api, ledger_identity

pytestmark = pytest.mark.anyio


async def test_a_replay_is_byte_identical_and_says_so(api: Api) -> None:
    gift = await api.card(balance=5000)
    first = await api.redeem(gift["id"], key="K-1", amount=1000)
    again = await api.redeem(gift["id"], key="K-1", amount=1000)
    assert first.status_code == again.status_code == 201
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    balance = (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()["balance"]
    assert balance == 4000


async def test_a_replay_with_a_different_body_gets_the_first_answer(api: Api) -> None:
    gift = await api.card(balance=5000)
    first = await api.redeem(gift["id"], key="K-2", amount=1000)
    for body in ({"amount": 2500}, {"amount": "garbage"}, {"quantity": 3, "colour": 1}):
        again = await api.redeem(gift["id"], key="K-2", **body)
        assert again.content == first.content
        assert again.status_code == 201
        assert again.headers["idempotent-replayed"] == "true"
    assert (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()["balance"] == 4000


async def test_failed_validation_is_replayed_too(api: Api) -> None:
    gift = await api.card(balance=5000)
    first = await api.redeem(gift["id"], key="K-3", amount=9999)
    assert first.status_code == 422
    again = await api.redeem(gift["id"], key="K-3", amount=10)
    assert again.status_code == 422
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    invalid = await api.redeem(gift["id"], key="K-4", amount="x")
    assert invalid.status_code == 422
    fixed = await api.redeem(gift["id"], key="K-4", amount=10)
    assert (fixed.status_code, fixed.content) == (422, invalid.content)
    assert (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()["balance"] == 5000


async def test_keys_are_scoped_to_the_store(api: Api) -> None:
    gift = await api.card(balance=5000)
    await api.redeem(gift["id"], key="SHARED", amount=100)
    other = api.store.create_store("Other", "USD")
    headers = {"Authorization": f"Bearer {other['admin_token']}", "Idempotency-Key": "SHARED"}
    answer = await api.client.post(
        "/v1/gift-cards", json={"code": "X1", "balance": 10}, headers=headers
    )
    assert answer.status_code == 201
    assert "idempotent-replayed" not in answer.headers


async def test_32_concurrent_requests_with_one_key_move_money_once(api: Api) -> None:
    gift = await api.card(balance=10_000)
    answers = []

    async def one() -> None:
        answers.append(await api.redeem(gift["id"], key="SAME-KEY", amount=700))

    async with anyio.create_task_group() as group:
        for _ in range(32):
            group.start_soon(one)
    assert len(answers) == 32
    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert sum("idempotent-replayed" not in a.headers for a in answers) == 1
    assert (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()["balance"] == 9300
    moved = (await api.get("/v1/transactions", gift_id=gift["id"], type="redemption")).json()
    assert len(moved) == 1
    await ledger_identity(api)
