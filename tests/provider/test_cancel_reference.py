"""api.md "Canceling a movement that never came" (issue 19, till #1): POST
/v1/transactions/cancel cancels a till's movement unless it happened, in one step; the
request arriving late with its key or its reference is refused with 409
`reference_canceled` and moves nothing, after the key retention too; a movement that did
happen is answered, and nothing is canceled. SQLite and PostgreSQL, ASGI and loopback."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from posapp.provider.ledger import now_us
from posapp.provider.store import KEY_RETENTION_HOURS, Store
from tests.provider.conftest import Api

pytestmark = pytest.mark.anyio
DAY_US = 24 * 3600 * 1_000_000


async def cancel(api: Api, reference: str, key: str | None = None) -> dict[str, Any]:
    body = {"client_reference": reference, **({"idempotency_key": key} if key else {})}
    answer = await api.post("/v1/transactions/cancel", body, key=None)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def balance(api: Api, gift_id: str) -> int:
    answer = await api.get(f"/v1/gift-cards/{gift_id}", admin=True)
    return int(answer.json()["balance"])


async def test_a_canceled_movement_is_refused_when_it_arrives_with_its_key(api: Api) -> None:
    gift = await api.card(balance=5000)
    first = await cancel(api, "till-r-1", "KEY-1")
    assert first["canceled"] is True
    assert first["movements"] == []
    assert first["canceled_at"].endswith("Z")
    again = await cancel(api, "till-r-1", "KEY-1")
    assert again == first  # idempotent: the same answer, the same time

    late = await api.redeem(gift["id"], key="KEY-1", amount=1200, client_reference="till-r-1")
    assert late.status_code == 409, late.text
    assert late.json()["code"] == "reference_canceled"
    assert await balance(api, gift["id"]) == 5000
    # Its own reference with another key: refused too (in the money call's transaction).
    other = await api.redeem(gift["id"], key="KEY-2", amount=1200, client_reference="till-r-1")
    assert (other.status_code, other.json()["code"]) == (409, "reference_canceled")
    assert await balance(api, gift["id"]) == 5000
    lookup = await api.get("/v1/transactions/lookup", client_reference="till-r-1")
    assert lookup.json() == []
    for path, body in (
        (f"/v1/gifts/{gift['id']}/cash-out", {"client_reference": "till-r-1"}),
        (
            "/v1/gift-cards/activations",
            {"code": "GC-X", "amount": 100, "client_reference": "till-r-1"},
        ),
        ("/v1/gift-cards/issues", {"amount": 100, "client_reference": "till-r-1"}),
    ):
        refused = await api.post(path, body)
        assert refused.json()["code"] == "reference_canceled", path
    txns = (await api.get("/v1/transactions")).json()
    assert {t["type"] for t in txns} == {"adjustment"}  # the card's creation, no more


async def test_a_movement_that_happened_is_answered_and_nothing_is_canceled(api: Api) -> None:
    gift = await api.card(balance=5000)
    done = await api.redeem(gift["id"], key="KEY-D", amount=1200, client_reference="till-r-2")
    assert done.status_code == 201
    answer = await cancel(api, "till-r-2", "KEY-D")
    assert answer["canceled"] is False
    assert answer["canceled_at"] is None
    (movement,) = answer["movements"]
    assert movement["transaction"] == done.json()["transaction"]
    assert movement["gift"]["balance"] == 3800
    replay = await api.redeem(gift["id"], key="KEY-D", amount=1200, client_reference="till-r-2")
    assert replay.headers["idempotent-replayed"] == "true"  # its key still answers as before
    assert await balance(api, gift["id"]) == 3800


async def test_a_refused_movement_is_canceled_and_keeps_its_refusal(api: Api) -> None:
    gift = await api.card(balance=500)
    refused = await api.redeem(gift["id"], key="KEY-N", amount=1200, client_reference="till-r-3")
    assert refused.json()["code"] == "insufficient_balance"
    answer = await cancel(api, "till-r-3", "KEY-N")
    assert answer["canceled"] is True
    again = await api.redeem(gift["id"], key="KEY-N", amount=100, client_reference="till-r-3")
    assert again.content == refused.content  # the key keeps its first answer


async def test_the_canceled_key_outlives_the_key_retention(api: Api) -> None:
    """A request held for days still finds its key refused: the canceled reference's key is
    not purged with the others."""
    gift = await api.card(balance=5000)
    await api.redeem(gift["id"], key="OLD", amount=100)
    await cancel(api, "till-r-4", "KEY-LATE")
    Store(
        api.store.url,
        pool_size=2,
        key_retention_hours=KEY_RETENTION_HOURS,
        clock=lambda: now_us() + 3 * DAY_US,
    ).close()  # a `serve` start three days on: the other keys are forgotten
    old = await api.redeem(gift["id"], key="OLD", amount=100)
    assert "idempotent-replayed" not in old.headers  # forgotten, so it ran again
    late = await api.redeem(gift["id"], key="KEY-LATE", amount=1200, client_reference="till-r-4")
    assert (late.status_code, late.json()["code"]) == (409, "reference_canceled")
    assert late.headers["idempotent-replayed"] == "true"
    assert await balance(api, gift["id"]) == 4800


async def test_a_cancel_racing_the_movement_gives_one_of_the_two_never_both(api: Api) -> None:
    """Sent together many times: each reference ends either moved (and the cancel answers
    the movement) or canceled (and the movement was refused), never both, never neither."""
    gift = await api.card(balance=100_000)
    results = []
    for i in range(20):
        reference, key = f"race-{i}", f"RACE-{i}"
        moved, canceled = await asyncio.gather(
            api.redeem(gift["id"], key=key, amount=100, client_reference=reference),
            cancel(api, reference, key),
        )
        if canceled["canceled"]:
            assert moved.json()["code"] == "reference_canceled", moved.text
            results.append("canceled")
        else:
            assert moved.status_code == 201, moved.text
            assert canceled["movements"][0]["transaction"] == moved.json()["transaction"]
            results.append("moved")
    assert await balance(api, gift["id"]) == 100_000 - 100 * results.count("moved")


async def test_the_cancel_is_refused_in_words_without_a_reference_or_a_token(api: Api) -> None:
    for body in ({}, {"client_reference": ""}, {"client_reference": "x" * 256}, None):
        answer = await api.post("/v1/transactions/cancel", body, key=None)
        assert answer.status_code == 422, body
    anonymous = await api.client.post(
        "/v1/transactions/cancel", json={"client_reference": "till-r-9"}
    )
    assert anonymous.status_code == 401
    other = api.store.create_store("Other", "USD")
    gift = await api.card(balance=5000)
    done = await api.redeem(gift["id"], key="K-O", amount=100, client_reference="mine")
    assert done.status_code == 201
    elsewhere = await api.client.post(
        "/v1/transactions/cancel",
        json={"client_reference": "mine"},
        headers={"Authorization": f"Bearer {other['terminal_token']}"},
    )
    assert elsewhere.json()["canceled"] is True  # another store's reference is its own
    assert (await api.redeem(gift["id"], amount=100, client_reference="mine")).status_code == 201
