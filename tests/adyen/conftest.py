from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from posapp.adyen_fake.app import CHECKOUT, STORED_VALUE, Exchange, FakeAdyen
from posapp.adyen_fake.demo_cards import demo_adyen
from tests.helpers import LiveServer


@dataclass
class Adyen:
    """The fake Adyen over loopback HTTP, and a client that speaks to it as an adapter would."""

    fake: FakeAdyen
    server: LiveServer
    cards: list[dict[str, str]]
    seen: list[Exchange] = field(default_factory=list)

    def post(
        self, path: str, body: object, key: str | None = None, api_key: str | None = None
    ) -> httpx.Response:
        headers = {"X-API-Key": self.fake.api_key if api_key is None else api_key}
        if key is not None:
            headers["Idempotency-Key"] = key
        return httpx.post(self.server.url + path, json=body, headers=headers, timeout=10)

    def checkout(self, path: str, body: object, key: str | None = None) -> httpx.Response:
        return self.post(CHECKOUT + path, body, key)

    def stored_value(self, path: str, body: object, key: str | None = None) -> httpx.Response:
        return self.post(STORED_VALUE + path, body, key)

    def balance(self, number: str) -> int:
        card = self.fake.card(number)
        assert card is not None
        balance = card["balance"]
        assert isinstance(balance, int)
        return balance


@pytest.fixture
def adyen() -> Iterator[Adyen]:
    fake, cards = demo_adyen(brand="givex")
    server = LiveServer(fake.app())
    made = Adyen(fake, server, cards)
    fake.recorder = made.seen.append
    yield made
    server.stop()
