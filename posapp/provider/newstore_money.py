"""NewStore's `value` and our minor units (docs/newstore.md "Units of value"): core's one
reading (core/major_units.py), its refusal as the webhook's 400."""

from __future__ import annotations

from posapp.core import major_units
from posapp.core.major_units import Units, to_value
from posapp.provider.ledger import Problem

__all__ = ["to_minor", "to_value"]


def to_minor(value: int | float, currency: str, units: Units) -> int:
    try:
        return major_units.to_minor(value, currency, units)
    except major_units.NotAnAmount as error:
        raise Problem(
            "invalid_amount",
            str(error),
            [{"field": "amount.value", "message": "not an amount of this store"}],
        ) from error
