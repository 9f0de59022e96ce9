"""Which failures are "never sent" (ports.NotSent, issue 24: the only ones a redemption may be
taken offline on): a refused connection and a name not found are; a provider that took the
request and did not answer in time is not, for a read nor for a money call."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest

from posapp.adapters.api_client import ProviderClient
from posapp.adapters.provider_http import HttpSettings
from posapp.core import intent as intents
from posapp.terminal.ports import NotSent, OutcomeUnknown, Unreachable
from tests.helpers import free_port

QUICK = HttpSettings(timeout_s=1.0, backoff=(0.01, 0.02))


def calls(client: ProviderClient) -> dict[str, Callable[[], object]]:
    wanted = intents.redeem("g1", amount=100).referenced("k1")
    return {
        "read": lambda: client.validate(code="500000000000001"),
        "money": lambda: client.send(wanted, "k1"),
    }


@pytest.fixture
def silent() -> Iterator[str]:
    """A port that takes the connection and the request, and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


@pytest.mark.parametrize("call", ["read", "money"])
def test_a_refused_connection_is_never_sent(call: str) -> None:
    client = ProviderClient(f"http://127.0.0.1:{free_port()}", "t", http=QUICK)
    with pytest.raises(NotSent):
        calls(client)[call]()
    client.close()


@pytest.mark.parametrize("call", ["read", "money"])
def test_a_name_not_found_is_never_sent(call: str) -> None:
    client = ProviderClient("http://posapp-offline-test.invalid", "t", http=QUICK)
    with pytest.raises(NotSent):
        calls(client)[call]()
    client.close()


def test_no_answer_in_time_after_sending_is_not_never_sent(silent: str) -> None:
    client = ProviderClient(silent, "t", http=QUICK)
    with pytest.raises(Unreachable) as read:
        calls(client)["read"]()
    assert not isinstance(read.value, NotSent)
    with pytest.raises(OutcomeUnknown):
        calls(client)["money"]()
    client.close()
