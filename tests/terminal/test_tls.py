"""TLS failures say what failed (issue 18.10), against the real provider over TLS: a throwaway
CA (trustme) signs certificates that are untrusted, for another host, expired, not valid yet,
or self-signed; each failure is said as what it is, at once, and sends nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import trustme

from posapp.adapters.api_client import ProviderClient
from posapp.adapters.provider_http import HttpSettings
from posapp.core.intent import Intent
from posapp.provider.app import create_app
from posapp.provider.demo import make_demo_store
from posapp.provider.store import Store
from posapp.terminal.ports import Unreachable
from tests.helpers import LiveServer


@dataclass
class Served:
    store: Store
    made: dict[str, Any]
    folder: Path
    ca: trustme.CA

    def serve(self, name: str, key_and_chain: trustme.Blob | bytes) -> LiveServer:
        path = self.folder / f"{name}.pem"
        path.write_bytes(
            key_and_chain if isinstance(key_and_chain, bytes) else key_and_chain.bytes()
        )
        return LiveServer(create_app(self.store), ssl_certfile=str(path))

    def ca_file(self, ca: trustme.CA | None = None) -> str:
        path = self.folder / f"ca-{id(ca or self.ca)}.pem"
        (ca or self.ca).cert_pem.write_to_path(str(path))
        return str(path)

    def transactions(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT COUNT(*) FROM transactions").scalar_one())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    store = Store(f"sqlite:///{tmp_path / 'provider.db'}")
    made = make_demo_store(store)
    yield Served(store, made, tmp_path, trustme.CA())
    store.close()


def words_for(served: Served, server: LiveServer, ca_bundle: str = "", **url: str) -> str:
    """What the client says when it asks the provider for its config: the words, and that
    it said them at once (no pause before another try: the sleep is never called)."""
    pauses: list[float] = []
    client = ProviderClient(
        url.get("url", server.url),
        served.made["terminal_token"],
        http=HttpSettings(ca_bundle=ca_bundle, sleep=pauses.append),
    )
    try:
        with pytest.raises(Unreachable) as info:
            client.config()
    finally:
        client.close()
        server.stop()
    assert pauses == []
    return str(info.value)


YEAR_2020 = datetime(2020, 1, 1, tzinfo=UTC)


def test_a_certificate_from_a_ca_the_till_does_not_know(served: Served) -> None:
    server = served.serve(
        "unknown", served.ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem
    )
    assert words_for(served, server) == (
        "The provider's certificate is not trusted: set `ca_bundle` in [provider] to the "
        "certificate of the CA that signed it (a PEM file), or give the provider a "
        "certificate from a public CA"
    )


def test_a_ca_bundle_that_holds_another_ca(served: Served) -> None:
    other = served.ca_file(trustme.CA())
    server = served.serve("other", served.ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem)
    assert words_for(served, server, other) == (
        f"The provider's certificate is not signed by the CA in ca_bundle ({other}): put the "
        "certificate of the CA that signed it in that file (PEM)"
    )


def test_a_self_signed_certificate(served: Served) -> None:
    server = served.serve("self", served.ca.private_key_pem.bytes() + served.ca.cert_pem.bytes())
    said = words_for(served, server)
    assert said.startswith(
        "The provider's certificate is self-signed and is not trusted: set `ca_bundle`"
    )


def test_a_certificate_for_another_host(served: Served) -> None:
    server = served.serve(
        "elsewhere", served.ca.issue_cert("gift.example.com").private_key_and_cert_chain_pem
    )
    assert words_for(served, server, served.ca_file()) == (
        "The provider's certificate is for another host, not 127.0.0.1: put the name the "
        "certificate gives in provider.url, or give the provider a certificate for 127.0.0.1"
    )


def test_an_expired_certificate_and_one_not_valid_yet(served: Served) -> None:
    expired = served.ca.issue_cert(
        "127.0.0.1", not_before=datetime(2019, 1, 1, tzinfo=UTC), not_after=YEAR_2020
    )
    server = served.serve("expired", expired.private_key_and_cert_chain_pem)
    assert words_for(served, server, served.ca_file()) == (
        "The provider's certificate has expired: the provider must renew it (if it was "
        "renewed, check this till's date and time)"
    )
    later = served.ca.issue_cert(
        "127.0.0.1",
        not_before=datetime(2099, 1, 1, tzinfo=UTC),
        not_after=datetime(2100, 1, 1, tzinfo=UTC),
    )
    server = served.serve("later", later.private_key_and_cert_chain_pem)
    assert words_for(served, server, served.ca_file()) == (
        "The provider's certificate is not valid yet: check this till's date and time"
    )


def test_https_to_a_provider_that_speaks_plain_http(served: Served) -> None:
    server = LiveServer(create_app(served.store))
    https = server.url.replace("http://", "https://")
    assert words_for(served, server, url=https) == (
        "The gift card provider at 127.0.0.1 does not answer in TLS (https): if it is served "
        "over plain HTTP, provider.url begins with http://"
    )


def test_a_money_call_refused_by_tls_sends_nothing_and_says_why(served: Served) -> None:
    server = served.serve("money", served.ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem)
    client = ProviderClient(
        server.url, served.made["terminal_token"], http=HttpSettings(sleep=lambda _s: None)
    )
    before = served.transactions()
    try:
        with pytest.raises(Unreachable, match="The provider's certificate is not trusted"):
            client.send(Intent("activation", code="TLS-0001", amount=500), "tls-key-1")
    finally:
        client.close()
        server.stop()
    assert served.transactions() == before


def test_posapp_check_says_what_failed(served: Served) -> None:
    server = served.serve(
        "check", served.ca.issue_cert("gift.example.com").private_key_and_cert_chain_pem
    )
    config = served.folder / "posapp.toml"
    config.write_text(
        f'[provider]\nurl = "{server.url}"\nca_bundle = "{served.ca_file()}"\n', encoding="utf-8"
    )
    env = {**os.environ, "POSAPP_PROVIDER_TOKEN": served.made["terminal_token"]}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    try:
        done = subprocess.run(
            [str(Path(sys.executable).parent / "posapp"), "--config", str(config), "check"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        server.stop()
    assert done.returncode == 1
    assert f"Provider {server.url}: The provider's certificate is for another host" in done.stdout
    assert "check the network" not in done.stdout
