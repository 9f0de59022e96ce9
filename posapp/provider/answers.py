"""api.md's JSON for a gift, a transaction and a money movement's answer."""

from __future__ import annotations

from typing import TypeAlias

import orjson
from pydantic import BaseModel

from posapp.core.json_value import JsonObject, JsonOut, JsonOutObject
from posapp.provider import ledger
from posapp.provider.ledger import to_rfc3339
from posapp.provider.rows import GiftRow, TransactionRow
from posapp.provider.tokens import Principal

# An operation's answer: its HTTP status and JSON body (dumped once, kept for a replay).
Reply: TypeAlias = tuple[int, JsonOut]


def dumps(body: JsonOut) -> bytes:
    """The one serialisation of every answer, so a replay is byte for byte the first one:
    compact UTF-8, what json.dumps(separators=(",", ":"), ensure_ascii=False) gives."""
    return orjson.dumps(body)


def gift_json(row: GiftRow, now: int, location_id: int, currency: str) -> JsonOutObject:
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


def transaction_json(row: TransactionRow) -> JsonOutObject:
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
    txn: TransactionRow,
    gift: GiftRow,
    now: int,
    who: Principal,
    currency: str,
    reversed: TransactionRow | None = None,
) -> JsonOutObject:
    """api.md's answer to a money movement: the transaction, what it reversed, the gift."""
    answer: dict[str, JsonOut] = {"transaction": transaction_json(txn)}
    if reversed is not None:
        answer["reversed"] = transaction_json(reversed)
    answer["gift"] = gift_json(gift, now, who.location_id, currency)
    return answer


def plain(model: BaseModel | None) -> JsonObject | None:
    return None if model is None else model.model_dump()
