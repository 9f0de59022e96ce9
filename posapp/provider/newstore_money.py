"""NewStore's `value` and our minor units (docs/newstore.md "Units of value").

Inside, money is an int of minor units (CONTRIBUTING.md rule 4); NewStore's `value` is a JSON
number in the store's chosen units. json_body.parse gives a fraction as a float; every amount
we take has at most 9 significant digits (api.md's MAX_AMOUNT of 100,000,000 minor units),
so the float's repr is exactly the decimal text that was sent, and Decimal reads that.
"""

from __future__ import annotations

from decimal import Decimal

from posapp.core.money import MAX_AMOUNT, decimals
from posapp.provider.ledger import Problem
from posapp.provider.newstore_settings import Units


def to_minor(value: int | float, currency: str, units: Units) -> int:
    """The amount NewStore sent, in minor units; Problem where it is not a whole number of
    them, or is not 1 to MAX_AMOUNT."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if units == "major":
        exact = exact.scaleb(decimals(currency))
    if exact != exact.to_integral_value() or not 0 < exact <= MAX_AMOUNT:
        places = decimals(currency) if units == "major" else 0
        raise Problem(
            "invalid_amount",
            f"value must be from 1 to {MAX_AMOUNT} {currency} minor units, sent in {units} "
            f"units with at most {places} decimals",
            [{"field": "amount.value", "message": "not an amount of this store"}],
        )
    return int(exact)


def to_value(minor: int, currency: str, units: Units) -> int | float:
    """Minor units as NewStore's `value`: 1250 USD is 12.5 in major units (a float whose
    repr is that decimal: JSON has no other number), 1250 in minor ones."""
    if units == "minor":
        return minor
    exact = Decimal(minor).scaleb(-decimals(currency))
    return int(exact) if exact == exact.to_integral_value() else float(exact)
