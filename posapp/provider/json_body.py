"""A request body's JSON, judged before pydantic reads it, for what pydantic would take or
crash on (api.md "Conventions"):

- a key given twice in an object: JSON parsers keep the last, so {"amount": 1, "amount": 5000}
  redeemed 5000 (issue 13);
- nesting deeper than MAX_DEPTH: Python's json recursed about 1,000 deep into a
  RecursionError, a 500 with a traceback logged on every such request (issue 18);
- NaN, Infinity and -Infinity, and numbers too large for a float (1e999): they are not JSON
  (RFC 8259 section 6), and a ticket kept them as if they were (issue 18).

A number written with a fraction or an exponent whose value is a whole number (100.0, 1e2)
is that integer, as JSON Schema's "integer" says; the decimal text decides, never a float,
so 99999999.9999999999 stays a fraction and is refused where an integer belongs.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import NoReturn

from posapp.core.json_value import JsonObject, JsonValue

# The deepest body api.md takes is two levels ({"store_configurations": {...}}, a ticket, a
# recipient); 32 leaves room and keeps every parser far from its recursion limit.
MAX_DEPTH = 32

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN = frozenset(b"[{")


class Refused(ValueError):
    """Words for what is wrong with the body."""


def parse(raw: bytes | str) -> JsonValue:
    """The body as Python values; Refused (a ValueError) for what api.md refuses, ValueError
    for what is not JSON."""
    text = raw.encode() if isinstance(raw, str) else raw
    if depth(text) > MAX_DEPTH:
        raise Refused(f"the JSON is nested more than {MAX_DEPTH} levels deep")
    parsed: JsonValue = json.loads(
        text, object_pairs_hook=_refuse_twice, parse_constant=_not_json, parse_float=_number
    )
    return parsed


def depth(raw: bytes) -> int:
    """How deep arrays and objects nest, outside strings (a cheap count first: a body with
    few brackets cannot be deep)."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return 0
    deepest = level = 0
    for bracket in _STRING.sub(b'""', raw).translate(None, _NOT_BRACKETS):
        if bracket in _OPEN:
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


def _refuse_twice(pairs: list[tuple[str, JsonValue]]) -> JsonObject:
    found = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise Refused(f"the key {key!r} is given twice; send each key once")
            seen.add(key)
    return found


def _not_json(constant: str) -> NoReturn:
    raise Refused(f"{constant} is not a JSON number; send a finite number")


def _number(text: str) -> float | int:
    value = float(text)
    if not math.isfinite(value):
        raise Refused(f"{text[:20]} is too large for a number; send a finite number")
    exact = Decimal(text)
    # adjusted(): the exponent of the leading digit, checked first so 1e999999 is never
    # expanded into a million digits.
    if exact.adjusted() < 19 and exact == exact.to_integral_value():
        return int(exact)
    return value
