"""Square's request schemas for the gift card endpoints, and a validator for them.

gift_cards_spec.json is derived from Square's OpenAPI specification
(github.com/square/connect-api-specification, api.json, release 2025-08-20, commit 5733f66,
Apache-2.0): the request bodies and query parameters of the endpoints below, with every
schema they reach (fields, types, required, enums, lengths), descriptions left out.
Regenerate it with `python -m posapp.square_fake.spec path/to/api.json`.

The validator knows the parts of OpenAPI 3 those schemas use: type, properties, required,
enum, minLength/maxLength, items, $ref, readOnly and nullable.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

ENDPOINTS = {
    ("POST", "/v2/gift-cards/from-gan"): "RetrieveGiftCardFromGANRequest",
    ("POST", "/v2/gift-cards"): "CreateGiftCardRequest",
    ("POST", "/v2/gift-cards/activities"): "CreateGiftCardActivityRequest",
}
QUERIES = [("GET", "/v2/gift-cards/activities")]
ANSWERS = ["RetrieveGiftCardFromGANResponse", "CreateGiftCardResponse",
           "CreateGiftCardActivityResponse", "ListGiftCardActivitiesResponse",
           "RetrieveGiftCardResponse"]  # fmt: skip
KEPT = ("type", "properties", "required", "enum", "minLength", "maxLength", "items", "$ref",
        "readOnly", "nullable", "format")  # fmt: skip


def extract(api: dict[str, Any]) -> dict[str, Any]:
    """The subset of api.json the fake needs."""
    schemas = api["components"]["schemas"]
    kept: dict[str, Any] = {}

    def trim(node: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in node.items() if k in KEPT}
        if "properties" in out:
            out["properties"] = {k: trim(v) for k, v in out["properties"].items()}
        if "items" in out:
            out["items"] = trim(out["items"])
        ref = out.get("$ref")
        if ref:
            visit(ref.rsplit("/", 1)[-1])
        return out

    def visit(name: str) -> None:
        if name not in kept:
            kept[name] = {}
            kept[name] = trim(schemas[name])

    for name in [*ENDPOINTS.values(), *ANSWERS]:
        visit(name)
    queries = {
        f"{method} {path}": {
            p["name"]: trim(p["schema"])
            for p in api["paths"][path][method.lower()]["parameters"]
            if p["in"] == "query"
        }
        for method, path in QUERIES
    }
    version = api["x-fern-global-headers"][0]["type"].split('"')[1]
    return {
        "source": "square/connect-api-specification api.json",
        "square_version": version,
        "bodies": {f"{m} {p}": name for (m, p), name in ENDPOINTS.items()},
        "queries": queries,
        "schemas": kept,
    }


@cache
def spec() -> dict[str, Any]:
    text = resources.files("posapp.square_fake").joinpath("gift_cards_spec.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


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
        schema = spec()["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
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


def validate_body(method: str, path: str, body: object) -> None:
    name = spec()["bodies"][f"{method} {path}"]
    validate(body, {"$ref": f"#/components/schemas/{name}"})


def validate_query(method: str, path: str, query: dict[str, str]) -> None:
    allowed = spec()["queries"][f"{method} {path}"]
    for name, value in query.items():
        if name not in allowed:
            raise Invalid("UNKNOWN_QUERY_PARAMETER", name, f"Unknown query parameter `{name}`")
        kind = allowed[name].get("type")
        if kind == "integer" and not value.isdigit():
            raise Invalid("EXPECTED_INTEGER", name, f"Expected `{name}` to be integer")


def main(argv: list[str] | None = None) -> int:
    source = Path((argv or sys.argv[1:])[0])
    subset = extract(json.loads(source.read_text()))
    out = Path(__file__).with_name("gift_cards_spec.json")
    out.write_text(json.dumps(subset, indent=1, sort_keys=True) + "\n")
    print(f"{out}: {len(subset['schemas'])} schemas, Square-Version {subset['square_version']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
