"""The one composition root: real adapters in, the terminal's engine (and, later, the window) out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from posapp.adapters.api_client import ProviderClient
from posapp.adapters.journal import Journal
from posapp.adapters.secrets import ManagerPin, token_for
from posapp.config import Config
from posapp.terminal.service import Terminal
from posapp.terminal.settle import Settler


def journal_path(config: Config) -> Path:
    if config.journal.path:
        return Path(config.journal.path).expanduser()
    from platformdirs import user_data_path

    return user_data_path("posapp") / "journal.db"


@dataclass
class Engine:
    """Everything the terminal does, without its window."""

    config: Config
    client: ProviderClient
    journal: Journal
    terminal: Terminal
    settler: Settler
    pin: ManagerPin

    def close(self) -> None:
        self.settler.stop()
        self.client.close()
        self.journal.close()


def build_engine(
    config: Config,
    *,
    token: str | None = None,
    transport: httpx.BaseTransport | None = None,
    journal: Path | None = None,
    cashier: str = "Cashier",
    start_settler: bool = True,
) -> Engine:
    client = ProviderClient(
        config.provider.url,
        token if token is not None else token_for(config.provider.url),
        timeout_s=config.provider.timeout_s,
        ca_bundle=config.provider.ca_bundle,
        transport=transport,
        locale=config.store.locale,
    )
    book = Journal(journal or journal_path(config))
    settler = Settler(book, client)
    terminal = Terminal(config, client, book, cashier=cashier, on_unknown=settler.wake)
    engine = Engine(
        config, client, book, terminal, settler, ManagerPin(config.manager.pin_hash, book)
    )
    if start_settler:
        settler.start()
    return engine
