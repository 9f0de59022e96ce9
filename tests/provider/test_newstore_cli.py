"""`posapp-provider token --scope newstore`, `newstore --value-units` and `serve
--newstore-key-header` as an operator runs them: real processes, real HTTP (issue 22.1)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.helpers import Served
from tests.provider.test_cli import run


def test_a_newstore_key_in_the_header_the_provider_is_told(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'provider.db'}"
    made = run("init", "--db", db, "--store-name", "Dodici", "--currency", "EUR")
    store_id = made["store_id"]
    key = run(
        "token", "--db", db, "--store-id", store_id, "--name", "milano", "--scope", "newstore"
    )
    assert run("newstore", "--db", db, "--store-id", store_id, "--value-units", "minor") == {
        "store_id": store_id,
        "value_units": "minor",
    }
    served = Served(db, "--newstore-key-header", "X-NewStore-Key")
    try:
        admin = {"Authorization": f"Bearer {made['admin_token']}"}
        card = httpx.post(
            f"{served.url}/v1/gift-cards", json={"code": "D-1", "balance": 1999}, headers=admin
        )
        assert card.status_code == 201, card.text
        body = {"identifier": {"number": "D-1"}, "metadata": {"store_id": "milano"}}
        url = f"{served.url}/newstore/gift_card/balance"
        answer = httpx.post(url, json=body, headers={"X-NewStore-Key": key["token"]})
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"value": 1999, "currency": "EUR"}
        elsewhere = httpx.post(url, json=body, headers={"X-API-Key": key["token"]})
        assert elsewhere.status_code == 401
        assert "X-NewStore-Key" in elsewhere.json()["message"]
        assert key["token"] not in "".join(served.log)
    finally:
        assert served.stop() == 0
