"""api.md "Redemptions": value or items taken off a card, never overdrawn."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.contract import requests
from posapp.core.money import format_money
from posapp.provider import ledger
from posapp.provider.answers import Reply, money_answer
from posapp.provider.ledger import Problem, check_amount
from posapp.provider.movements import Movements
from posapp.provider.tokens import Principal


def redeem(
    moves: Movements,
    conn: Connection,
    who: Principal,
    now: int,
    gift_id: int,
    body: requests.RedeemBody,
) -> Reply:
    moves.refuse_canceled(conn, who, body.client_reference)
    gift = moves.gift(conn, who, gift_id, lock=True)
    currency = moves.store.currency(conn, who.store_id)
    item = gift.kind == "item"
    asked, wrong = (body.quantity, body.amount) if item else (body.amount, body.quantity)
    name = "quantity" if item else "amount"
    if wrong is not None or asked is None:
        raise Problem(
            "invalid_amount",
            f"A {gift.kind} gift card is redeemed by {name}",
            [{"field": name, "message": "required for this kind of gift card"}],
        )
    check_amount(asked, name)
    ledger.redeemable_or_problem(gift, now, who.location_id)
    left = (gift.item_quantity if item else gift.balance) or 0  # the kind's is never NULL
    if asked > left and not body.allow_partial:
        shown = f"{left} x {gift.item_label}" if item else format_money(left, currency)
        raise Problem(
            "insufficient_balance",
            f"Only {shown} left on this gift card",
            extra={
                "eligible_value": 0 if item else left,
                "eligible_item_quantity": left if item else 0,
            },
        )
    taken = min(asked, left)
    gift = moves.move(
        conn, who, now, gift, later=True, balance=0 if item else -taken, items=-taken if item else 0
    )
    txn = moves.record(
        conn,
        who,
        now,
        gift,
        currency,
        after_move_later=True,
        type="redemption",
        reference=body.reference,
        client_reference=body.client_reference,
        quantity=taken if item else None,
        amount=None if item else taken,
    )
    return 201, money_answer(txn, gift, now, who, currency)
