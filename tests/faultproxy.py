"""A small TCP proxy on loopback between the terminal and the provider, that can misbehave.

Modes, applied to the next connections:
- "pass": forward both ways.
- "delay": hold each request for `delay` seconds before forwarding it.
- "reset_before": read the request, then reset the connection without forwarding it (the
  provider never sees it; the terminal cannot know that).
- "drop_answer": forward the request, read the provider's whole answer (so the provider has
  committed), then reset the terminal's connection without sending it.
- "hold": keep the request until `release()`.
- "substitute": forward the request, read the provider's whole answer (it has committed),
  then send `answer` (raw HTTP bytes: what a proxy or load balancer says) in its place.
- "trickle": forward the request, then send the provider's answer one byte every `delay`
  seconds (a slow-loris answer), head included.
- "rewrite": forward the request, read the provider's whole answer (it has committed), then
  send it with its body rewritten by `rewrite` (bytes in, bytes out; Content-Length made
  right): a provider, or something in front of it, that lies.
- "chaos" (set with `chaos()`): each request draws one of delay, reset_before, drop_answer,
  lie or pass, at the given rates (benchmarks/chaos.py); `drawn` counts each. "lie": the
  request is forwarded and its whole answer read (the provider has committed), then `liar`
  (request and answer in, the answer to send instead out, or None to send it as it came)
  says what the terminal gets.

A provider that is down (or killed) when a request arrives gets the terminal's connection
reset, as a load balancer with no backend would. `refuse()` stops listening (the connection
is refused: nothing sent), `listen()` listens again on the same port.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any


def _reset(sock: socket.socket) -> None:
    # SO_LINGER 0: close sends RST, as a dropped link or a crashed middlebox would.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _read_http_message(sock: socket.socket) -> bytes:
    """One HTTP/1.1 message with a Content-Length body (all the provider and httpx send)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def rewritten(message: bytes, rewrite: Callable[[bytes], bytes]) -> bytes:
    """An HTTP message with its body rewritten, and its Content-Length said again."""
    head, _, body = message.partition(b"\r\n\r\n")
    body = rewrite(body)
    lines = [
        line for line in head.split(b"\r\n") if not line.lower().startswith(b"content-length:")
    ]
    lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class FaultProxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.mode = "pass"
        self.delay = 0.0
        self.answer = b""
        self.rates: dict[str, float] = {}
        self.rng = random.Random(0)
        self.faults_left = 0  # how many requests misbehave before passing again (0: all)
        self.seen = 0
        self.requests: list[bytes] = []  # each request's line, in the order they came
        # (request line, the provider's status line) of each request forwarded, as answered:
        # a held request released after its client gave up is seen arriving here.
        self.answered: list[tuple[bytes, bytes]] = []
        self.only: tuple[bytes, ...] = (b"",)
        self.rewrite: Callable[[bytes], bytes] = lambda body: body
        self.liar: Callable[[bytes, bytes], bytes | None] = lambda _request, _answer: None
        self.drawn: Counter[str] = Counter()  # chaos: how many requests drew each fault
        self._released = threading.Event()
        self._lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = int(self.listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._open: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def set(
        self,
        mode: str,
        *,
        times: int = 0,
        delay: float = 0.0,
        answer: bytes = b"",
        only: bytes | tuple[bytes, ...] = b"",
        rewrite: Callable[[bytes], bytes] | None = None,
    ) -> None:
        """Misbehave as `mode` from now on; with `only`, just for requests whose request
        line holds it (b"/redemptions"), or one of them, so that a till's other calls (its
        status watch, a card read again) pass and cannot be caught instead."""
        with self._lock:
            self.mode, self.faults_left, self.delay, self.answer = mode, times, delay, answer
            self.only = only if isinstance(only, tuple) else (only,)
            if rewrite is not None:
                self.rewrite = rewrite
            self._released.clear()

    def chaos(
        self,
        rng: random.Random,
        *,
        delay_s: float = 0.3,
        liar: Callable[[bytes, bytes], bytes | None] | None = None,
        **rates: float,
    ) -> None:
        """From now on each request is delayed, reset, has its answer dropped or told by
        `liar` at `rates` (e.g. delay=0.10, reset_before=0.06, drop_answer=0.06, lie=0.03);
        the rest pass."""
        with self._lock:
            self.mode, self.rng, self.rates, self.delay = "chaos", rng, rates, delay_s
            if liar is not None:
                self.liar = liar

    def release(self) -> None:
        self._released.set()

    def refuse(self) -> None:
        """A provider that is down, as the till sees it: no one listens on the port any
        more (the connection is refused, nothing is sent) and the connections open now are
        reset. `listen()` takes connections again on the same port (issue 24)."""
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self._open:
            with contextlib.suppress(OSError):
                _reset(sock)
        self._open = []

    def listen(self) -> None:
        """The provider answers again: the same port takes connections (after `refuse`)."""
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self._released.set()
        # close() alone does not wake a thread blocked in accept() on Linux: each proxy
        # left one behind (about 100 a full run); shutdown() does.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self._open:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self._open.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _fault(self, request: bytes) -> str:
        with self._lock:
            self.seen += 1
            line = request.split(b"\r\n", 1)[0]
            self.requests.append(line)
            if self.mode == "pass" or not any(part in line for part in self.only):
                return "pass"
            mode = self.mode
            if mode == "chaos":
                draw = self.rng.random()
                for fault, rate in self.rates.items():
                    if draw < rate:
                        self.drawn[fault] += 1
                        return fault
                    draw -= rate
                self.drawn["pass"] += 1
                return "pass"
            if self.faults_left:
                self.faults_left -= 1
                if self.faults_left == 0:
                    self.mode = "pass"
            return mode

    def _serve(self, client: socket.socket) -> None:
        upstream: Any = None
        try:
            while True:
                request = _read_http_message(client)
                if not request:
                    return
                mode = self._fault(request)
                if mode == "reset_before":
                    _reset(client)
                    return
                if mode == "delay":
                    threading.Event().wait(self.delay)
                if mode == "hold":
                    self._released.wait()
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.target_port))
                    self._open.append(upstream)
                upstream.sendall(request)
                answer = _read_http_message(upstream)
                with self._lock:
                    line, status = request.split(b"\r\n", 1)[0], answer.split(b"\r\n", 1)[0]
                    self.answered.append((line, status))
                if mode == "drop_answer" or not answer:
                    _reset(client)
                    return
                if mode == "substitute":
                    client.sendall(self.answer)
                    continue
                if mode == "rewrite":
                    client.sendall(rewritten(answer, self.rewrite))
                    continue
                if mode == "lie":
                    told = self.liar(request, answer)
                    client.sendall(answer if told is None else told)
                    continue
                if mode == "trickle":
                    for i in range(len(answer)):
                        client.sendall(answer[i : i + 1])
                        threading.Event().wait(self.delay)
                    continue
                client.sendall(answer)
        except OSError:  # the provider is down, or either side hung up
            with contextlib.suppress(OSError):
                _reset(client)
            return
        finally:
            if upstream is not None:
                upstream.close()
