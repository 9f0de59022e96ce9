"""The provider's /openapi.json: FastAPI's schema, made to say all that docs/api.md says.

FastAPI documents the endpoints from their signatures and the contract's models (posapp/contract). This adds
what a signature cannot say: every error as problem+json, the bearer token, the `Allow`
header of a 405, the `Idempotent-Replayed` header of a replay, and no `null` for a header
or query parameter (neither can be JSON null: leaving it out is how it is not given).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from posapp.contract import problems
from posapp.contract.headers import ALLOW, IDEMPOTENT_REPLAYED
from posapp.contract.problems import MEDIA_TYPE as PROBLEM

API_ERRORS = ["401", "403", "404", "405", "409", "422", "429", "500", "503"]
BODY_ERRORS = ["400", "413"]  # a missing Idempotency-Key; a body over the limit

# OpenAPI links: which answer gives the id another call takes (a client, or Schemathesis's
# stateful phase, can follow them). (path, method, status, where the id is) -> the calls.
GIFT_CALLS = [
    ("/v1/gifts/{gift_id}/redemptions", "post"),
    ("/v1/gifts/{gift_id}/cash-out", "post"),
    ("/v1/gift-cards/{gift_id}", "get"),
    ("/v1/gift-cards/{gift_id}", "patch"),
    ("/v1/gift-cards/{gift_id}", "delete"),
]
LINKS = {
    ("/v1/gift-cards", "post", "201"): ("gift_id", "#/id", GIFT_CALLS),
    ("/v1/gift-cards/activations", "post", "201"): ("gift_id", "#/gift/id", GIFT_CALLS),
    ("/v1/gift-cards/issues", "post", "201"): ("gift_id", "#/gift/id", GIFT_CALLS),
    ("/v1/gifts/validate", "post", "200"): ("gift_id", "#/gift/id", GIFT_CALLS),
    ("/v1/gifts/{gift_id}/redemptions", "post", "201"): (
        "txn_id",
        "#/transaction/id",
        [("/v1/transactions/{txn_id}/reversal", "post")],
    ),
    ("/v1/gifts/{gift_id}/cash-out", "post", "201"): (
        "txn_id",
        "#/transaction/id",
        [("/v1/transactions/{txn_id}/reversal", "post")],
    ),
}


def openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema with the rest of api.md (built once, then kept)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["ProblemDetails"] = problems.ProblemDetails.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    schemas["FieldProblem"] = problems.FieldProblem.model_json_schema()
    schemas["ProblemDetails"].pop("$defs", None)
    # api.md "Authentication and scopes": every /v1 request carries a bearer token.
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "a store's token: `terminal` scope, or `admin` for gift card "
            "CRUD and the config update (api.md)",
        }
    }
    for path, methods in schema["paths"].items():
        allowed = ", ".join(sorted(method.upper() for method in methods))
        for method, operation in methods.items():
            _document(path, method, operation, allowed)
    app.openapi_schema = schema
    return schema


def _document(path: str, method: str, operation: dict[str, Any], allowed: str) -> None:
    ref = {"$ref": "#/components/schemas/ProblemDetails"}
    api = path.startswith("/v1")
    if api:
        operation["security"] = [{"bearer": []}]
    for parameter in operation.get("parameters", []):
        if parameter["in"] in {"header", "query"}:
            parameter["schema"] = _without_null(parameter["schema"])
    responses = operation["responses"]
    responses.pop("422", None)
    statuses = API_ERRORS if api else ["405", "500"]
    if path == "/healthz":  # db_health.py: a damaged database is reported, not a problem
        responses["503"] = {
            "description": "The database was found damaged",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}},
        }
    if method != "get" and api:
        statuses = statuses + BODY_ERRORS
    for status in statuses:
        responses[status] = {
            "description": "A problem (RFC 9457)",
            "content": {PROBLEM: {"schema": ref}},
        }
    # RFC 9110 section 15.5.6: a 405 says which methods the path has.
    responses["405"]["headers"] = {
        ALLOW: {
            "required": True,
            "schema": {"type": "string", "enum": [allowed]},
            "description": "the methods this path answers",
        }
    }
    for (linked, way, status), (name, pointer, calls) in LINKS.items():
        if (linked, way) == (path, method):
            responses[status]["links"] = {
                f"{to.upper()} {target}": {
                    "operationRef": "#/paths/" + target.replace("/", "~1") + "/" + to,
                    "parameters": {name: f"$response.body{pointer}"},
                }
                for target, to in calls
            }
    if method != "get" and api:
        for good in responses.values():
            good.setdefault("headers", {})[IDEMPOTENT_REPLAYED] = {
                "schema": {"type": "string", "enum": ["true"]},
                "description": "present when this answer replays an earlier one",
            }


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    options = schema.get("anyOf")
    if not options:
        return schema
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) != 1:
        return schema
    rest = {name: value for name, value in schema.items() if name != "anyOf"}
    return {**kept[0], **rest}
