"""docs/api.md is the contract; the provider's /openapi.json must say the same: the same
endpoints with the same success status, the same gift and transaction fields, the same
statuses and transaction types."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

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
    assert "../shared" not in readme
