"""Money written as a JSON number in major units (12.5 is $12.50), as NewStore's APIs write
`value` (docs/newstore.md "Units of value"), and our integer minor units. Pure.

Inside, money is an int of minor units (CONTRIBUTING.md rule 4). A JSON parser gives a
fraction as a float; every amount we take has at most 9 significant digits (MAX_AMOUNT,
100,000,000 minor units), so the float's repr is exactly the decimal text that was sent,
and Decimal reads that: never rounded, a value finer than the currency is refused.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from posapp.core.money import MAX_AMOUNT, decimals

Units = Literal["major", "minor"]


class NotAnAmount(ValueError):
    """A value that is not 1 to MAX_AMOUNT whole minor units; the words say why."""


def to_minor(value: int | float, currency: str, units: Units) -> int:
    """`value` in minor units; NotAnAmount where it is not a whole number of them, or not 1
    to MAX_AMOUNT."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if units == "major":
        exact = exact.scaleb(decimals(currency))
    if exact != exact.to_integral_value() or not 0 < exact <= MAX_AMOUNT:
        places = decimals(currency) if units == "major" else 0
        # Said in the units it is sent in, one way (the NewStore trial, 9: "from 1 to
        # 100000000 USD minor units, sent in major units" read as up to 100 million dollars).
        low, high = to_value(1, currency, units), to_value(MAX_AMOUNT, currency, units)
        raise NotAnAmount(
            f"value must be from {low} to {high} {currency} in {units} units, with at most "
            f"{places} decimals"
        )
    return int(exact)


def to_value(minor: int, currency: str, units: Units) -> int | float:
    """Minor units as a JSON number: 1250 USD is 12.5 in major units (a float whose repr is
    that decimal: JSON has no other number), 1250 in minor ones."""
    if units == "minor":
        return minor
    exact = Decimal(minor).scaleb(-decimals(currency))
    return int(exact) if exact == exact.to_integral_value() else float(exact)
