"""api.md "Reversals": a redemption or cash-out given back; a sale or issue voided."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.contract import requests
from posapp.provider.answers import Reply, money_answer
from posapp.provider.ledger import Problem
from posapp.provider.movements import Movements
from posapp.provider.rows import TransactionRow
from posapp.provider.schema import transactions
from posapp.provider.tokens import Principal
from posapp.provider.void import void

# api.md: what a reversal undoes. A redemption or cash-out gives the value back; an
# activation or issue is voided: its value taken off and the card canceled.
VOIDABLE = frozenset({"activation", "issue"})
REVERSIBLE = frozenset({"redemption", "gift_card_cash_out"}) | VOIDABLE


def reverse(
    moves: Movements,
    conn: Connection,
    who: Principal,
    now: int,
    txn_id: int,
    body: requests.ReversalBody | None,
) -> Reply:
    reason = body.reason if body else None
    client_reference = body.client_reference if body else None
    moves.refuse_canceled(conn, who, client_reference)
    query = transactions.select().where(
        transactions.c.id == txn_id, transactions.c.store_id == who.store_id
    )
    row = conn.execute(query.with_for_update() if moves.store.is_postgres else query).first()
    if row is None:
        raise Problem("not_found", "No transaction with that id in this store")
    original = TransactionRow.read(row)
    if original.type not in REVERSIBLE:
        raise Problem("not_reversible", f"A {original.type} transaction cannot be reversed")
    if original.state == "reversed":
        raise Problem(
            "already_reversed",
            "This transaction was already reversed",
            extra={"reversed_by": str(original.reversed_by)},
        )
    gift = moves.gift(conn, who, original.gift_id, lock=True)
    if gift.canceled_at is not None:
        raise Problem(
            "not_redeemable",
            "The gift card was canceled; nothing can go back to it",
            extra={"reason": "canceled"},
        )
    if not gift.enabled and original.type not in ("gift_card_cash_out", *VOIDABLE):
        # api.md "Rules": value put back on a card nobody can spend is stranded (the retrial
        # of a till, O: a redemption reversed onto a card cashed out since). A cash-out's own
        # reversal is the one that enables its card again; a void takes value off its card,
        # so a card disabled since is voided as api.md says, while it is unspent.
        raise Problem(
            "not_redeemable",
            "The gift card was disabled or cashed out since; nothing can go back to it",
            extra={"reason": "disabled"},
        )
    if original.type in VOIDABLE:
        return void(moves, conn, who, now, original, gift, reason, client_reference)
    currency = original.currency
    gift = moves.move(
        conn,
        who,
        now,
        gift,
        balance=original.amount or 0,
        items=original.quantity or 0,
        enable=True if original.type == "gift_card_cash_out" else None,
    )
    txn, reversed_row = moves.record_reversal(
        conn, who, now, gift, original, reason, client_reference, quantity=original.quantity
    )
    return 201, money_answer(txn, gift, now, who, currency, reversed=reversed_row)
