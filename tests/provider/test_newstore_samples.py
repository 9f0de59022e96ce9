"""Our provider's NewStore webhooks and the fake NewStore's Gift Card API through the same
published request samples (issue 22 point 3; ../shared/design/newstore.md, A and B): both take
each sample as NewStore sends it and answer the same, over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from posapp.newstore_fake.app import BASE, FakeNewStore
from posapp.provider.app import create_app
from posapp.provider.store import Store
from tests.helpers import LiveServer

NUMBER = "5h78k5367h09q34n22"  # the published balance sample's card
SAMPLES = [
    (
        "activate",
        {
            "card_number": NUMBER,
            "amount": {"value": 100, "currency": "USD"},
            "customer": {"id": "c-42", "email": "ada@example.com", "name": "Ada Lovelace"},
            "metadata": {"original_operation": "activation"},
            "idempotence_key": "5f1c-activate",
        },
    ),
    (
        "balance",
        {
            "identifier": {"number": NUMBER, "pin": "4125"},
            "metadata": {"store_id": "some-store-identifier"},
        },
    ),
    (
        "deactivate",
        {
            "card_number": NUMBER,
            "pin": "4125",
            "store_id": "some-store-identifier",
            "idempotence_key": "5f1c-deactivate",
        },
    ),
    (
        "balance",
        {
            "identifier": {"number": NUMBER, "pin": "4125"},
            "metadata": {"store_id": "some-store-identifier"},
        },
    ),
]


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    store = Store(f"sqlite:///{tmp_path / 'provider.db'}", pool_size=2)
    made = store.create_store("Dodici", "USD")
    store.set_cash_out(int(made["store_id"]), True, None)
    key = store.create_token(
        int(made["store_id"]), int(made["location_id"]), "NewStore", {"newstore"}
    )
    server = LiveServer(create_app(store))
    yield f"{server.url}/newstore", {"X-API-Key": key}
    server.stop()
    store.close()


@pytest.fixture
def fake() -> Iterator[tuple[str, dict[str, str]]]:
    newstore = FakeNewStore()
    server = LiveServer(newstore.app())
    yield f"{server.url}{BASE}", {"Authorization": f"Bearer {newstore.token}"}
    server.stop()


def test_the_published_samples_answer_the_same_from_our_webhooks_and_the_fake(
    provider: tuple[str, dict[str, str]], fake: tuple[str, dict[str, str]]
) -> None:
    answers: dict[str, list[tuple[int, object]]] = {"provider": [], "fake": []}
    for side, (base, headers) in (("provider", provider), ("fake", fake)):
        for operation, body in SAMPLES:
            answer = httpx.post(f"{base}/gift_card/{operation}", json=body, headers=headers)
            answers[side].append((answer.status_code, answer.json()))
    assert answers["provider"] == answers["fake"]
    assert answers["fake"] == [
        (200, {"identifier": {"number": NUMBER, "pin": None}}),
        (200, {"value": 100, "currency": "USD"}),
        (200, {"identifier": {"number": NUMBER, "pin": None}, "value": 100, "currency": "USD"}),
        (200, {"value": 0, "currency": "USD"}),
    ]
