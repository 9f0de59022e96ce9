"""Square's request schemas for the gift card endpoints, and a validator for them.

The schemas are Square's own, read from ../shared/specs/square/giftcards-openapi.json (the
subset of square/connect-api-specification's api.json at 5733f662, Square-Version 2025-08-20,
Apache-2.0): they are Square's data, not the project's (../shared/specs/README.md), so nothing
derived from them is committed here. Where that file is not beside the clone (a store's laptop
running `posapp demo --api square`, an installed wheel) the fake checks no request and says so
once in the log; the tests of these checks skip there.

The validator knows the parts of OpenAPI 3 those schemas use: type, properties, required,
enum, minLength/maxLength, items, $ref, readOnly and nullable.
"""

from __future__ import annotations

import logging
import sys
from functools import cache
from typing import Any

from posapp.published_specs import published

log = logging.getLogger(__name__)

SPEC_FILE = "square/giftcards-openapi.json"
# The release the published subset was taken from (../shared/specs/README.md); the adapter
# pins the same Square-Version.
SPEC_COMMIT = "5733f662"
SPEC_SQUARE_VERSION = "2025-08-20"

ENDPOINTS = {
    ("POST", "/v2/gift-cards/from-gan"): "RetrieveGiftCardFromGANRequest",
    ("POST", "/v2/gift-cards"): "CreateGiftCardRequest",
    ("POST", "/v2/gift-cards/activities"): "CreateGiftCardActivityRequest",
}
QUERIES = [("GET", "/v2/gift-cards/activities")]


@cache
def spec() -> dict[str, Any] | None:
    """The schemas, request bodies and query parameters the fake checks, from Square's file;
    None (and said once in the log) where the file is not there."""
    api = published(SPEC_FILE)
    if api is None:
        log.info(
            "The fake Square checks no request against Square's schemas: "
            "../shared/specs/%s is not beside this copy of posapp",
            SPEC_FILE,
        )
        return None
    paths: dict[str, Any] = api["paths"]  # type: ignore[assignment]
    components: dict[str, Any] = api["components"]  # type: ignore[assignment]
    queries = {
        f"{method} {path}": {
            p["name"]: p["schema"]
            for p in paths[path][method.lower()].get("parameters", [])
            if p["in"] == "query"
        }
        for method, path in QUERIES
    }
    return {
        "info": api["info"],
        "bodies": {f"{m} {p}": name for (m, p), name in ENDPOINTS.items()},
        "queries": queries,
        "schemas": components["schemas"],
    }


class Invalid(Exception):
    """A request Square would refuse: (code, field, detail) as in Square's Error object."""

    def __init__(self, code: str, field: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.field, self.detail = code, field, detail


_TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list}
_EXPECTED = {"string": "EXPECTED_STRING", "integer": "EXPECTED_INTEGER",
             "boolean": "EXPECTED_BOOLEAN", "object": "EXPECTED_OBJECT",
             "array": "EXPECTED_ARRAY"}  # fmt: skip


def validate(
    value: object, schema: dict[str, Any], where: str = "", *, answer: bool = False
) -> None:
    """Raise Invalid for the first thing Square's schema does not allow. `answer`: check
    one of Square's answers instead (read-only fields belong there)."""
    if "$ref" in schema:
        schemas = _schemas()
        if schemas is None:
            return
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    if value is None:
        if schema.get("nullable"):
            return
        raise Invalid("INVALID_VALUE", where, f"`{where}` must not be null")
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind is not None:
        ok = isinstance(value, _TYPES[kind]) and not (kind == "integer" and value is True)
        if kind == "integer" and isinstance(value, bool):
            ok = False
        if not ok:
            raise Invalid(_EXPECTED[kind], where, f"Expected `{where}` to be {kind}")
    if "enum" in schema and value not in schema["enum"]:
        raise Invalid(
            "INVALID_ENUM_VALUE", where, f"`{value}` is not a valid enum value for `{where}`"
        )
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            code = "VALUE_EMPTY" if not value else "VALUE_TOO_SHORT"
            raise Invalid(code, where, f"`{where}` is too short")
        if len(value) > schema.get("maxLength", sys.maxsize):
            raise Invalid("VALUE_TOO_LONG", where, f"`{where}` is too long")
    if isinstance(value, list):
        for i, item in enumerate(value):
            validate(item, schema.get("items", {}), f"{where}[{i}]", answer=answer)
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        for name in schema.get("required", []):
            if name not in value:
                field = f"{where}.{name}" if where else name
                raise Invalid(
                    "MISSING_REQUIRED_PARAMETER", field, f"Missing required parameter `{field}`"
                )
        for name, item in value.items():
            field = f"{where}.{name}" if where else name
            if name not in properties:
                raise Invalid("UNKNOWN_BODY_PARAMETER", field, f"Unknown body parameter `{field}`")
            if properties[name].get("readOnly") and not answer:
                raise Invalid("INVALID_VALUE", field, f"`{field}` is read-only")
            validate(item, properties[name], field, answer=answer)


def _schemas() -> dict[str, Any] | None:
    found = spec()
    return None if found is None else found["schemas"]


def validate_body(method: str, path: str, body: object) -> None:
    found = spec()
    if found is None:
        return
    name = found["bodies"][f"{method} {path}"]
    validate(body, {"$ref": f"#/components/schemas/{name}"})


def validate_query(method: str, path: str, query: dict[str, str]) -> None:
    found = spec()
    if found is None:
        return
    allowed = found["queries"][f"{method} {path}"]
    for name, value in query.items():
        if name not in allowed:
            raise Invalid("UNKNOWN_QUERY_PARAMETER", name, f"Unknown query parameter `{name}`")
        kind = allowed[name].get("type")
        if kind == "integer" and not value.isdigit():
            raise Invalid("EXPECTED_INTEGER", name, f"Expected `{name}` to be integer")
