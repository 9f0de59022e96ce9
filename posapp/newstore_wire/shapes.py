"""NewStore's two gift card APIs, as published (../shared/design/newstore.md), in our own
pydantic models and NewStore's own field names (snake_case).

- Gift Card Provider Webhooks (v0): NewStore calls the provider. `BalanceRequest` ->
  `BalanceAnswer`, `IssueRequest` -> `CardAnswer`, `ActivateRequest` -> `CardAnswer`,
  `DeactivateRequest` -> `DeactivateAnswer`.
- Gift Card API (v0): the store app calls NewStore, with the same activate, deactivate and
  balance bodies (NewStore forwards them to the provider).

Requests ignore fields they do not name: NewStore adds fields to its payloads, and a provider
that refused one would stop selling cards the day it did. The fake NewStore checks the
adapter's requests strictly instead (`strict_keys`). Where NewStore publishes nothing (the
issue's and the deactivation's answers, the 400's body, where the idempotency key travels),
these are our decisions, written down in docs/newstore.md.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictStr

# docs/newstore.md "Decisions": the idempotency key NewStore sends, as we take it: printable
# ASCII, short enough that our ledger keeps it with its operation's name in 255 characters.
KEY_PATTERN = "^[ -~]+$"
IdempotenceKey = Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=KEY_PATTERN)]
# api.md "Conventions": a card's code is 1 to 64 characters.
CardNumber = Annotated[StrictStr, Field(min_length=1, max_length=64)]
Pin = Annotated[StrictStr, Field(max_length=64)]
Currency = Annotated[StrictStr, Field(pattern="^[A-Za-z]{3}$")]
StoreId = Annotated[StrictStr, Field(min_length=1, max_length=200)]


def _json_number(value: object) -> object:
    # A JSON number only: "100" and true are not amounts (bool is an int in Python).
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON number")
    return value


# NewStore's `value`: in major units (12.5 is $12.50) or minor ones, as the store is set
# (docs/newstore.md "Units of value"); read into our integer minor units at the edge.
Value = Annotated[int | float, BeforeValidator(_json_number)]


class Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Amount(Shape):
    value: Value
    currency: Currency


class Identifier(Shape):
    number: CardNumber
    pin: Pin | None = None


class Customer(Shape):
    id: Annotated[StrictStr, Field(max_length=255)] | None = None
    email: Annotated[StrictStr, Field(max_length=254)] | None = None
    name: Annotated[StrictStr, Field(max_length=200)] | None = None


class BalanceMetadata(Shape):
    store_id: StoreId  # "always sent"


class BalanceRequest(Shape):
    """Return balance: POST /gift_card/balance."""

    identifier: Identifier
    metadata: BalanceMetadata


class BalanceAnswer(Shape):
    value: Value
    currency: Currency


Operation = Literal["refund", "activation"]


class CardMetadata(Shape):
    original_operation: Operation = "activation"
    store_id: StoreId | None = None


class IssueRequest(Shape):
    """Issue gift card (issueGiftCard): a new card, its number made by the provider."""

    amount: Amount
    customer: Customer
    metadata: CardMetadata
    idempotence_key: IdempotenceKey | None = None


class ActivateRequest(Shape):
    """Activate gift card: a card the store sold, by its number."""

    card_number: CardNumber
    amount: Amount
    customer: Customer | None = None
    metadata: CardMetadata = CardMetadata()
    idempotence_key: IdempotenceKey | None = None


class CardAnswer(Shape):
    """Activate's published answer, {"identifier": {"number", "pin"}}; issue answers the same."""

    identifier: Identifier


class DeactivateRequest(Shape):
    """Deactivate gift card: all of its remaining balance invalidated."""

    card_number: CardNumber
    pin: Pin | None = None
    store_id: StoreId | None = None
    idempotence_key: IdempotenceKey | None = None


class DeactivateAnswer(Shape):
    """Not published: the card, and what it held when it was deactivated (what the store
    pays out in cash, NewStore's gift_card_cash_out). Our provider and the fake say all
    three; an answer without the card's value is doubted by the till and pays nothing out."""

    identifier: Identifier | None = None
    value: Value | None = None
    currency: Currency | None = None


class ErrorAnswer(Shape):
    """Not published (a 400 exists): our words, and the code that says which refusal."""

    error_code: StrictStr
    message: StrictStr
