"""Request and response models of api.md, so that /openapi.json tells the truth.

Requests forbid unknown fields and take strict integers ("100", 1.5 and true are refused).
Responses are documented by these models and built as plain dicts (operations.py), then
serialised once, so that an idempotent replay is the same bytes.

What /openapi.json says a request may hold is what the provider takes (issue 18): amounts
with their bounds, times with their format, null only where null means something (no
expiry, no cash-out limit, no recipient), and the rules that tie fields together (validate
takes a code or a public token; a redemption an amount or a quantity; an item gift its
label and quantity) as JSON Schema's oneOf and if/then/else. Schemathesis checks both ways.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    FiniteFloat,
    StrictBool,
    StrictInt,
    StrictStr,
)

from posapp.core.money import MAX_AMOUNT
from posapp.provider.ledger import RFC3339

T = TypeVar("T")


def at_most(limit: int) -> str:
    """A regular expression for the decimal strings of 1 to len(str(limit)) digits whose
    value is at most `limit`: a flake fits 64 bits, which [0-9]{1,19} alone does not say."""
    digits = str(limit)
    options = [f"[0-9]{{1,{len(digits) - 1}}}", digits]
    for i, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - i - 1
            options.append(
                f"{digits[:i]}[0-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else "")
            )
    return f"^(?:{'|'.join(options)})$"


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


def _without_null(schema: dict[str, Any]) -> None:
    schema.pop("default", None)
    options = schema.get("anyOf", [])
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) == 1:
        del schema["anyOf"]
        schema.update(kept[0])


# A field that may be left out (None in Python) but is never null in JSON: /openapi.json
# said null where the provider refused it (issue 18).
LeftOut = Annotated[T | None, BeforeValidator(_not_null), Field(json_schema_extra=_without_null)]

Id = Annotated[
    str,
    Field(pattern=at_most(2**63 - 1), description="a flake: a 64-bit integer as a decimal string"),
]
Timestamp = Annotated[
    str,
    Field(
        description="RFC 3339, e.g. 2026-11-22T01:41:51.123456Z; answers are in UTC with a Z",
        json_schema_extra={"format": "date-time", "pattern": f"^{RFC3339.pattern}$"},
    ),
]
# api.md "Conventions": amounts and quantities 1 to 100,000,000; a balance may be 0.
Amount = Annotated[StrictInt, Field(ge=1, le=MAX_AMOUNT)]
Balance = Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT)]
Code = Annotated[
    StrictStr,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9 -]*[A-Za-z0-9-])?$"),
]
Text = Annotated[StrictStr, Field(max_length=500)]
# api.md "Client references": the till's own name for a movement, as an idempotency key is
# written (1 to 255 printable ASCII characters).
ClientReference = Annotated[
    StrictStr,
    Field(min_length=1, max_length=255, pattern=r"^[\x20-\x7e]+$"),
]
PublicToken = Annotated[StrictStr, Field(min_length=1, max_length=64)]
# A till's ticket, kept with a validate for the provider's own records: a flat object (issue
# 13: a 50 MB ticket was taken). Finite numbers, text, true/false or null; no nesting.
TicketValue = (
    Annotated[StrictStr, Field(max_length=500)] | StrictInt | FiniteFloat | StrictBool | None
)
Ticket = Annotated[
    dict[Annotated[str, Field(min_length=1, max_length=64)], TicketValue],
    Field(max_length=50, description="up to 50 fields; keys up to 64 characters, text up to 500"),
]


def one_of(*names: str) -> dict[str, Any]:
    """JSON Schema for "exactly one of these fields is given"."""
    return {"oneOf": [{"required": [name]} for name in names]}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Person(Strict):
    name: Annotated[StrictStr, Field(max_length=200)] | None = None
    email: Annotated[StrictStr, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None


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
_KINDS: dict[str, Any] = {
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
    """/healthz: ok, or database_damaged (503) once the provider found its database damaged."""

    status: Literal["ok", "database_damaged"]
    detail: str | None = None


class CancelReferenceBody(Strict):
    """POST /v1/transactions/cancel (api.md "Canceling a movement that never came"): the
    movement's client_reference, and the Idempotency-Key it was sent with, if any."""

    client_reference: ClientReference
    # The same shape as the Idempotency-Key header (api.md "Idempotency").
    idempotency_key: ClientReference | None = None


class CancelReferenceAnswer(BaseModel):
    """Canceled (`canceled`, and since when), or it had happened: `movements` as the lookup
    answers them, and nothing was canceled."""

    client_reference: str
    canceled: bool
    canceled_at: Timestamp | None = None
    movements: list[MovementAnswer]
