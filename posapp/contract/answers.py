"""What a provider answers (api.md "The gift object", "The transaction object",
"Endpoints"). The provider documents its answers by these and builds them as plain dicts,
serialised once, so that an idempotent replay is the same bytes; the till reads every answer
through them, so a malformed answer is refused at the edge.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from posapp.contract.fields import Id, Person, Timestamp


class Principal(BaseModel):
    id: Id
    name: str


class Gift(BaseModel):
    id: Id
    store_id: Id
    code: str
    kind: Literal["monetary", "item"]
    currency: str
    balance: int | None
    starting_balance: int | None
    item_label: str | None
    item_quantity: int | None
    starting_item_quantity: int | None
    enabled: bool
    status: Literal["canceled", "disabled", "not_yet_usable", "expired", "depleted", "active"]
    is_redeemable: bool
    not_redeemable_reason: (
        Literal[
            "canceled", "disabled", "not_yet_usable", "expired", "depleted", "location_not_allowed"
        ]
        | None
    )
    eligible_value: int
    eligible_item_quantity: int
    present_value_description: str
    promotional: bool
    allowed_location_ids: list[str] | None
    usable_at: Timestamp
    expires_at: Timestamp | None
    sender: Person | None
    recipient: Person | None
    public_token: str
    created_at: Timestamp
    created_by: Principal
    updated_at: Timestamp | None
    updated_by: Principal | None


TransactionType = Literal[
    "activation", "issue", "redemption", "reversal", "gift_card_cash_out", "adjustment"
]


class Transaction(BaseModel):
    id: Id
    type: TransactionType
    gift_id: Id
    store_id: Id
    location_id: Id
    amount: int | None
    quantity: int | None
    currency: str
    balance_after: int | None
    item_quantity_after: int | None
    reference: str | None
    state: Literal["completed", "reversed"]
    reverses: Id | None
    reversed_by: Id | None
    created_at: Timestamp
    created_by: Principal
    # Last, with a default: a provider from before issue 18 does not send it, and the
    # terminal reads its answers through this model too.
    client_reference: str | None = None


class GiftAnswer(BaseModel):
    gift: Gift


class MoneyAnswer(BaseModel):
    transaction: Transaction
    gift: Gift


class ReversalAnswer(BaseModel):
    transaction: Transaction
    reversed: Transaction
    gift: Gift


class MovementAnswer(BaseModel):
    """A movement found by its client_reference: what its money call answered, with the
    card as it is now (api.md "Client references")."""

    transaction: Transaction
    gift: Gift
    reversed: Transaction | None = None


class TransactionTypeInfo(BaseModel):
    type: TransactionType
    non_sale: bool


class StoreSettings(BaseModel):
    cash_out_enabled: bool
    cash_out_max: int | None


class GiftCardConfig(BaseModel):
    currency: str
    # The store's name as the provider keeps it (`posapp check` compares it with the
    # config's, issue 19); None from a provider that does not say it.
    store_name: str | None = None
    store_configurations: StoreSettings


class Health(BaseModel):
    """/healthz: ok, or database_damaged (503) once the provider found its database damaged."""

    status: Literal["ok", "database_damaged"]
    detail: str | None = None


class CancelReferenceAnswer(BaseModel):
    """Canceled (`canceled`, and since when), or it had happened: `movements` as the lookup
    answers them, and nothing was canceled."""

    client_reference: str
    canceled: bool
    canceled_at: Timestamp | None = None
    movements: list[MovementAnswer]
