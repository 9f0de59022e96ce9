"""Rows as the provider reads them (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from typing import Any

import orjson

JSON_COLUMNS = frozenset(
    {"allowed_location_ids", "sender", "recipient", "created_by", "updated_by"}
)
BOOL_COLUMNS = frozenset({"enabled", "promotional"})


class Record:
    """A row read by attribute, with JSON and booleans as Python values on either database."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    @classmethod
    def of(cls, names: list[str], row: Any) -> Record | None:
        if row is None:
            return None
        values = dict(zip(names, row, strict=True))
        for name in JSON_COLUMNS.intersection(values):
            if isinstance(values[name], str):  # SQLite keeps JSON as text; psycopg parses it
                values[name] = orjson.loads(values[name])
        for name in BOOL_COLUMNS.intersection(values):
            values[name] = bool(values[name])
        return cls(values)
