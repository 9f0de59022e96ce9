"""Request and response models of api.md, so that /openapi.json tells the truth.

Requests forbid unknown fields and take strict integers ("100", 1.5 and true are refused).
Responses are documented by these models and built as plain dicts (operations.py), then
serialised once, so that an idempotent replay is the same bytes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    FiniteFloat,
    StrictBool,
    StrictInt,
    StrictStr,
)


def _fits_64_bits(value: str) -> str:
    if int(value) > 2**63 - 1:
        raise ValueError("not an id: larger than 64 bits")
    return value


Id = Annotated[
    str,
    Field(pattern=r"^[0-9]{1,19}$", description="a flake: a 64-bit integer as a decimal string"),
    AfterValidator(_fits_64_bits),
]
Timestamp = Annotated[str, Field(description="RFC 3339 in UTC with a Z")]
Code = Annotated[
    StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9 -]*$")
]
Text = Annotated[StrictStr, Field(max_length=500)]
# api.md "Client references": the till's own name for a movement, as an idempotency key is
# written (1 to 255 printable ASCII characters).
ClientReference = Annotated[
    StrictStr,
    Field(min_length=1, max_length=255, pattern=r"^[\x20-\x7e]+$"),
]
# A till's ticket, kept with a validate for the provider's own records: a flat object (issue
# 13: a 50 MB ticket was taken). Numbers, text, true/false or null; no nesting.
TicketValue = (
    Annotated[StrictStr, Field(max_length=500)] | StrictInt | FiniteFloat | StrictBool | None
)
Ticket = Annotated[
    dict[Annotated[str, Field(min_length=1, max_length=64)], TicketValue],
    Field(max_length=50, description="up to 50 fields; keys up to 64 characters, text up to 500"),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Person(Strict):
    name: Annotated[StrictStr, Field(max_length=200)] | None = None
    email: Annotated[StrictStr, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None


class ValidateBody(Strict):
    code: Code | None = None
    public_token: Annotated[StrictStr, Field(min_length=1, max_length=64)] | None = None
    ticket: Ticket | None = None


class RedeemBody(Strict):
    amount: StrictInt | None = None
    quantity: StrictInt | None = None
    allow_partial: StrictBool = False
    reference: Text | None = None
    client_reference: ClientReference | None = None


class ReversalBody(Strict):
    reason: Text | None = None
    client_reference: ClientReference | None = None


class CashOutBody(Strict):
    reference: Text | None = None
    client_reference: ClientReference | None = None


class ActivationBody(Strict):
    code: Code
    amount: StrictInt
    recipient: Person | None = None
    expires_at: Timestamp | None = None
    reference: Text | None = None
    client_reference: ClientReference | None = None


class IssueBody(Strict):
    amount: StrictInt
    recipient: Person | None = None
    reference: Text | None = None
    client_reference: ClientReference | None = None


class StoreConfigurations(Strict):
    cash_out_enabled: StrictBool | None = None
    cash_out_max: StrictInt | None = None


class ConfigPatch(Strict):
    store_configurations: StoreConfigurations


class GiftCreate(Strict):
    code: Code
    balance: StrictInt | None = None
    kind: Literal["monetary", "item"] = "monetary"
    item_label: Annotated[StrictStr, Field(min_length=1, max_length=100)] | None = None
    item_quantity: StrictInt | None = None
    enabled: StrictBool = True
    usable_at: Timestamp | None = None
    expires_at: Timestamp | None = None
    promotional: StrictBool = False
    allowed_location_ids: Annotated[list[Id], Field(max_length=100)] | None = None
    sender: Person | None = None
    recipient: Person | None = None


class GiftPatch(Strict):
    enabled: StrictBool | None = None
    code: Code | None = None
    balance: StrictInt | None = None
    usable_at: Timestamp | None = None
    expires_at: Timestamp | None = None


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


class GiftCardConfig(BaseModel):
    currency: str
    # The store's name as the provider keeps it (`posapp check` compares it with the
    # config's, issue 19); None from a provider that does not say it.
    store_name: str | None = None
    store_configurations: StoreConfigurations


class FieldProblem(BaseModel):
    field: str
    message: str


class ProblemDetails(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldProblem] | None = None


class Health(BaseModel):
    status: Literal["ok"]
