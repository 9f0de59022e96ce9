"""The two kinds of Adyen message, the amount both APIs share, and the headers they take."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# Both APIs authenticate with the API key in this header, and replay the first answer for a
# repeated key in the other (docs.adyen.com, "API idempotency": at most 64 characters).
API_KEY_HEADER = "X-API-Key"
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 64

JsonObject = dict[str, object]


class Request(BaseModel):
    """A request body: unknown fields and loose types are refused, as Adyen's schema does
    (`additionalProperties: false`); a value is never coerced ("12" is not 12)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    def wire(self) -> JsonObject:
        """The JSON object to send: fields left out are not sent as null."""
        return self.model_dump(mode="json", exclude_none=True)


class Answer(BaseModel):
    """An answer body: fields Adyen adds later are ignored, the ones we read are typed."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    def wire(self) -> JsonObject:
        return self.model_dump(mode="json", exclude_none=True)


class Amount(BaseModel):
    """Money in minor units of an ISO 4217 currency (Adyen's Amount: `value` is int64)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    currency: str = Field(min_length=3, max_length=3)
    value: int
