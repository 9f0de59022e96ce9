"""docs/api.md is the contract; the provider's /openapi.json must say the same: the same
endpoints with the same success status, the same gift and transaction fields, the same
statuses and transaction types."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs  # Schemathesis's own validator (the test extra brings it)
import pytest

from posapp.contract.problems import STATUS
from posapp.provider.app import create_app
from posapp.provider.store import Store

API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('contract') / 'provider.db'}")
    yield create_app(store).openapi()
    store.close()


def section(title: str) -> str:
    text = API_MD.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def table_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows[1:]]


def ticked(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def same_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_endpoints_and_their_success_status(openapi: Any) -> None:
    documented = {}
    for row in table_rows(section("Endpoints")):
        method, path = ticked(row[0])[0].split(" ", 1)
        success = re.match(r"(\d{3})", row[3])
        assert success, row
        documented[(method.lower(), same_path(path))] = success.group(1)
    served = {
        (method, same_path(path)): sorted(s for s in op["responses"] if s < "300")[0]
        for path, ops in openapi["paths"].items()
        for method, op in ops.items()
    }
    assert documented == served


def test_the_gift_and_transaction_fields(openapi: Any) -> None:
    schemas = openapi["components"]["schemas"]
    gift_fields = {
        name.strip() for row in table_rows(section("The gift object")) for name in row[0].split(",")
    }
    assert gift_fields == set(schemas["Gift"]["properties"])
    txn = section("The transaction object")
    braces = re.search(r"`\{([^}]+)\}`", txn.replace("\n", " "))
    assert braces
    assert {f.strip() for f in braces.group(1).split(",")} == set(
        schemas["Transaction"]["properties"]
    )


def enum_of(prop: dict[str, Any]) -> set[str]:
    found: set[str] = set(prop.get("enum", []))
    for option in prop.get("anyOf", []):
        found |= set(option.get("enum", []))
    return found


def test_the_statuses_and_transaction_types(openapi: Any) -> None:
    schemas = openapi["components"]["schemas"]
    gift = section("The gift object")
    status_row = next(r for r in table_rows(gift) if r[0] == "status")
    assert set(ticked(status_row[2])) == enum_of(schemas["Gift"]["properties"]["status"])
    txn = section("The transaction object")
    types = re.search(r"`type` is one of (.+?`)\.\s", txn, re.S)
    assert types
    assert set(ticked(types.group(1))) == enum_of(schemas["Transaction"]["properties"]["type"])


def test_the_readme_links_the_contract_in_the_repository() -> None:
    readme = (API_MD.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/api.md" in readme
    # Never the first draft (../shared/design/api.md) as the contract. The providers' published
    # specs beside the clone (../shared/specs) may be named: the fakes' checks read them.
    assert "../shared/design" not in readme


# --- issue 18 point 5: /openapi.json says all that api.md says ------------------------------


def schema_of(openapi: Any, name: str) -> Any:
    return openapi["components"]["schemas"][name]


def request_body(openapi: Any, path: str, method: str) -> Any:
    ref = openapi["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    ref = next((o for o in ref.get("anyOf", [ref]) if "$ref" in o), ref)
    return schema_of(openapi, ref["$ref"].rsplit("/", 1)[-1])


def valid(openapi: Any, name: str, instance: Any) -> bool:
    document = {"$ref": f"#/components/schemas/{name}", "components": openapi["components"]}
    return bool(jsonschema_rs.validator_for(document).is_valid(instance))


def test_the_error_table_is_the_providers(openapi: Any) -> None:
    documented = {}
    for row in table_rows(section("Errors")):
        for code in row[0].split(" / "):
            documented[code.strip()] = int(row[1])
    assert documented == STATUS


def test_the_idempotency_key_where_api_md_requires_it(openapi: Any) -> None:
    text = " ".join(section("Idempotency").split())
    shape = re.search(r"\((\d+) to (\d+) printable ASCII characters\)", text)
    assert shape
    required = re.search(r"; (.+?) require it\.", text)
    assert required
    named = {"redeem", "reversal", "cash-out", "activation", "issue"}
    assert set(re.split(r", | and ", required.group(1))) == named
    money = {
        ("post", "/v1/gifts/{gift_id}/redemptions"),
        ("post", "/v1/transactions/{txn_id}/reversal"),
        ("post", "/v1/gifts/{gift_id}/cash-out"),
        ("post", "/v1/gift-cards/activations"),
        ("post", "/v1/gift-cards/issues"),
    }
    mutating = {
        (method, path)
        for path, ops in openapi["paths"].items()
        for method in ops
        if method in {"post", "patch", "delete"}
        and path.startswith("/v1")
        and path != "/v1/gifts/validate"  # a lookup: nothing to do twice
    }
    assert money < mutating
    for method, path in mutating:
        params = openapi["paths"][path][method]["parameters"]
        key = next(p for p in params if p["name"] == "Idempotency-Key")
        assert key["in"] == "header"
        assert key["required"] is ((method, path) in money), (method, path)
        schema = key["schema"]
        assert (schema["minLength"], schema["maxLength"]) == tuple(map(int, shape.groups()))
        assert schema["pattern"] == "^[ -~]+$"  # printable ASCII: space to tilde
        assert "anyOf" not in schema  # a header is never JSON null


def test_amounts_have_api_md_bounds(openapi: Any) -> None:
    largest = re.search(r"The largest accepted amount is ([\d,]+)", section("Conventions"))
    assert largest
    top = int(largest.group(1).replace(",", ""))
    floors = {"amount": 1, "quantity": 1, "item_quantity": 1, "balance": 0, "cash_out_max": 0}
    seen = set()
    for name, schema in openapi["components"]["schemas"].items():
        if not name.endswith(("Body", "Create", "Patch", "Configurations")):
            continue  # requests only: answers say what is, not what may be sent
        for field, prop in schema.get("properties", {}).items():
            if field in floors:
                number = next(o for o in prop.get("anyOf", [prop]) if o.get("type") == "integer")
                assert (number["minimum"], number["maximum"]) == (floors[field], top), (name, field)
                seen.add(field)
    assert seen == set(floors)


def test_timestamps_have_their_format(openapi: Any) -> None:
    found = 0
    for schema in openapi["components"]["schemas"].values():
        for field, prop in schema.get("properties", {}).items():
            if field.endswith("_at"):
                text = next(o for o in prop.get("anyOf", [prop]) if o.get("type") == "string")
                assert text["format"] == "date-time", field
                assert "[Zz]" in text["pattern"]
                found += 1
    since = openapi["paths"]["/v1/transactions"]["get"]["parameters"]
    for param in (p for p in since if p["name"] in {"since", "until"}):
        assert param["schema"]["format"] == "date-time"
        found += 1
    assert found > 10


def test_null_only_where_it_means_something(openapi: Any) -> None:
    """The request fields that may be null are the ones whose null api.md gives a meaning
    (no expiry, no limit, no recipient, ...); elsewhere a field may be left out, not null."""
    nullable = {}
    for name, schema in openapi["components"]["schemas"].items():
        if name.endswith(("Body", "Create", "Patch", "Configurations")) or name == "Person":
            for field, prop in schema.get("properties", {}).items():
                nullable[(name, field)] = {"type": "null"} in prop.get("anyOf", [])
    never_null = {
        ("ValidateBody", "code"),
        ("ValidateBody", "public_token"),
        ("ValidateBody", "ticket"),
        ("RedeemBody", "amount"),
        ("RedeemBody", "quantity"),
        ("GiftPatch", "enabled"),
        ("GiftPatch", "code"),
        ("GiftPatch", "balance"),
        ("GiftPatch", "usable_at"),
        ("StoreConfigurations", "cash_out_enabled"),
    }
    for field in never_null:
        assert nullable[field] is False, field
    for field in (("GiftPatch", "expires_at"), ("StoreConfigurations", "cash_out_max")):
        assert nullable[field] is True, field


def test_the_bodies_that_need_one_field_of_two(openapi: Any) -> None:
    assert not valid(openapi, "ValidateBody", {})
    assert not valid(openapi, "ValidateBody", {"ticket": {"total": 1}})
    assert valid(openapi, "ValidateBody", {"code": "GC-1"})
    assert valid(openapi, "ValidateBody", {"public_token": "abc"})
    assert not valid(openapi, "ValidateBody", {"code": "GC-1", "public_token": "abc"})
    assert not valid(openapi, "ValidateBody", {"code": None})
    assert not valid(openapi, "RedeemBody", {"allow_partial": True})
    assert not valid(openapi, "RedeemBody", {"amount": 1, "quantity": 1})
    assert valid(openapi, "RedeemBody", {"amount": 1})
    assert not valid(openapi, "RedeemBody", {"amount": 0})
    assert not valid(openapi, "RedeemBody", {"amount": 100_000_001})
    assert valid(openapi, "GiftCreate", {"code": "A", "balance": 0})
    assert not valid(openapi, "GiftCreate", {"code": "A"})
    assert not valid(openapi, "GiftCreate", {"code": "A", "balance": 5, "item_quantity": 1})
    item = {"code": "A", "kind": "item", "item_label": "Coffee", "item_quantity": 2}
    assert valid(openapi, "GiftCreate", item)
    assert not valid(openapi, "GiftCreate", {**item, "balance": 5})
    assert not valid(openapi, "GiftCreate", {"code": "A", "kind": "item", "item_label": "Tea"})
    assert request_body(openapi, "/v1/gifts/validate", "post") == schema_of(openapi, "ValidateBody")


@pytest.mark.anyio
async def test_every_405_lists_the_methods_in_allow(openapi: Any, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'provider.db'}", pool_size=2)
    transport = httpx.ASGITransport(app=create_app(store))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://provider") as client:
            for path, ops in openapi["paths"].items():
                methods = ", ".join(sorted(m.upper() for m in ops))
                where = path.replace("{gift_id}", "1").replace("{txn_id}", "1")
                answer = await client.put(where)
                assert answer.status_code == 405, path
                assert answer.headers["allow"] == methods, path
                assert answer.json()["code"] == "method_not_allowed"
    finally:
        store.close()
    for path, ops in openapi["paths"].items():
        methods = ", ".join(sorted(m.upper() for m in ops))
        for operation in ops.values():
            allow = operation["responses"]["405"]["headers"]["Allow"]
            assert allow["required"] is True
            assert allow["schema"]["enum"] == [methods]
        if path.startswith("/v1"):
            for operation in ops.values():
                assert operation["security"] == [{"bearer": []}]
