"""Answers over the size limit are refused without being read whole (issue 13: a 100 MB
validate answer cost the terminal 385 MB); a money call so answered is left unknown."""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from posapp.adapters.api_client import ProviderClient
from posapp.adapters.provider_http import HttpSettings
from posapp.core import intent
from posapp.terminal.ports import BadAnswer, OutcomeUnknown
from tests.helpers import LiveServer

LIMIT = 64 * 1024
HUGE = 100 * 1024 * 1024


def health(size: int) -> bytes:
    """A good /healthz answer of `size` bytes: only its size can make it refused."""
    return b'{"status": "ok"' + b" " * (size - 16) + b"}"


class Server:
    """Answers with `kind`: a big body with its Content-Length, a big chunked body, or a
    small gzip body that expands. Each
    is a good /healthz answer."""

    def __init__(self) -> None:
        self.kind = "sized"

        async def anything(_request: Request) -> Response:
            if self.kind == "sized":
                return Response(health(LIMIT * 4), 200, media_type="application/json")
            if self.kind == "gzip":
                body = gzip.compress(health(LIMIT * 4))
                return Response(
                    body, 201, media_type="application/json", headers={"Content-Encoding": "gzip"}
                )

            async def chunks() -> Iterator[bytes]:  # type: ignore[misc]
                yield b'{"status": "ok"'
                block = b" " * 65536
                for _ in range(HUGE // len(block)):
                    yield block
                yield b"}"

            return StreamingResponse(chunks(), 201, media_type="application/json")

        self.live = LiveServer(
            Starlette(routes=[Route("/{p:path}", anything, methods=["GET", "POST"])])
        )


@pytest.fixture
def server() -> Iterator[Server]:
    made = Server()
    yield made
    made.live.stop()


def client_for(server: Server) -> ProviderClient:
    return ProviderClient(
        server.live.url,
        "t",
        http=HttpSettings(timeout_s=5, max_answer_bytes=LIMIT, backoff=(0.01,)),
    )


@pytest.mark.parametrize("kind", ["sized", "chunked", "gzip"])
def test_an_answer_over_the_limit_is_refused_for_a_read_and_unknown_for_a_money_call(
    server: Server, kind: str
) -> None:
    server.kind = kind
    client = client_for(server)
    with pytest.raises(BadAnswer, match="cannot read"):
        client.health()
    with pytest.raises(OutcomeUnknown):
        client.send(intent.redeem("1", amount=100), "key-1")
    client.close()


def test_a_chunked_answer_of_100_mb_is_not_read_whole(server: Server) -> None:
    server.kind = "chunked"
    client = client_for(server)
    tracemalloc.start()
    try:
        with pytest.raises(BadAnswer):
            client.health()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    client.close()
    # The limit and a few socket reads (the server in this process counts too), not 100 MB.
    assert peak < 4 * 1024 * 1024, peak


def test_an_answer_within_the_limit_is_read(server: Server) -> None:
    server.kind = "sized"
    client = ProviderClient(
        server.live.url,
        "t",
        http=HttpSettings(timeout_s=5, max_answer_bytes=LIMIT * 4, backoff=(0.01,)),
    )
    assert client.health() >= 0
    client.close()
