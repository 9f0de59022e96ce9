"""What the fake Adyen says when it will not do something: ServiceErrors (HTTP 4xx/5xx), and
the request parsed by our wire models into a 422 validation error."""

from __future__ import annotations

import secrets
from typing import TypeVar

from pydantic import ValidationError

from posapp.adyen_wire.base import JsonObject, Request
from posapp.adyen_wire.checkout import service_error

R = TypeVar("R", bound=Request)


class AdyenError(Exception):
    """A ServiceError answer: HTTP status, Adyen's errorCode, message and errorType."""

    def __init__(self, status: int, code: str, message: str, kind: str = "validation") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.kind = status, code, message, kind

    def answer_body(self) -> JsonObject:
        return service_error(self.status, self.code, self.message, self.kind)


def unauthorized() -> AdyenError:
    # What Adyen answers a missing or wrong X-API-Key.
    return AdyenError(401, "000", "HTTP Status Response - Unauthorized", "security")


def wrong_merchant() -> AdyenError:
    return AdyenError(403, "901", "Invalid Merchant Account", "security")


def key_reused() -> AdyenError:
    """Adyen's docs ("API idempotency") name errorCode 704, "request already processed or in
    progress", with 422 for a key sent again before its first request is done; they name no
    other code for a key sent with another request, and the fake answers that with it too."""
    return AdyenError(422, "704", "request already processed or in progress")


def parsed(model: type[R], body: object) -> R:
    """The body as our request model, or the 422 Adyen gives a request its schema refuses."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise AdyenError(
            422, "702", f"Structure of {model.__name__} is not valid: {where}: {first['msg']}"
        ) from exc


def psp_reference() -> str:
    """Adyen's pspReference: 16 characters, unique across its platform."""
    return "".join(secrets.choice("0123456789") for _ in range(16))
