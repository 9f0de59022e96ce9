"""api.md "Cash-out": a card's whole balance paid in cash, where the store allows it or a
law requires it."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.contract import requests
from posapp.core.money import format_money
from posapp.provider import ledger
from posapp.provider.answers import Reply, money_answer
from posapp.provider.ledger import Problem
from posapp.provider.movements import Movements
from posapp.provider.queries import store_row
from posapp.provider.tokens import Principal


def cash_out(
    moves: Movements,
    conn: Connection,
    who: Principal,
    now: int,
    gift_id: int,
    body: requests.CashOutBody | None,
) -> Reply:
    reference = body.reference if body else None
    client_reference = body.client_reference if body else None
    moves.refuse_canceled(conn, who, client_reference)
    store = store_row(conn, who.store_id)
    # A law that requires the cash-out (the till names it, api.md "Cash-out") comes before
    # the store's own switch and limit: the store must pay, whatever it chose.
    required = body is not None and body.required_by is not None
    if not store.cash_out_enabled and not required:
        raise Problem("cash_out_disabled", "This store does not pay gift cards out in cash")
    gift = moves.gift(conn, who, gift_id, lock=True)
    if gift.kind != "monetary":
        raise Problem(
            "not_redeemable",
            "An item gift card cannot be paid out in cash",
            extra={"reason": "item"},
        )
    ledger.redeemable_or_problem(gift, now, who.location_id)
    paid = gift.balance or 0  # a monetary gift's balance is never NULL
    if store.cash_out_max is not None and paid > store.cash_out_max and not required:
        raise Problem(
            "cash_out_limit_exceeded",
            f"The balance is above the store's cash-out limit of "
            f"{format_money(store.cash_out_max, store.currency)}",
        )
    gift = moves.move(conn, who, now, gift, balance=-paid, enable=False)
    txn = moves.record(
        conn,
        who,
        now,
        gift,
        store.currency,
        type="gift_card_cash_out",
        amount=paid,
        reference=reference,
        client_reference=client_reference,
    )
    return 201, money_answer(txn, gift, now, who, store.currency)
