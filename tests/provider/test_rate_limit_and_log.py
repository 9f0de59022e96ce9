"""api.md: more than N unknown codes in the window answer 429 until the window passes; and
the provider's log: one line a request, the token's id, never the token, serials masked."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

import anyio
import httpx
import pytest

from posapp.provider.app import create_app
from posapp.provider.store import Store

pytestmark = pytest.mark.anyio


@pytest.fixture
async def limited(store: Store) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    made = store.create_store("Limited", "USD")
    app = create_app(store, miss_limit=3, miss_window_s=1)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://p"
    ) as client:
        yield client, made


async def test_unknown_codes_are_rate_limited_until_the_window_passes(
    limited: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, made = limited
    terminal = {"Authorization": f"Bearer {made['terminal_token']}"}
    admin = {"Authorization": f"Bearer {made['admin_token']}"}
    assert (
        await client.post("/v1/gift-cards", json={"code": "REAL", "balance": 5}, headers=admin)
    ).status_code == 201
    for i in range(3):  # three misses are answered; then every lookup is 429 for a while
        answer = await client.post(
            "/v1/gifts/validate", json={"code": f"GUESS-{i}"}, headers=terminal
        )
        assert answer.status_code == 404
    blocked = await client.post("/v1/gifts/validate", json={"code": "REAL"}, headers=terminal)
    assert blocked.status_code == 429
    body = blocked.json()
    assert body["code"] == "rate_limited"
    assert int(blocked.headers["retry-after"]) >= 1
    assert body["detail"].startswith("Too many unknown codes: try again in")
    # Another token of the same store is not blocked by this one's misses.
    other = {"Authorization": f"Bearer {made['admin_token']}"}
    assert (
        await client.post("/v1/gifts/validate", json={"code": "REAL"}, headers=other)
    ).status_code == 200

    async def status() -> int:
        return (
            await client.post("/v1/gifts/validate", json={"code": "REAL"}, headers=terminal)
        ).status_code

    # Wait on the condition (the window passing), with a deadline.
    codes = [await status()]
    deadline = time.monotonic() + 5
    while codes[-1] == 429 and time.monotonic() < deadline:
        await anyio.sleep(0.05)
        codes.append(await status())
    assert codes[-1] == 200, codes


async def test_one_log_line_a_request_without_the_token_and_with_serials_masked(
    limited: tuple[httpx.AsyncClient, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    client, made = limited
    admin = {"Authorization": f"Bearer {made['admin_token']}"}
    with caplog.at_level(logging.INFO, logger="posapp.provider"):
        created = await client.post(
            "/v1/gift-cards", json={"code": "500000000001234", "balance": 500}, headers=admin
        )
        gift_id = created.json()["id"]
        await client.post(
            f"/v1/gifts/{gift_id}/redemptions",
            json={"amount": 100},
            headers={**admin, "Idempotency-Key": "L-1"},
        )
        await client.post("/v1/gifts/validate", json={"code": "999999999995678"}, headers=admin)
    requests = [
        r.getMessage()
        for r in caplog.records
        if r.name == "posapp.provider" and r.getMessage().startswith(("GET", "POST"))
    ]
    assert len(requests) == 3
    assert requests[0].startswith("POST /v1/gift-cards 201 ")
    assert requests[1].startswith(f"POST /v1/gifts/{gift_id}/redemptions 201 ")
    assert requests[2].startswith("POST /v1/gifts/validate 404 ")
    token_id = created.json()["created_by"]["id"]
    assert all(line.endswith(f"token={token_id}") for line in requests)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert made["admin_token"] not in text
    assert "500000000001234" not in text
    assert "***********1234" in text
    assert "***********5678" in text
    assert "999999999995678" not in text
