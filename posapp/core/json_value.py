"""JSON as parsed (RFC 8259's values), typed: what `json.loads` or `orjson.loads` gives and
what a body sent over HTTP holds. A value read from outside is narrowed with `isinstance`
where it is used, so a malformed answer is refused in words instead of crashing the call."""

from __future__ import annotations

from typing import TypeAlias, Union

# Union, not `|`: a string forward reference cannot be joined with `|` before Python 3.12's
# `type` statement. For mypy only: a pydantic model cannot resolve the forward reference
# (it types a JSON field as `dict[str, object]` instead).
JsonValue: TypeAlias = Union[  # noqa: UP007
    bool, int, float, str, list["JsonValue"], dict[str, "JsonValue"], None
]
JsonObject: TypeAlias = dict[str, JsonValue]
