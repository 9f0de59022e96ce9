"""api.md "Errors": a body over the provider's limit is refused with 413 `payload_too_large`
before it is read whole (issue 13: a 200 MB POST raised the provider from 73 to 673 MB).

A pure ASGI wrapper: a declared Content-Length over the limit is answered at once, unread;
a body without one (chunked) is counted as it arrives and refused once past the limit, the
rest never read (uvicorn stops reading a socket whose body nobody asks for). Whatever the app
was answering to the broken read is replaced by the 413.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from posapp.contract.problems import MEDIA_TYPE as PROBLEM
from posapp.provider.answers import dumps
from posapp.provider.ledger import Problem

DEFAULT_MAX_BODY_BYTES = 64 * 1024


class _TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        over = started = False

        async def counted() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    raise _TooLarge
            return message

        async def answering(message: Message) -> None:
            nonlocal started
            if over:  # the app's answer to a read we broke off: the 413 goes instead
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, answering)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        problem = Problem(
            "payload_too_large",
            f"The body is larger than this provider takes ({self.max_bytes // 1024} KB)",
        )
        body = dumps(problem.body())
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),  # the rest of the body is never read
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
