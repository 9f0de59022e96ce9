"""api.md "Issues": a card the provider makes a code for (a refund to a card)."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.contract import requests
from posapp.provider import ledger
from posapp.provider.answers import Reply
from posapp.provider.ledger import check_amount
from posapp.provider.movements import Movements
from posapp.provider.new_cards import code_taken, new_card
from posapp.provider.tokens import Principal


def issue(
    moves: Movements, conn: Connection, who: Principal, now: int, body: requests.IssueBody
) -> Reply:
    moves.refuse_canceled(conn, who, body.client_reference)
    check_amount(body.amount)
    for _ in range(20):
        code = ledger.new_issue_code()
        if not code_taken(conn, who.store_id, code):
            break
    else:  # pragma: no cover - a trillion codes
        raise RuntimeError("no free 12-digit code after 20 tries")
    return new_card(
        moves,
        conn,
        who,
        now,
        "issue",
        code,
        body.amount,
        recipient=body.recipient,
        reference=body.reference,
        client_reference=body.client_reference,
    )
