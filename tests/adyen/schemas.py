"""Adyen's published schemas (../shared/specs/adyen/), for tests: a JSON value checked against
one of them with jsonschema, every `$ref` resolved inside its own file (OpenAPI 3.1's schemas
are JSON Schema 2020-12)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from posapp.adyen_fake.app import CHECKOUT, STORED_VALUE, Exchange
from posapp.published_specs import published
from tests.helpers import need_specs

__all__ = [
    "FILES",
    "errors",
    "need_specs",
    "operation",
    "schema_of",
    "spec_path",
    "traffic_problems",
]

FILES = {"checkout": "adyen/checkout-openapi.json", "storedvalue": "adyen/storedvalue-openapi.json"}


@cache
def _registry() -> Registry:
    registry: Registry = Registry()
    for api, name in FILES.items():
        spec = published(name)
        assert spec is not None, f"../shared/specs/{name} is missing"
        registry = registry.with_resource(f"urn:{api}", Resource.from_contents(spec, DRAFT202012))
    return registry


def errors(api: str, schema: str, value: object) -> list[str]:
    """What the schema `components/schemas/<schema>` of `api` finds wrong with value."""
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"urn:{api}#/components/schemas/{schema}"}, registry=_registry()
    )
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator.iter_errors(value)
    ]


def schema_of(api: str, schema: str) -> dict[str, object]:
    spec = published(FILES[api])
    assert spec is not None
    components = spec["components"]
    assert isinstance(components, dict)
    found = components["schemas"][schema]
    assert isinstance(found, dict)
    return found


def operation(api: str, method: str, path: str) -> tuple[str, dict[int, str]]:
    """(request schema, {status: answer schema}) of one operation of the spec."""
    spec = published(FILES[api])
    assert spec is not None
    paths = spec["paths"]
    assert isinstance(paths, dict)
    op = paths[path][method.lower()]

    def name(content: dict[str, dict[str, dict[str, str]]]) -> str:
        return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]

    answers = {int(s): name(r["content"]) for s, r in op["responses"].items() if "content" in r}
    return name(op["requestBody"]["content"]), answers


def spec_path(path: str) -> tuple[str, str]:
    """(api, the spec's path) of a path the fake Adyen served."""
    if path.startswith(CHECKOUT):
        rest = path[len(CHECKOUT) :]
        return "checkout", re.sub(r"^/payments/[^/]+/", "/payments/{paymentPspReference}/", rest)
    assert path.startswith(STORED_VALUE), path
    return "storedvalue", path[len(STORED_VALUE) :]


def traffic_problems(seen: Iterable[Exchange], *, skip_request: str = "") -> list[str]:
    """What Adyen's schemas find wrong in recorded exchanges: each request against its
    operation's request schema (but those holding the field `skip_request`, sent wrong on
    purpose), each answer against the schema of its HTTP status, which the spec must list."""
    problems = []
    for path, body, status, answer in seen:
        api, where = spec_path(path)
        request_schema, answer_schemas = operation(api, "POST", where)
        if not (skip_request and isinstance(body, dict) and skip_request in body):
            problems += [f"{path} request: {e}" for e in errors(api, request_schema, body)]
        if status not in answer_schemas:
            problems.append(f"{path}: HTTP {status} is not an answer the spec lists")
            continue
        problems += [
            f"{path} {status} answer: {e}" for e in errors(api, answer_schemas[status], answer)
        ]
    return problems
