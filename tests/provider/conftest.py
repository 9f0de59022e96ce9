from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from posapp.provider.app import create_app
from posapp.provider.store import Store
from tests.helpers import LiveServer

PG_URL = os.environ.get("POSAPP_TEST_POSTGRES_URL", "")
PG_SKIP = (
    "PostgreSQL runs are skipped: set POSAPP_TEST_POSTGRES_URL to a postgresql+psycopg:// URL "
    "(bash tests/run.sh starts a throwaway PostgreSQL and sets it)"
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def postgres_schema_url() -> Iterator[str]:
    """A fresh schema for one test, so tests share a server but never data."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = "t_" + uuid.uuid4().hex[:16]
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'provider.db'}"
    else:
        yield from postgres_schema_url()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store(db_url, pool_size=5)
    yield store
    store.close()


class Api:
    """A store's admin and terminal over one httpx client, with the calls tests repeat."""

    def __init__(self, client: httpx.AsyncClient, made: dict[str, str], store: Store) -> None:
        self.client = client
        self.store = store
        self.store_id = made["store_id"]
        self.location_id = made["location_id"]
        self.admin = {"Authorization": f"Bearer {made['admin_token']}"}
        self.terminal = {"Authorization": f"Bearer {made['terminal_token']}"}
        self._keys = 0

    def key(self) -> str:
        self._keys += 1
        return f"test-key-{uuid.uuid4().hex}-{self._keys}"

    async def card(
        self, code: str = "GC-1", balance: int | None = 5000, **extra: Any
    ) -> dict[str, Any]:
        body = {"code": code, **({"balance": balance} if balance is not None else {}), **extra}
        answer = await self.client.post("/v1/gift-cards", json=body, headers=self.admin)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    async def redeem(self, gift_id: str, key: str | None = None, **body: Any) -> httpx.Response:
        headers = {**self.terminal, "Idempotency-Key": key or self.key()}
        return await self.client.post(
            f"/v1/gifts/{gift_id}/redemptions", json=body, headers=headers
        )

    async def post(
        self, path: str, body: Any = None, *, admin: bool = False, key: str | None = "new"
    ) -> httpx.Response:
        headers = dict(self.admin if admin else self.terminal)
        if key is not None:
            headers["Idempotency-Key"] = self.key() if key == "new" else key
        return await self.client.post(path, json=body, headers=headers)

    async def get(self, path: str, *, admin: bool = False, **params: Any) -> httpx.Response:
        return await self.client.get(
            path, params=params, headers=self.admin if admin else self.terminal
        )

    async def set_config(self, **configurations: Any) -> None:
        answer = await self.client.patch(
            "/v1/gift-card-config",
            json={"store_configurations": configurations},
            headers=self.admin,
        )
        assert answer.status_code == 200, answer.text


@pytest.fixture(params=["asgi", "http"])
async def api(request: pytest.FixtureRequest, store: Store) -> AsyncIterator[Api]:
    """The real provider, in-process through httpx's ASGI transport or over loopback HTTP."""
    app = create_app(store)
    made = store.create_store("Test Books", "USD")
    if request.param == "asgi":
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://provider") as client:
            yield Api(client, made, store)
    else:
        server = LiveServer(app)
        try:
            limits = httpx.Limits(max_connections=100)
            async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=30) as client:
                yield Api(client, made, store)
        finally:
            server.stop()


async def ledger_identity(api: Api) -> None:
    """api.md: for every gift, starting_balance - redeemed - cashed_out + reversed +/-
    adjustments == balance; and every balance_after is the running balance."""
    gifts = (await api.get("/v1/gift-cards", admin=True, limit=100, include_canceled=True)).json()
    assert len(gifts) < 100
    txns: list[dict[str, Any]] = []
    after = None
    while True:
        page = (
            await api.get("/v1/transactions", limit=100, **({"after": after} if after else {}))
        ).json()
        txns += page
        if len(page) < 100:
            break
        after = page[-1]["id"]
    types = {t["id"]: t["type"] for t in txns}
    for gift in gifts:
        if gift["kind"] != "monetary":
            continue
        running = gift["starting_balance"]
        for txn in (t for t in txns if t["gift_id"] == gift["id"]):
            sign = {
                "activation": 0,
                "issue": 0,
                "redemption": -1,
                "gift_card_cash_out": -1,
                "reversal": 1,
            }
            if txn["type"] == "adjustment":
                running = txn["balance_after"]
            elif txn["type"] == "reversal" and types[txn["reverses"]] in ("activation", "issue"):
                running -= txn["amount"]  # a void takes the value off (api.md)
            else:
                running += sign[txn["type"]] * txn["amount"]
            assert txn["balance_after"] == running, (gift["code"], txn)
        assert running == gift["balance"] >= 0, gift["code"]
