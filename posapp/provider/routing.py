"""A leaner FastAPI route for the provider's hot endpoints.

FastAPI still declares these routes, so /openapi.json documents them from the endpoint's
own signature, but the request is parsed here: FastAPI's generic dependency solving was
two fifths of the CPU a redemption cost (benchmarks/provider_throughput.py). The endpoint
signatures these routes take are few and plain, and this class refuses any other kind at
start-up, so it can never quietly skip a parameter:

- a dependency that takes the Request (who is calling), run first, as FastAPI does;
- path and header parameters, validated by pydantic against their declared constraints;
- one JSON body, a pydantic model, required or optional (`Model | None = None`);
- the Request itself (keys.py binds an Idempotency-Key to its method and path).

Errors come out as FastAPI's own RequestValidationError, with FastAPI's locations
(("path", name), ("header", alias), ("body", ...)), so the app's one handler turns them
into problem+json and replays them under an Idempotency-Key exactly as before.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from posapp.core.json_value import JsonValue
from posapp.provider import json_body

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _json_content(content_type: str | None) -> bool:
    # As FastAPI: no Content-Type, application/json, or any application/*+json is JSON.
    if not content_type:
        return True
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def _errors(error: ValidationError, *where: str | int) -> list[dict[str, Any]]:
    return [
        {"type": e["type"], "loc": (*where, *e["loc"]), "msg": e["msg"], "input": e["input"]}
        for e in error.errors(include_url=False)
    ]


class LeanRoute(APIRoute):
    """An APIRoute whose request parsing is written for the provider's endpoint shapes."""

    def get_route_handler(self) -> Handler:
        endpoint = self.endpoint
        hints = typing.get_type_hints(endpoint, include_extras=True)
        dependencies: list[tuple[str, Callable[[Request], Any]]] = []
        paths: list[tuple[str, TypeAdapter[Any]]] = []
        headers: list[tuple[str, str, TypeAdapter[Any], bool]] = []
        requests: list[str] = []
        body: tuple[str, type[BaseModel], bool] | None = None
        for name, parameter in inspect.signature(endpoint).parameters.items():
            hint = hints[name]
            base, *extras = typing.get_args(hint) if typing.get_origin(hint) else (hint,)
            marker = next((e for e in extras if isinstance(e, params.Depends | params.Param)), None)
            if hint is Request:
                requests.append(name)
            elif isinstance(marker, params.Depends) and marker.dependency is not None:
                dependencies.append((name, marker.dependency))
            elif isinstance(marker, params.Path):
                paths.append((name, TypeAdapter(hint)))
            elif isinstance(marker, params.Header):
                alias = marker.alias or name.replace("_", "-")
                required = parameter.default is inspect.Parameter.empty
                headers.append((name, alias, TypeAdapter(hint), required))
            elif marker is None and body is None and (model := _model(base)) is not None:
                body = (name, model, parameter.default is inspect.Parameter.empty)
            else:
                raise TypeError(f"LeanRoute cannot parse parameter {name!r} of {self.path}")

        async def handler(request: Request) -> Response:
            values: dict[str, Any] = dict.fromkeys(requests, request)
            for name, dependency in dependencies:
                values[name] = await dependency(request)
            errors: list[dict[str, Any]] = []
            raw: bytes | None = None
            for name, adapter in paths:
                try:
                    values[name] = adapter.validate_python(request.path_params[name])
                except ValidationError as error:
                    errors += _errors(error, "path", name)
            for name, alias, adapter, required in headers:
                sent = request.headers.get(alias)
                if sent is None and required:
                    errors.append({"type": "missing", "loc": ("header", alias), "msg": "required"})
                    continue
                try:
                    values[name] = adapter.validate_python(sent)
                except ValidationError as error:
                    errors += _errors(error, "header", alias)
            if body is not None:
                name, model, required = body
                raw = await request.body()
                if not raw:
                    values[name] = None
                    if required:
                        errors.append(
                            {"type": "missing", "loc": ("body",), "msg": "Field required"}
                        )
                elif not _json_content(request.headers.get("content-type")):
                    errors.append(
                        {
                            "type": "model_attributes_type",
                            "loc": ("body",),
                            "msg": "Send the body as application/json",
                        }
                    )
                else:
                    values[name], wrong = _parsed(raw, model, required)
                    errors += wrong
            if errors:
                raise RequestValidationError(errors, body=raw)
            if inspect.iscoroutinefunction(endpoint):
                response: Response = await endpoint(**values)
            else:  # a plain function does database work: FastAPI's thread pool, as FastAPI
                response = await run_in_threadpool(endpoint, **values)
            return response

        return handler


def register_id_segment(name: str, *siblings: str) -> None:
    """Paths may then say {gift_id:NAME}: any one segment (the endpoint refuses what is not
    an id, 422) except the name of a route beside it. PATCH /v1/gift-cards/issues is a
    method that route lacks (405, Allow: POST), not a change to a gift card whose id is
    "issues" (Schemathesis). /openapi.json still shows {gift_id}."""
    names = "|".join(re.escape(sibling) for sibling in siblings)

    class IdSegment(StringConvertor):
        regex = f"(?!(?:{names})(?:/|$))[^/]+"

    register_url_convertor(name, IdSegment())


def allowed_methods(routes: Sequence[BaseRoute], path: str) -> str:
    """RFC 9110's Allow for a 405: every method some route answers at this path, as
    /openapi.json lists them (Starlette named only the first route's)."""
    methods = {
        method
        for route in routes
        if isinstance(route, Route) and route.methods and route.path_regex.match(path)
        for method in route.methods
    }
    return ", ".join(sorted(methods))


def _parsed(
    raw: bytes, model: type[BaseModel], required: bool
) -> tuple[BaseModel | None, list[dict[str, Any]]]:
    """The body as the endpoint's model, or the errors. Parsed once, by json_body (which
    refuses what api.md does not take as JSON), then validated as Python values."""
    parsed: JsonValue | bytes
    try:
        parsed = json_body.parse(raw)
    except json_body.Refused as refused:
        return None, [{"type": "value_error", "loc": ("body",), "msg": str(refused)}]
    except ValueError:  # not JSON: pydantic says so in its own words
        parsed = raw
    if parsed is None and not required:  # JSON null for an optional body: no body
        return None, []
    try:
        if isinstance(parsed, bytes):
            return model.model_validate_json(parsed), []
        return model.model_validate(parsed), []
    except ValidationError as error:
        return None, _errors(error, "body")


def _model(annotation: Any) -> type[BaseModel] | None:
    """The model of `Model` or `Model | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        models = [_model(a) for a in typing.get_args(annotation) if a is not type(None)]
        if len(models) == 1:
            return models[0]
    return None
