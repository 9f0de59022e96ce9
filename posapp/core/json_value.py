"""JSON as parsed (RFC 8259's values), typed: what `json.loads` or `orjson.loads` gives and
what a body sent over HTTP holds. A value read from outside is narrowed with `isinstance`
where it is used, so a malformed answer is refused in words instead of crashing the call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias, Union

# Union, not `|`: a string forward reference cannot be joined with `|` before Python 3.12's
# `type` statement. For mypy only: a pydantic model cannot resolve the forward reference
# (it types a JSON field as `dict[str, object]` instead).
JsonValue: TypeAlias = Union[  # noqa: UP007
    bool, int, float, str, list["JsonValue"], dict[str, "JsonValue"], None
]
JsonObject: TypeAlias = dict[str, JsonValue]

# JSON to send: read-only containers, so that a list[str] or a dict[str, int] is JSON as it
# is (a `list[JsonValue]` is not one: lists are invariant).
JsonOut: TypeAlias = Union[  # noqa: UP007
    bool, int, float, str, Sequence["JsonOut"], Mapping[str, "JsonOut"], None
]
JsonOutObject: TypeAlias = Mapping[str, JsonOut]
