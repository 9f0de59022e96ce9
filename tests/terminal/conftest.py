from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from posapp.app import Engine, build_engine
from posapp.config import Config
from posapp.provider.app import create_app
from posapp.provider.demo import make_demo_store
from posapp.provider.store import Store
from tests.faultproxy import FaultProxy
from tests.helpers import LiveServer


@dataclass
class Provider:
    store: Store
    server: LiveServer
    made: dict[str, Any]
    proxy: FaultProxy

    def code(self, shows: str) -> str:
        return next(c["code"] for c in self.made["cards"] if c["shows"] == shows)


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[Provider]:
    """The real reference provider over loopback HTTP, with the demo store, behind a proxy
    that can be told to misbehave."""
    store = Store(f"sqlite:///{tmp_path / 'provider.db'}", pool_size=5)
    made = make_demo_store(store)
    server = LiveServer(create_app(store))
    proxy = FaultProxy(server.port)
    yield Provider(store, server, made, proxy)
    proxy.close()
    server.stop()
    store.close()


def terminal_config(url: str, **provider: Any) -> Config:
    config = Config()
    return replace(
        config, provider=replace(config.provider, url=url, **{"timeout_s": 2.0, **provider})
    )


@pytest.fixture
def engine(provider: Provider, tmp_path: Path) -> Iterator[Engine]:
    made = build_engine(
        terminal_config(provider.proxy.url),
        token=provider.made["terminal_token"],
        journal=tmp_path / "journal.db",
        start_settler=False,
    )
    made.client.backoff = (0.01, 0.02, 0.05)
    made.settler.backoff = (0.05, 0.1)
    yield made
    made.close()
