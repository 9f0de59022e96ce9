"""The values api.md bounds ("Conventions"), as pydantic types both sides read.

Requests forbid unknown fields and take strict integers ("100", 1.5 and true are refused).
What /openapi.json says a field may hold is what the provider takes (issue 18): amounts with
their bounds, times with their format, null only where null means something.
"""

from __future__ import annotations

import re
from typing import Annotated, TypeVar

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
from pydantic.config import JsonDict

from posapp.core.money import MAX_AMOUNT

T = TypeVar("T")

# api.md "Conventions": IDs are flakes, 64-bit integers written as decimal strings.
MAX_ID = 2**63 - 1
# api.md "Endpoints": a page of a list holds 1 to 100, 50 unless asked.
PAGE_MAX = 100
PAGE_DEFAULT = 50
# api.md "Conventions": RFC 3339 in UTC with a Z in answers; a request may give an offset.
RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})"
)


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


def _not_null(value: object) -> object:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


def _without_null(schema: JsonDict) -> None:
    schema.pop("default", None)
    options = schema.get("anyOf", [])
    kept = [o for o in options if o != {"type": "null"}] if isinstance(options, list) else []
    if len(kept) == 1 and isinstance(kept[0], dict):
        del schema["anyOf"]
        schema.update(kept[0])


# A field that may be left out (None in Python) but is never null in JSON: /openapi.json
# said null where the provider refused it (issue 18).
LeftOut = Annotated[T | None, BeforeValidator(_not_null), Field(json_schema_extra=_without_null)]

Id = Annotated[
    str,
    Field(pattern=at_most(MAX_ID), description="a flake: a 64-bit integer as a decimal string"),
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


def one_of(*names: str) -> JsonDict:
    """JSON Schema for "exactly one of these fields is given"."""
    return {"oneOf": [{"required": [name]} for name in names]}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Person(Strict):
    """A gift's sender or recipient, in a request and in an answer alike."""

    name: Annotated[StrictStr, Field(max_length=200)] | None = None
    email: Annotated[StrictStr, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None
