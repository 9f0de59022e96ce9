"""The admin side of api.md: gift card CRUD and the store's gift card config."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.contract import requests
from posapp.core.json_value import JsonOut, JsonOutObject
from posapp.core.money import MAX_AMOUNT
from posapp.provider.answers import Reply, gift_json
from posapp.provider.ledger import (
    TAIL,
    Problem,
    check_amount,
    check_code,
    check_validity,
    code_key,
    code_tail,
    from_rfc3339,
)
from posapp.provider.operations import Ledger
from posapp.provider.rows import GiftRow
from posapp.provider.schema import gifts, stores
from posapp.provider.tokens import Principal


def _time(value: str | None, name: str) -> int | None:
    return None if value is None else from_rfc3339(value, name)


def _balance(value: int | None, name: str = "balance") -> int:
    """An admin may set a balance of zero; an operation never moves zero."""
    if value is None or value < 0 or value > MAX_AMOUNT:
        raise Problem(
            "invalid_amount",
            f"{name} must be from 0 to {MAX_AMOUNT} minor units",
            [{"field": name, "message": f"from 0 to {MAX_AMOUNT}"}],
        )
    return value


class Cards:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def _currency(self, conn: Connection, who: Principal) -> str:
        return self.ledger.store.currency(conn, who.store_id)

    def create(
        self, conn: Connection, who: Principal, now: int, body: requests.GiftCreate
    ) -> Reply:
        check_code(body.code)
        if body.kind == "item":
            if body.balance not in (None, 0):
                raise Problem(
                    "invalid_amount",
                    "An item gift card has no money balance",
                    [{"field": "balance", "message": "0 or left out for item gifts"}],
                )
            if not body.item_label or body.item_quantity is None:
                raise Problem(
                    "validation_error",
                    "An item gift card needs item_label and item_quantity",
                    [{"field": "item_label", "message": "required for item gifts"}],
                )
            check_amount(body.item_quantity, "item_quantity")
            balance = None
        else:
            if body.item_label is not None or body.item_quantity is not None:
                raise Problem(
                    "validation_error",
                    "item_label and item_quantity are for item gifts",
                    [{"field": "kind", "message": "set kind to item"}],
                )
            balance = _balance(body.balance)
        usable_at, expires_at = (
            _time(body.usable_at, "usable_at"),
            _time(body.expires_at, "expires_at"),
        )
        check_validity(now if usable_at is None else usable_at, expires_at)
        if self.ledger.code_taken(conn, who.store_id, body.code):
            raise Problem("code_taken", "A gift card with that code already exists in this store")
        row = self.ledger.insert_gift(
            conn,
            who,
            now,
            code=body.code,
            balance=balance,
            kind=body.kind,
            item_label=body.item_label,
            item_quantity=body.item_quantity,
            enabled=body.enabled,
            usable_at=usable_at,
            expires_at=expires_at,
            promotional=body.promotional,
            allowed_location_ids=body.allowed_location_ids,
            sender=body.sender.model_dump() if body.sender else None,
            recipient=body.recipient.model_dump() if body.recipient else None,
        )
        currency = self._currency(conn, who)
        if balance:
            # Money that no sale brought in (api.md "Manager changes"): an adjustment, as
            # an activation is for a card sold; it is the card's starting balance.
            self.ledger.record(
                conn,
                who,
                now,
                row,
                currency,
                type="adjustment",
                amount=balance,
                reference=body.reason or "card created by admin",
                client_reference=body.client_reference,
            )
        return 201, gift_json(row, now, who.location_id, currency)

    def list(
        self, conn: Connection, who: Principal, now: int, query: requests.GiftQuery
    ) -> list[JsonOutObject]:
        g = gifts.c
        sel = gifts.select().where(g.store_id == who.store_id)
        if not query.include_canceled:
            sel = sel.where(g.canceled_at.is_(None))
        if query.code is not None:
            sel = sel.where(g.code_key == code_key(query.code))
        if query.code_ends_with is not None:
            # By the index on the last four, then the rest of a longer end among those.
            end = code_key(query.code_ends_with)
            sel = sel.where(g.code_tail == end[-TAIL:])
            if len(end) > TAIL:
                sel = sel.where(g.code_key.endswith(end, autoescape=True))
        if query.after is not None:
            sel = sel.where(g.id > int(query.after))
        # Ordered by (store_id, id), which is the order by id in one store, so that the
        # planner sees gifts_by_store gives the rows in order; ordered by id alone,
        # PostgreSQL walked the primary key through every other store's gifts.
        if query.before is not None:
            # The page just before `before`: the highest ids below it, shown ascending.
            sel = sel.where(g.id < int(query.before)).order_by(g.store_id.desc(), g.id.desc())
            rows = list(reversed(conn.execute(sel.limit(query.limit)).all()))
        else:
            sel = sel.order_by(g.store_id, g.id).limit(query.limit)
            rows = list(conn.execute(sel).all())
        currency = self._currency(conn, who)
        return [gift_json(GiftRow.read(r), now, who.location_id, currency) for r in rows]

    def get(self, conn: Connection, who: Principal, now: int, gift_id: int) -> JsonOutObject:
        row = self.ledger.gift(conn, who, gift_id)
        return gift_json(row, now, who.location_id, self._currency(conn, who))

    def patch(
        self, conn: Connection, who: Principal, now: int, gift_id: int, body: requests.GiftPatch
    ) -> Reply:
        gift = self.ledger.gift(conn, who, gift_id, lock=True)
        if gift.canceled_at is not None:
            raise Problem(
                "not_redeemable",
                "A canceled gift card cannot be changed",
                extra={"reason": "canceled"},
            )
        given = body.model_fields_set
        values: dict[str, JsonOut] = {}  # the model refuses null where it means nothing
        if "code" in given and body.code is not None:  # LeftOut: never null when given
            check_code(body.code)
            if code_key(body.code) != gift.code_key and self.ledger.code_taken(
                conn, who.store_id, body.code
            ):
                raise Problem(
                    "code_taken", "A gift card with that code already exists in this store"
                )
            values.update(
                code=body.code, code_key=code_key(body.code), code_tail=code_tail(body.code)
            )
        if "enabled" in given:
            values["enabled"] = body.enabled
        usable_at, expires_at = gift.usable_at, gift.expires_at
        if "usable_at" in given and body.usable_at is not None:  # LeftOut: as code
            values["usable_at"] = usable_at = from_rfc3339(body.usable_at, "usable_at")
        if "expires_at" in given:
            values["expires_at"] = expires_at = _time(body.expires_at, "expires_at")
        if {"usable_at", "expires_at"} & given:  # an older card's window is left as it was
            check_validity(
                usable_at,
                expires_at,
                "expires_at" if "expires_at" in given else "usable_at",
            )
        delta = 0
        if "balance" in given:
            if gift.kind != "monetary":
                raise Problem(
                    "invalid_amount",
                    "An item gift card has no money balance",
                    [{"field": "balance", "message": "not for item gifts"}],
                )
            delta = _balance(body.balance) - (gift.balance or 0)
        currency = self._currency(conn, who)
        if values:
            values.update(updated_at=now, updated_by=who.stamp())
            conn.execute(gifts.update().where(gifts.c.id == gift.id).values(**values))
        if delta:
            # A balance change is an adjustment in the ledger, never a silent edit.
            gift = self.ledger.move(conn, who, now, gift, balance=delta, guard=False)
            self.ledger.record(
                conn,
                who,
                now,
                gift,
                currency,
                type="adjustment",
                amount=abs(delta),
                reference=body.reason or "balance set by admin",
                client_reference=body.client_reference,
            )
        row = self.ledger.gift(conn, who, gift_id)
        return 200, gift_json(row, now, who.location_id, currency)

    def cancel(
        self, conn: Connection, who: Principal, now: int, gift_id: int, body: requests.CancelBody
    ) -> Reply:
        gift = self.ledger.gift(conn, who, gift_id, lock=True)
        if gift.canceled_at is not None:
            return 204, None  # canceled already: nothing changes, nothing is written
        if gift.kind == "monetary" and gift.balance:
            # A canceled card holds nothing (api.md "Manager changes"): what it held leaves
            # by an adjustment, so the ledger says where it went.
            held = gift.balance
            gift = self.ledger.move(conn, who, now, gift, balance=-held)
            self.ledger.record(
                conn,
                who,
                now,
                gift,
                self._currency(conn, who),
                type="adjustment",
                amount=held,
                reference=body.reason or "card canceled by admin",
                client_reference=body.client_reference,
            )
        conn.execute(
            gifts.update()
            .where(gifts.c.id == gift.id)
            .values(canceled_at=now, updated_at=now, updated_by=who.stamp())
        )
        return 204, None

    def patch_config(self, conn: Connection, who: Principal, body: requests.ConfigPatch) -> Reply:
        changes = body.store_configurations
        given = changes.model_fields_set
        values: dict[str, JsonOut] = {}
        if "cash_out_enabled" in given:  # never null (models.LeftOut)
            values["cash_out_enabled"] = changes.cash_out_enabled
        if "cash_out_max" in given:
            values["cash_out_max"] = (
                None
                if changes.cash_out_max is None
                else _balance(changes.cash_out_max, "cash_out_max")
            )
        if values:
            conn.execute(stores.update().where(stores.c.id == who.store_id).values(**values))
        return 200, self.ledger.config(conn, who)
