"""Rows as the provider reads them, typed (SQLite and PostgreSQL alike): JSON columns as
Python values (SQLite keeps them as text, psycopg parses them), booleans as bool (SQLite
gives 0 and 1). Field order is the table's column order (schema.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

import orjson

from posapp.core.json_value import JsonValue

# A row as the database driver gives it (SQLAlchemy's Row or a DBAPI tuple): the one edge.
DbRow: TypeAlias = Sequence[Any]


def _json(value: object) -> JsonValue:
    """A JSON column (a stamp {"id", "name"}, a list of ids): SQLite keeps its text,
    psycopg gives it parsed."""
    return cast(JsonValue, orjson.loads(value) if isinstance(value, str) else value)


def _ids(value: object) -> list[str] | None:
    """allowed_location_ids: a JSON list of location ids, or NULL (every location)."""
    ids = _json(value)
    if ids is None:
        return None
    if not isinstance(ids, list):
        raise ValueError(f"allowed_location_ids is not a list: {ids!r}")
    return cast(list[str], ids)  # written by movements.py as a list of ids


@dataclass(frozen=True, slots=True)
class GiftRow:
    id: int
    store_id: int
    code: str
    code_key: str
    code_tail: str | None
    kind: str
    balance: int | None
    starting_balance: int | None
    item_label: str | None
    item_quantity: int | None
    starting_item_quantity: int | None
    enabled: bool
    canceled_at: int | None
    promotional: bool
    allowed_location_ids: list[str] | None
    usable_at: int
    expires_at: int | None
    sender: JsonValue
    recipient: JsonValue
    public_token: str
    created_at: int
    created_by: JsonValue
    updated_at: int | None
    updated_by: JsonValue

    @classmethod
    def from_db(cls, row: DbRow | None) -> GiftRow | None:
        """A row of `SELECT <schema.GIFT_COLUMNS>`, in that order; None stays None."""
        return None if row is None else cls.read(row)

    @classmethod
    def read(cls, row: DbRow) -> GiftRow:
        """A row of `SELECT <schema.GIFT_COLUMNS>` (or `gifts.select()`), in that order."""
        (i, s, code, key, tail, kind, bal, sbal, label, items, sitems, enabled, canceled,
         promo, allowed, usable, expires, sender, recipient, token, c_at, c_by, u_at, u_by) = row  # fmt: skip
        return cls(
            i, s, code, key, tail, kind, bal, sbal, label, items, sitems, bool(enabled),
            canceled, bool(promo), _ids(allowed), usable, expires, _json(sender),
            _json(recipient), token, c_at, _json(c_by), u_at, _json(u_by),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class TransactionRow:
    id: int
    type: str
    gift_id: int
    store_id: int
    location_id: int
    amount: int | None
    quantity: int | None
    currency: str
    balance_after: int | None
    item_quantity_after: int | None
    reference: str | None
    client_reference: str | None
    state: str
    reverses: int | None
    reversed_by: int | None
    created_at: int
    created_by: JsonValue

    @classmethod
    def read(cls, row: DbRow) -> TransactionRow:
        """A row of `transactions.select()`: every column, in the table's order."""
        (i, kind, gift, store, location, amount, quantity, currency, balance, items, ref,
         client_ref, state, reverses, reversed_by, created_at, created_by) = row  # fmt: skip
        return cls(
            i, kind, gift, store, location, amount, quantity, currency, balance, items, ref,
            client_ref, state, reverses, reversed_by, created_at, _json(created_by),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoreRow:
    id: int
    name: str
    currency: str
    cash_out_enabled: bool
    cash_out_max: int | None
    created_at: int

    @classmethod
    def read(cls, row: DbRow) -> StoreRow:
        """A row of `stores.select()`: every column, in the table's order."""
        i, name, currency, enabled, maximum, created_at = row
        return cls(i, name, currency, bool(enabled), maximum, created_at)
