"""What each endpoint of api.md does to the ledger, inside one database transaction.

Each operation checks everything before it writes, and raises Problem only before its first
write, so that Store.idempotent can store a problem answer in the same transaction.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from posapp.core.money import format_money
from posapp.provider import ledger
from posapp.provider.ledger import Problem, check_amount, code_key, code_tail, to_rfc3339
from posapp.provider.store import Principal, Record, Store, gifts, stores, transactions

log = logging.getLogger("posapp.provider.ledger")

# api.md: what a reversal undoes. A redemption or cash-out gives the value back; an
# activation or issue is voided: its value taken off and the card canceled.
VOIDABLE = frozenset({"activation", "issue"})
REVERSIBLE = frozenset({"redemption", "gift_card_cash_out"}) | VOIDABLE

NON_SALE = {
    "activation": False,
    "issue": False,
    "redemption": False,
    "reversal": False,
    "adjustment": True,
    "gift_card_cash_out": True,
}


def store_row(conn: Connection, store_id: int) -> Any:
    return conn.execute(stores.select().where(stores.c.id == store_id)).one()


def gift_json(row: Any, now: int, location_id: int, currency: str) -> dict[str, Any]:
    reason = ledger.not_redeemable_reason(row, now, location_id)
    redeemable = reason is None
    monetary = row.kind == "monetary"
    return {
        "id": str(row.id),
        "store_id": str(row.store_id),
        "code": row.code,
        "kind": row.kind,
        "currency": currency,
        "balance": row.balance,
        "starting_balance": row.starting_balance,
        "item_label": row.item_label,
        "item_quantity": row.item_quantity,
        "starting_item_quantity": row.starting_item_quantity,
        "enabled": row.enabled,
        "status": ledger.status_of(row, now),
        "is_redeemable": redeemable,
        "not_redeemable_reason": reason,
        "eligible_value": row.balance if redeemable and monetary else 0,
        "eligible_item_quantity": row.item_quantity if redeemable and not monetary else 0,
        "present_value_description": ledger.present_value(row, now, location_id, currency),
        "promotional": row.promotional,
        "allowed_location_ids": row.allowed_location_ids,
        "usable_at": to_rfc3339(row.usable_at),
        "expires_at": to_rfc3339(row.expires_at),
        "sender": row.sender,
        "recipient": row.recipient,
        "public_token": row.public_token,
        "created_at": to_rfc3339(row.created_at),
        "created_by": row.created_by,
        "updated_at": to_rfc3339(row.updated_at),
        "updated_by": row.updated_by,
    }


def transaction_json(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "type": row.type,
        "gift_id": str(row.gift_id),
        "store_id": str(row.store_id),
        "location_id": str(row.location_id),
        "amount": row.amount,
        "quantity": row.quantity,
        "currency": row.currency,
        "balance_after": row.balance_after,
        "item_quantity_after": row.item_quantity_after,
        "reference": row.reference,
        "client_reference": row.client_reference,
        "state": row.state,
        "reverses": None if row.reverses is None else str(row.reverses),
        "reversed_by": None if row.reversed_by is None else str(row.reversed_by),
        "created_at": to_rfc3339(row.created_at),
        "created_by": row.created_by,
    }


def money_answer(
    txn: Any, gift: Any, now: int, who: Principal, currency: str, reversed: Any = None
) -> dict[str, Any]:
    """api.md's answer to a money movement: the transaction, what it reversed, the gift."""
    answer = {"transaction": transaction_json(txn)}
    if reversed is not None:
        answer["reversed"] = transaction_json(reversed)
    answer["gift"] = gift_json(gift, now, who.location_id, currency)
    return answer


class Ledger:
    """The operations of api.md over one Store. Each method runs inside `conn`'s transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- helpers --------------------------------------------------------------------------

    def gift(self, conn: Connection, who: Principal, gift_id: int, *, lock: bool = False) -> Any:
        row = (
            self.store.lock_gift(conn, gift_id, who.store_id)
            if lock
            else conn.execute(
                gifts.select().where(gifts.c.id == gift_id, gifts.c.store_id == who.store_id)
            ).first()
        )
        if row is None:
            raise Problem("not_found", "No gift card with that id in this store")
        return row

    def record(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        gift: Any,
        currency: str,
        *,
        after_move_later: bool = False,
        **values: Any,
    ) -> Any:
        """The transaction's row, written later (Statements.later). `after_move_later`: the
        gift's debit was just held back by `move_later`, and the row goes only with it."""
        row = {
            "id": self.store.flakes.next(),
            "gift_id": gift.id,
            "store_id": who.store_id,
            "location_id": who.location_id,
            "amount": None,
            "quantity": None,
            "currency": currency,
            # What the moved gift holds now: the transaction says where it left the card.
            "balance_after": gift.balance,
            "item_quantity_after": gift.item_quantity,
            "reference": None,
            "client_reference": None,
            "state": "completed",
            "reverses": None,
            "reversed_by": None,
            "created_at": now,
            "created_by": who.stamp(),
            **values,
        }
        sql = self.store.sql
        sql.later(
            conn,
            sql.record_after_move if after_move_later and sql.postgres else sql.record,
            {**row, "created_by": orjson.dumps(row["created_by"]).decode()},
        )
        log.info(
            "%s %s on card %s: amount %s, quantity %s",
            row["type"],
            row["id"],
            ledger.mask(gift.code),
            row["amount"],
            row["quantity"],
        )
        return Record(row)

    def move(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        gift: Any,
        *,
        balance: int = 0,
        items: int = 0,
        enable: bool | None = None,
        guard: bool = True,
    ) -> Any:
        """Add (or, negative, take) value; the WHERE makes a debit atomic and never overdrawn."""
        statement = self.store.sql.move(bool(balance), bool(items), enable is not None, guard)
        moved = self.store.sql.gift(
            conn,
            statement,
            {
                "id": gift.id,
                "now": now,
                "by": orjson.dumps(who.stamp()).decode(),
                "balance": balance,
                "items": items,
                "enabled": enable,
            },
        )
        if moved is None:  # the row lock (or SQLite's single writer) makes this unreachable
            raise RuntimeError("conditional debit found the gift changed under its lock")
        return moved

    def move_later(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        gift: Any,
        *,
        balance: int = 0,
        items: int = 0,
    ) -> Any:
        """`move` with the guard, for a gift locked in this transaction (`gift` as locked),
        which a `record(after_move_later=True)` must follow. On PostgreSQL the UPDATE is held
        back to go with the next statement (a redemption then costs one round trip, not
        two): under the lock the moved row is known without asking. SQLite: `move`."""
        if not self.store.is_postgres:
            return self.move(conn, who, now, gift, balance=balance, items=items)
        moved = dict(gift.__dict__, updated_at=now, updated_by=who.stamp())
        if balance:
            moved["balance"] = gift.balance + balance
        if items:
            moved["item_quantity"] = gift.item_quantity + items
        if (moved["balance"] or 0) < 0 or (moved["item_quantity"] or 0) < 0:
            raise RuntimeError("a debit would overdraw the gift under its lock")
        sql = self.store.sql
        params = {
            "id": gift.id,
            "now": now,
            "by": orjson.dumps(who.stamp()).decode(),
            "balance": balance,
            "items": items,
        }
        sql.later(conn, sql.move_later(bool(balance), bool(items)), params, moves=gift.id)
        return Record(moved)

    # --- terminal -------------------------------------------------------------------------

    def validate(
        self, conn: Connection, who: Principal, now: int, code: str | None, public_token: str | None
    ) -> dict[str, Any] | None:
        sql = self.store.sql
        if code is not None:
            params = {"store_id": who.store_id, "code_key": code_key(code)}
            row = sql.gift(conn, sql.gift_by_code, params)
        else:
            params = {"store_id": who.store_id, "public_token": public_token}
            row = sql.gift(conn, sql.gift_by_token, params)
        if row is None:
            return None
        currency = self.store.currency(conn, who.store_id)
        return {"gift": gift_json(row, now, who.location_id, currency)}

    def redeem(
        self, conn: Connection, who: Principal, now: int, gift_id: int, body: Any
    ) -> tuple[int, Any]:
        gift = self.gift(conn, who, gift_id, lock=True)
        currency = self.store.currency(conn, who.store_id)
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
        left = gift.item_quantity if item else gift.balance
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
        gift = self.move_later(
            conn, who, now, gift, **({"items": -taken} if item else {"balance": -taken})
        )
        txn = self.record(
            conn,
            who,
            now,
            gift,
            currency,
            after_move_later=True,
            type="redemption",
            reference=body.reference,
            client_reference=body.client_reference,
            **({"quantity": taken} if item else {"amount": taken}),
        )
        return 201, money_answer(txn, gift, now, who, currency)

    def reverse(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        txn_id: int,
        reason: str | None,
        client_reference: str | None = None,
    ) -> tuple[int, Any]:
        query = transactions.select().where(
            transactions.c.id == txn_id, transactions.c.store_id == who.store_id
        )
        original = conn.execute(
            query.with_for_update() if self.store.is_postgres else query
        ).first()
        if original is None:
            raise Problem("not_found", "No transaction with that id in this store")
        if original.type not in REVERSIBLE:
            raise Problem("not_reversible", f"A {original.type} transaction cannot be reversed")
        if original.state == "reversed":
            raise Problem(
                "already_reversed",
                "This transaction was already reversed",
                extra={"reversed_by": str(original.reversed_by)},
            )
        gift = self.gift(conn, who, original.gift_id, lock=True)
        if gift.canceled_at is not None:
            raise Problem(
                "not_redeemable",
                "The gift card was canceled; nothing can go back to it",
                extra={"reason": "canceled"},
            )
        if original.type in VOIDABLE:
            return self._void(conn, who, now, original, gift, reason, client_reference)
        currency = original.currency
        gift = self.move(
            conn,
            who,
            now,
            gift,
            balance=original.amount or 0,
            items=original.quantity or 0,
            enable=True if original.type == "gift_card_cash_out" else None,
        )
        txn = self.record(
            conn,
            who,
            now,
            gift,
            currency,
            type="reversal",
            amount=original.amount,
            quantity=original.quantity,
            reverses=original.id,
            reference=reason,
            client_reference=client_reference,
        )
        conn.execute(
            transactions.update()
            .where(transactions.c.id == original.id)
            .values(state="reversed", reversed_by=txn.id)
        )
        reversed_row = conn.execute(
            transactions.select().where(transactions.c.id == original.id)
        ).one()
        return 201, money_answer(txn, gift, now, who, currency, reversed=reversed_row)

    def _void(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        original: Any,
        gift: Any,
        reason: str | None,
        client_reference: str | None,
    ) -> tuple[int, Any]:
        """api.md "Voiding a card sold or issued": the card's whole value taken off and the
        card canceled, only while nothing has been done with it since (a redemption or
        cash-out that was reversed leaves it as it was)."""
        t = transactions.c
        since = conn.execute(
            transactions.select().where(
                t.store_id == who.store_id, t.gift_id == gift.id, t.id != original.id
            )
        ).all()
        undone = {row.reverses for row in since if row.type == "reversal"}
        used = [row for row in since if row.type != "reversal" and row.id not in undone]
        if used or gift.balance != original.amount:
            raise Problem(
                "card_used",
                f"The card was used after it was {'sold' if original.type == 'activation' else 'issued'} "
                f"(it holds {format_money(gift.balance or 0, original.currency)} of "
                f"{format_money(original.amount or 0, original.currency)}): it cannot be voided",
                extra={"balance": gift.balance},
            )
        gift = self.move(conn, who, now, gift, balance=-(original.amount or 0))
        conn.execute(
            gifts.update()
            .where(gifts.c.id == gift.id)
            .values(canceled_at=now, updated_at=now, updated_by=who.stamp())
        )
        gift = self.gift(conn, who, gift.id)
        txn = self.record(
            conn,
            who,
            now,
            gift,
            original.currency,
            type="reversal",
            amount=original.amount,
            reverses=original.id,
            reference=reason,
            client_reference=client_reference,
        )
        conn.execute(
            transactions.update()
            .where(transactions.c.id == original.id)
            .values(state="reversed", reversed_by=txn.id)
        )
        reversed_row = conn.execute(
            transactions.select().where(transactions.c.id == original.id)
        ).one()
        return 201, money_answer(txn, gift, now, who, original.currency, reversed=reversed_row)

    def cash_out(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        gift_id: int,
        reference: str | None,
        client_reference: str | None = None,
    ) -> tuple[int, Any]:
        store = store_row(conn, who.store_id)
        if not store.cash_out_enabled:
            raise Problem("cash_out_disabled", "This store does not pay gift cards out in cash")
        gift = self.gift(conn, who, gift_id, lock=True)
        if gift.kind != "monetary":
            raise Problem(
                "not_redeemable",
                "An item gift card cannot be paid out in cash",
                extra={"reason": "item"},
            )
        ledger.redeemable_or_problem(gift, now, who.location_id)
        if store.cash_out_max is not None and gift.balance > store.cash_out_max:
            raise Problem(
                "cash_out_limit_exceeded",
                f"The balance is above the store's cash-out limit of "
                f"{format_money(store.cash_out_max, store.currency)}",
            )
        paid = gift.balance
        gift = self.move(conn, who, now, gift, balance=-paid, enable=False)
        txn = self.record(
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

    def activate(self, conn: Connection, who: Principal, now: int, body: Any) -> tuple[int, Any]:
        ledger.check_code(body.code)
        check_amount(body.amount)
        expires = ledger.from_rfc3339(body.expires_at, "expires_at") if body.expires_at else None
        ledger.check_not_expired(expires, now)
        return self._new_card(
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

    def issue(self, conn: Connection, who: Principal, now: int, body: Any) -> tuple[int, Any]:
        check_amount(body.amount)
        for _ in range(20):
            code = ledger.new_issue_code()
            if not self.code_taken(conn, who.store_id, code):
                break
        else:  # pragma: no cover - a trillion codes
            raise RuntimeError("no free 12-digit code after 20 tries")
        return self._new_card(
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

    def code_taken(self, conn: Connection, store_id: int, code: str) -> bool:
        return (
            conn.execute(
                sa.select(gifts.c.id).where(
                    gifts.c.store_id == store_id, gifts.c.code_key == code_key(code)
                )
            ).first()
            is not None
        )

    def _new_card(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        kind: str,
        code: str,
        amount: int,
        *,
        recipient: Any = None,
        expires_at: int | None = None,
        reference: str | None = None,
        client_reference: str | None = None,
    ) -> tuple[int, Any]:
        if self.code_taken(conn, who.store_id, code):
            raise Problem("code_taken", "A gift card with that code already exists in this store")
        currency = self.store.currency(conn, who.store_id)
        gift = self.insert_gift(
            conn,
            who,
            now,
            code=code,
            balance=amount,
            expires_at=expires_at,
            recipient=_plain(recipient),
        )
        txn = self.record(
            conn,
            who,
            now,
            gift,
            currency,
            type=kind,
            amount=amount,
            reference=reference,
            client_reference=client_reference,
        )
        return 201, money_answer(txn, gift, now, who, currency)

    def insert_gift(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        *,
        code: str,
        balance: int | None,
        kind: str = "monetary",
        item_label: str | None = None,
        item_quantity: int | None = None,
        enabled: bool = True,
        usable_at: int | None = None,
        expires_at: int | None = None,
        promotional: bool = False,
        allowed_location_ids: list[str] | None = None,
        sender: Any = None,
        recipient: Any = None,
        canceled_at: int | None = None,
    ) -> Any:
        values = {
            "id": self.store.flakes.next(),
            "store_id": who.store_id,
            "code": code,
            "code_key": code_key(code),
            "code_tail": code_tail(code),
            "kind": kind,
            "balance": balance if kind == "monetary" else None,
            "starting_balance": balance if kind == "monetary" else None,
            "item_label": item_label,
            "item_quantity": item_quantity,
            "starting_item_quantity": item_quantity,
            "enabled": enabled,
            "canceled_at": canceled_at,
            "promotional": promotional,
            "allowed_location_ids": allowed_location_ids,
            "usable_at": now if usable_at is None else usable_at,
            "expires_at": expires_at,
            "sender": sender,
            "recipient": recipient,
            "public_token": ledger.new_public_token(),
            "created_at": now,
            "created_by": who.stamp(),
            "updated_at": None,
            "updated_by": None,
        }
        conn.execute(gifts.insert().values(**values))
        return Record(values)

    def list_transactions(
        self, conn: Connection, who: Principal, query: Any
    ) -> list[dict[str, Any]]:
        t = transactions.c
        sel = transactions.select().where(t.store_id == who.store_id)
        # The order names the index that gives it (store_id and gift_id are fixed here), so
        # the planner reads a card's transactions by its index, not the store's.
        order = [t.store_id, t.id]
        if query.gift_id is not None:
            sel = sel.where(t.gift_id == int(query.gift_id))
            order = [t.store_id, t.gift_id, t.id]
        if query.location_id is not None:
            sel = sel.where(t.location_id == int(query.location_id))
        if query.type is not None:
            sel = sel.where(t.type == query.type)
        if query.since is not None:  # "" is not a time: refused, not ignored
            sel = sel.where(t.created_at >= ledger.from_rfc3339(query.since, "since"))
        if query.until is not None:
            sel = sel.where(t.created_at < ledger.from_rfc3339(query.until, "until"))
        if query.after is not None:
            sel = sel.where(t.id > int(query.after))
        rows = conn.execute(sel.order_by(*order).limit(query.limit)).all()
        return [transaction_json(r) for r in rows]

    def config(self, conn: Connection, who: Principal) -> dict[str, Any]:
        store = store_row(conn, who.store_id)
        return {
            "currency": store.currency,
            "store_name": store.name,
            "store_configurations": {
                "cash_out_enabled": store.cash_out_enabled,
                "cash_out_max": store.cash_out_max,
            },
        }

    def transaction_types(self, conn: Connection, who: Principal) -> list[dict[str, Any]]:
        enabled = store_row(conn, who.store_id).cash_out_enabled
        return [
            {"type": kind, "non_sale": non_sale}
            for kind, non_sale in NON_SALE.items()
            if enabled or kind != "gift_card_cash_out"
        ]


def _plain(model: Any) -> Any:
    return None if model is None else model.model_dump()
