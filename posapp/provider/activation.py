"""api.md "Activations": a card sold at the counter, with its code and amount."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.contract import requests
from posapp.provider import ledger
from posapp.provider.answers import Reply
from posapp.provider.ledger import check_amount
from posapp.provider.movements import Movements
from posapp.provider.new_cards import new_card
from posapp.provider.tokens import Principal


def activate(
    moves: Movements, conn: Connection, who: Principal, now: int, body: requests.ActivationBody
) -> Reply:
    moves.refuse_canceled(conn, who, body.client_reference)
    ledger.check_code(body.code)
    check_amount(body.amount)
    expires = ledger.from_rfc3339(body.expires_at, "expires_at") if body.expires_at else None
    ledger.check_not_expired(expires, now)
    return new_card(
        moves,
        conn,
        who,
        now,
        "activation",
        body.code,
        body.amount,
        recipient=body.recipient,
        expires_at=expires,
        reference=body.reference,
        client_reference=body.client_reference,
    )
