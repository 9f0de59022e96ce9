"""api.md "Idempotency": a key is bound to the request it first answered (issue 18).

A key was scoped to the store only, so the same key sent to redeem card B answered with card
A's redemption (201, replayed) and B was never charged; a DELETE's 204 came back for a
redemption. Now the key is kept with what it was first sent to: the method, the path (which
names the card or transaction), and, for the calls that name a new card in their body (an
activation, an admin's new card), that card's code. The same key on another method, path or
card is refused with 422 `idempotency_key_reused` and nothing runs; on the same method and
path with a changed body it still replays the first answer (seed 001's rule: "whether the
body has changed or not").
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Header
from sqlalchemy.engine import Connection
from starlette.requests import Request

from posapp.contract.headers import IDEMPOTENCY_KEY
from posapp.provider import json_body
from posapp.provider.ledger import Problem, code_key

# api.md: 1 to 255 printable ASCII characters. The header's type says so in /openapi.json
# and checks it (routing.py); a money call's key is required, an admin's change's optional.
PRINTABLE_ASCII = "^[ -~]+$"
_HEADER = {
    "alias": IDEMPOTENCY_KEY,
    "min_length": 1,
    "max_length": 255,
    "pattern": PRINTABLE_ASCII,
    "description": "1 to 255 printable ASCII characters; one per request (api.md Idempotency)",
}
MoneyKey = Annotated[str, Header(**_HEADER)]
ChangeKey = Annotated[str | None, Header(**_HEADER)]

# The routes whose body names the card they make: there the card is not in the path.
NEW_CARD_ROUTES = frozenset({("POST", "/v1/gift-cards/activations"), ("POST", "/v1/gift-cards")})
CARD = " card "


def usable(key: str) -> bool:
    return 1 <= len(key) <= 255 and re.fullmatch(PRINTABLE_ASCII, key) is not None


def header_problem(errors: list[dict[str, Any]]) -> Problem | None:
    """The Idempotency-Key's own problem, whatever else is wrong with the request: api.md's
    400 `idempotency_key_required` for a money call without one; a key of the wrong shape in
    words, not as the pattern that refused it."""
    for error in errors:
        if tuple(error["loc"]) != ("header", IDEMPOTENCY_KEY):
            continue
        if error["type"] == "missing":
            return Problem(
                "idempotency_key_required", "This call moves money: send an Idempotency-Key header"
            )
        return Problem(
            "validation_error",
            "Idempotency-Key is 1 to 255 printable ASCII characters",
            [{"field": IDEMPOTENCY_KEY, "message": "1 to 255 printable ASCII characters"}],
        )
    return None


def bound_to(request: Request, code: str | None = None) -> str:
    """What a key sent with this request is bound to: "POST /v1/gifts/1/redemptions", and
    " card <code>" for a call that names a new card (`code`, as given in the body)."""
    bound = f"{request.method} {request.scope['path']}"
    return bound if code is None else f"{bound}{CARD}{code_key(code)}"


def code_in(request: Request, raw: object) -> str | None:
    """The card a request that could not be parsed names in its body, if its route is one
    that names a new card there and the code can be read; else None."""
    route = request.scope.get("route")
    if (request.method, getattr(route, "path_format", None)) not in NEW_CARD_ROUTES:
        return None
    if isinstance(raw, bytes | str):
        try:
            raw = json_body.parse(raw)
        except ValueError:  # not JSON, or JSON api.md refuses: no card to read
            return None
    code = raw.get("code") if isinstance(raw, dict) else None
    return code if isinstance(code, str) else None


def reused(stored: str | None, bound: str | None) -> Problem | None:
    """The refusal of a key first bound to another request, or None when it may replay.
    Keys kept from before the binding (stored NULL) replay as they always did."""
    if stored is None or bound is None or stored == bound:
        return None
    first = stored.split(CARD, 1)[0]
    other_card = first == bound.split(CARD, 1)[0]
    return Problem(
        "idempotency_key_reused",
        f"This Idempotency-Key was first sent with {first}"
        + (" for another card" if other_card else "")
        + ": nothing was done. Send a new key for a new request",
        [{"field": IDEMPOTENCY_KEY, "message": "already used for another request"}],
    )


def add_column(conn: Connection) -> None:
    """Schema version 3: the idempotency table keeps what each key was bound to."""
    conn.exec_driver_sql("ALTER TABLE idempotency ADD COLUMN bound_to TEXT")
