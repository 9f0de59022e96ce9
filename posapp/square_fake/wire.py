"""What the fake Square speaks: its JSON objects, its errors (`errors: [{category, code,
detail, field}]`) and its times (RFC 3339)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.responses import JSONResponse

# A JSON object as Square sends and the fake keeps it (a card, an activity, a body).
JsonObject = dict[str, Any]


class SquareError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        category: str = "INVALID_REQUEST_ERROR",
        **extra: str,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.category = status, code, detail, category
        self.extra = extra

    def answer(self) -> JSONResponse:
        error = {"category": self.category, "code": self.code, "detail": self.detail, **self.extra}
        return JSONResponse({"errors": [error]}, self.status)


def time_of(text: str | None, default: datetime = datetime.min) -> datetime:
    if text is None:
        return default.replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SquareError(400, "INVALID_TIME", f"{text!r} is not an RFC 3339 time") from exc


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
