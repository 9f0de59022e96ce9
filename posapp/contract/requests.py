"""What a client sends (api.md "Endpoints"): the bodies and the queries, each refusing
unknown fields. The rules that tie fields together (validate takes a code or a public token;
a redemption an amount or a quantity; an item gift its label and quantity) are written as
JSON Schema's oneOf and if/then/else, so that /openapi.json says them too.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr
from pydantic.config import JsonDict

from posapp.contract.answers import TransactionType
from posapp.contract.fields import (
    PAGE_DEFAULT,
    PAGE_MAX,
    Amount,
    Balance,
    ClientReference,
    Code,
    Id,
    LeftOut,
    Person,
    PublicToken,
    Strict,
    Text,
    Ticket,
    Timestamp,
    one_of,
)


class ValidateBody(Strict):
    model_config = ConfigDict(json_schema_extra=one_of("code", "public_token"))
    code: LeftOut[Code] = None
    public_token: LeftOut[PublicToken] = None
    ticket: LeftOut[Ticket] = None


class RedeemBody(Strict):
    """`amount` for a monetary gift, `quantity` for an item gift (api.md)."""

    model_config = ConfigDict(json_schema_extra=one_of("amount", "quantity"))
    amount: LeftOut[Amount] = None
    quantity: LeftOut[Amount] = None
    allow_partial: StrictBool = False
    reference: Text | None = None
    client_reference: ClientReference | None = None


class ReversalBody(Strict):
    reason: Text | None = None
    client_reference: ClientReference | None = None


class CashOutBody(Strict):
    reference: Text | None = None
    client_reference: ClientReference | None = None
    # api.md "Cash-out": the law that requires this cash-out, as the till names it; the
    # store's switch and limit do not apply then (issue 25.3: the law wins).
    required_by: Text | None = None


class ActivationBody(Strict):
    code: Code
    amount: Amount
    recipient: Person | None = None
    expires_at: Timestamp | None = None
    reference: Text | None = None
    client_reference: ClientReference | None = None


class IssueBody(Strict):
    amount: Amount
    recipient: Person | None = None
    reference: Text | None = None
    client_reference: ClientReference | None = None


class StoreConfigurations(Strict):
    cash_out_enabled: LeftOut[StrictBool] = None
    cash_out_max: Balance | None = Field(default=None, description="null: no limit")


class ConfigPatch(Strict):
    store_configurations: StoreConfigurations


# api.md: an item gift gives item_label and item_quantity, and balance 0 or none; a monetary
# gift gives its balance and neither item field.
_KINDS: JsonDict = {
    "if": {"properties": {"kind": {"const": "item"}}, "required": ["kind"]},
    "then": {
        "required": ["item_label", "item_quantity"],
        "properties": {"balance": {"enum": [0, None]}},
    },
    "else": {
        "required": ["balance"],
        "properties": {"balance": {"type": "integer"}},
        "not": {"anyOf": [{"required": ["item_label"]}, {"required": ["item_quantity"]}]},
    },
}


class GiftCreate(Strict):
    model_config = ConfigDict(json_schema_extra=_KINDS)
    code: Code
    balance: Balance | None = None
    kind: Literal["monetary", "item"] = "monetary"
    item_label: LeftOut[Annotated[StrictStr, Field(min_length=1, max_length=100)]] = None
    item_quantity: LeftOut[Amount] = None
    enabled: StrictBool = True
    usable_at: Timestamp | None = Field(default=None, description="null: now")
    expires_at: Timestamp | None = Field(default=None, description="null: never")
    promotional: StrictBool = False
    allowed_location_ids: (
        Annotated[list[Id], Field(max_length=100, description="null: anywhere in the store")] | None
    ) = None
    sender: Person | None = None
    recipient: Person | None = None
    # A card made with a balance is an adjustment in the ledger (api.md "Manager changes"):
    # why, and the client's name for it (as on a money call), go with that transaction.
    reason: Text | None = None
    client_reference: ClientReference | None = None


class GiftPatch(Strict):
    enabled: LeftOut[StrictBool] = None
    code: LeftOut[Code] = None
    balance: LeftOut[Balance] = None
    usable_at: LeftOut[Timestamp] = None
    expires_at: Timestamp | None = Field(default=None, description="null: never")
    reason: Text | None = None  # kept as a balance change's adjustment reference
    client_reference: ClientReference | None = None


class CancelBody(Strict):
    """DELETE /v1/gift-cards/{id}: optional; a card holding money is emptied by an
    adjustment, which these go with."""

    reason: Text | None = None
    client_reference: ClientReference | None = None


PageSize = Annotated[int, Field(ge=1, le=PAGE_MAX)]


class TransactionQuery(BaseModel):
    """GET /v1/transactions."""

    model_config = ConfigDict(extra="forbid")
    gift_id: Id | None = None
    type: TransactionType | None = None
    location_id: Id | None = None
    since: Timestamp | None = None
    until: Timestamp | None = None
    limit: PageSize = PAGE_DEFAULT
    after: Id | None = None


class GiftQuery(BaseModel):
    """GET /v1/gift-cards (api.md "Finding a gift card")."""

    model_config = ConfigDict(extra="forbid")
    limit: PageSize = PAGE_DEFAULT
    after: Id | None = None
    before: Id | None = None
    include_canceled: bool = False
    code: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    # The cards whose code ends with this (api.md): "0002" from a slip's "••0002".
    code_ends_with: Annotated[str, Field(min_length=4, max_length=64)] | None = None


class LookupQuery(BaseModel):
    """GET /v1/transactions/lookup (api.md "Key retention and client references")."""

    model_config = ConfigDict(extra="forbid")
    client_reference: ClientReference


class CancelReferenceBody(Strict):
    """POST /v1/transactions/cancel (api.md "Canceling a movement that never came"): the
    movement's client_reference, and the Idempotency-Key it was sent with, if any."""

    client_reference: ClientReference
    # The same shape as the Idempotency-Key header (api.md "Idempotency").
    idempotency_key: ClientReference | None = None
