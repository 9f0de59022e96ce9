"""A gift's value moved and the transaction that says so: the steps every money call of
api.md takes, inside the caller's database transaction."""

from __future__ import annotations

import logging
from dataclasses import fields, replace

import orjson
from sqlalchemy.engine import Connection

from posapp.core.json_value import JsonValue
from posapp.core.serial_number import mask
from posapp.provider import ledger
from posapp.provider.canceled import canceled_at, canceled_problem
from posapp.provider.ledger import Problem, code_key, code_tail
from posapp.provider.rows import GiftRow, TransactionRow
from posapp.provider.schema import gifts, transactions
from posapp.provider.store import Store
from posapp.provider.tokens import Principal

log = logging.getLogger("posapp.provider.ledger")
_TRANSACTION_COLUMNS = tuple(f.name for f in fields(TransactionRow))
_GIFT_COLUMNS = tuple(f.name for f in fields(GiftRow))


class Movements:
    """The gift looked up (locked), its value moved, the transaction recorded, over one Store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def refuse_canceled(
        self, conn: Connection, who: Principal, client_reference: str | None
    ) -> None:
        """Every money call's first step, before it moves anything: Problem when its
        reference was canceled (fence.py: the till canceled it before it arrived)."""
        if client_reference is not None and canceled_at(conn, who.store_id, client_reference):
            raise canceled_problem()

    def gift(
        self, conn: Connection, who: Principal, gift_id: int, *, lock: bool = False
    ) -> GiftRow:
        row = (
            self.store.lock_gift(conn, gift_id, who.store_id)
            if lock
            else GiftRow.from_db(
                conn.execute(
                    gifts.select().where(gifts.c.id == gift_id, gifts.c.store_id == who.store_id)
                ).first()
            )
        )
        if row is None:
            raise Problem("not_found", "No gift card with that id in this store")
        return row

    def record(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        gift: GiftRow,
        currency: str,
        *,
        type: str,
        amount: int | None = None,
        quantity: int | None = None,
        reference: str | None = None,
        client_reference: str | None = None,
        reverses: int | None = None,
        after_move_later: bool = False,
    ) -> TransactionRow:
        """The transaction's row, written later (Statements.later). `after_move_later`: the
        gift's debit was just held back by `move(later=True)`, and the row goes only with it."""
        txn = TransactionRow(
            id=self.store.flakes.next(),
            type=type,
            gift_id=gift.id,
            store_id=who.store_id,
            location_id=who.location_id,
            amount=amount,
            quantity=quantity,
            currency=currency,
            # What the moved gift holds now: the transaction says where it left the card.
            balance_after=gift.balance,
            item_quantity_after=gift.item_quantity,
            reference=reference,
            client_reference=client_reference,
            state="completed",
            reverses=reverses,
            reversed_by=None,
            created_at=now,
            created_by=who.stamp(),
        )
        params = {name: getattr(txn, name) for name in _TRANSACTION_COLUMNS}
        params["created_by"] = orjson.dumps(txn.created_by).decode()
        sql = self.store.sql
        sql.later(
            conn, sql.record_after_move if after_move_later and sql.postgres else sql.record, params
        )
        log.info(
            "%s %s on card %s: amount %s, quantity %s",
            type,
            txn.id,
            mask(gift.code, "*"),
            amount,
            quantity,
        )
        return txn

    def record_reversal(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        gift: GiftRow,
        original: TransactionRow,
        reason: str | None,
        client_reference: str | None,
        *,
        quantity: int | None = None,
    ) -> tuple[TransactionRow, TransactionRow]:
        """api.md "Reversals": the reversal's transaction recorded, and `original` marked
        reversed by it; both rows as they are now (the original was read under its lock)."""
        txn = self.record(
            conn,
            who,
            now,
            gift,
            original.currency,
            type="reversal",
            amount=original.amount,
            quantity=quantity,
            reverses=original.id,
            reference=reason,
            client_reference=client_reference,
        )
        conn.execute(
            transactions.update()
            .where(transactions.c.id == original.id)
            .values(state="reversed", reversed_by=txn.id)
        )
        return txn, replace(original, state="reversed", reversed_by=txn.id)

    def move(
        self,
        conn: Connection,
        who: Principal,
        now: int,
        gift: GiftRow,
        *,
        balance: int = 0,
        items: int = 0,
        enable: bool | None = None,
        guard: bool = True,
        later: bool = False,
    ) -> GiftRow:
        """Add (or, negative, take) value; the WHERE makes a debit atomic and never overdrawn.

        `later`: with the guard, for a gift locked in this transaction (`gift` as locked),
        which a `record(after_move_later=True)` must follow. On PostgreSQL the UPDATE is held
        back to go with the next statement (a redemption then costs one round trip, not
        two): under the lock the moved row is known without asking. SQLite: as without."""
        sql = self.store.sql
        params: dict[str, object] = {
            "id": gift.id,
            "now": now,
            "by": orjson.dumps(who.stamp()).decode(),
            "balance": balance,
            "items": items,
        }
        if later and self.store.is_postgres:
            moved = replace(
                gift,
                balance=(gift.balance or 0) + balance if balance else gift.balance,
                item_quantity=(gift.item_quantity or 0) + items if items else gift.item_quantity,
                updated_at=now,
                updated_by=who.stamp(),
            )
            if (moved.balance or 0) < 0 or (moved.item_quantity or 0) < 0:
                raise RuntimeError("a debit would overdraw the gift under its lock")
            sql.later(conn, sql.move_later(bool(balance), bool(items)), params, moves=gift.id)
            return moved
        params["enabled"] = enable
        found = sql.gift(
            conn, sql.move(bool(balance), bool(items), enable is not None, guard), params
        )
        if found is None:  # the row lock (or SQLite's single writer) makes this unreachable
            raise RuntimeError("conditional debit found the gift changed under its lock")
        return found

    # --- terminal -------------------------------------------------------------------------

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
        sender: JsonValue = None,
        recipient: JsonValue = None,
        canceled_at: int | None = None,
    ) -> GiftRow:
        row = GiftRow(
            id=self.store.flakes.next(),
            store_id=who.store_id,
            code=code,
            code_key=code_key(code),
            code_tail=code_tail(code),
            kind=kind,
            balance=balance if kind == "monetary" else None,
            starting_balance=balance if kind == "monetary" else None,
            item_label=item_label,
            item_quantity=item_quantity,
            starting_item_quantity=item_quantity,
            enabled=enabled,
            canceled_at=canceled_at,
            promotional=promotional,
            allowed_location_ids=allowed_location_ids,
            usable_at=now if usable_at is None else usable_at,
            expires_at=expires_at,
            sender=sender,
            recipient=recipient,
            public_token=ledger.new_public_token(),
            created_at=now,
            created_by=who.stamp(),
            updated_at=None,
            updated_by=None,
        )
        conn.execute(gifts.insert().values({name: getattr(row, name) for name in _GIFT_COLUMNS}))
        return row
