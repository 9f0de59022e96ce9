"""One HTTP exchange bounded in time and in size, for any provider adapter (issue 13).

httpx's timeouts bound each socket operation, not the exchange: an answer trickled a byte
every half second never times out (a validate stayed blocked 49 s), and an answer is read
whole before anyone looks at its size (a 100 MB validate answer cost the terminal 385 MB).
Here:

- every socket wait (connect, TLS, send, each read of the head and of the body) is cut to
  what is left of one deadline for the exchange, so a trickle ends at the deadline as
  httpx's own ConnectTimeout (nothing was sent) or WriteTimeout/ReadTimeout (it may have been);
- an answer that declares a Content-Length above the limit is refused before its body is
  read, and a body without one is counted as it streams and refused once past the limit.

It knows nothing of any provider's paths or error shapes: that is the adapters' business.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

# The monotonic time the exchange running on this thread must end by. A ContextVar, not an
# attribute of the client: the cashier's worker and the settler share one client.
_until: ContextVar[float | None] = ContextVar("posapp_http_until", default=None)


class AnswerRefused(Exception):
    """The answer was not read: larger than the limit, or encoded in a way not asked for."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: httpx.Headers
    content: bytes
    method: str
    path: str

    @property
    def media_type(self) -> str:
        kind: str = self.headers.get("content-type", "")
        return kind.split(";", 1)[0].strip().lower()


def _left(timeout: float | None, late: type[Exception]) -> float | None:
    """The socket timeout cut to what is left of the deadline; `late` once it has passed."""
    until = _until.get()
    if until is None:
        return timeout
    left = until - time.monotonic()
    if left <= 0:
        raise late("the call's deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self.inner.start_tls(ssl_context, server_hostname, wait))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        wait = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self.inner.connect_tcp(host, port, wait, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        wait = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self.inner.connect_unix_socket(path, wait, socket_options))

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def transport(verify: ssl.SSLContext | bool = True) -> httpx.HTTPTransport:
    """httpx's transport, its sockets held to the deadline of the exchange in progress.

    httpx takes no network backend, so its pool is replaced by httpcore's own with ours
    (the trickle tests in tests/terminal/test_faults.py fail if httpx stops using `_pool`)."""
    made = httpx.HTTPTransport(verify=verify)
    made._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(verify=verify),
        max_connections=20,
        max_keepalive_connections=10,
        keepalive_expiry=5.0,
        network_backend=_Backend(),
    )
    return made


def exchange(
    client: httpx.Client, method: str, url: str, *, until: float, limit: int, **kwargs: Any
) -> Answer:
    """Send one request and read its answer, by `until` (time.monotonic()) and within
    `limit` bytes of body. Raises httpx's errors (timeouts included) or AnswerRefused."""
    token = _until.set(until)
    try:
        with client.stream(method, url, **kwargs) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise AnswerRefused(f"an answer of {declared} bytes; the limit is {limit}")
            encoding = response.headers.get("content-encoding", "identity").lower()
            if encoding != "identity":  # asked for identity: a compressed body could expand
                raise AnswerRefused(f"an answer encoded {encoding!r}, not asked for")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > limit:
                    raise AnswerRefused(f"an answer over {limit} bytes")
                if time.monotonic() > until:  # transports without sockets (tests' ASGI)
                    raise httpx.ReadTimeout("the call's deadline passed", request=response.request)
                chunks.append(chunk)
            return Answer(
                response.status_code,
                response.headers,
                b"".join(chunks),
                response.request.method,
                response.request.url.path,
            )
    finally:
        _until.reset(token)
