"""Errors as problem+json (api.md "Errors"): domain problems become answers here, at the
edge, and nowhere else."""

import logging
import sqlite3

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from posapp.contract.headers import ALLOW
from posapp.contract.problems import MEDIA_TYPE as PROBLEM
from posapp.contract.problems import type_uri
from posapp.core.json_value import JsonOutObject
from posapp.provider import keys
from posapp.provider.answers import Reply, dumps
from posapp.provider.deps import Deps
from posapp.provider.ledger import Problem
from posapp.provider.replies import answer, problem_response
from posapp.provider.routing import allowed_methods
from posapp.provider.threads import in_thread

log = logging.getLogger("posapp.provider")

AMOUNT_FIELDS = {"amount", "quantity", "balance", "item_quantity", "cash_out_max"}
DAMAGED = "The provider's database is damaged: this request could not be done. Tell the operator"


def install_problem_handlers(app: FastAPI, deps: Deps) -> None:
    store = deps.store

    @app.exception_handler(Problem)
    async def _problem(_request: Request, problem: Problem) -> Response:
        return problem_response(problem)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        missing_key = keys.header_problem(list(exc.errors()))
        if missing_key is not None:
            return problem_response(missing_key)
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"] if p not in {"body", "query", "path"})
                or "body",
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
        code = (  # by the field's own name: store_configurations.cash_out_max too
            "invalid_amount"
            if any(e["field"].rsplit(".", 1)[-1] in AMOUNT_FIELDS for e in errors)
            else "validation_error"
        )
        problem = Problem(
            code,
            "The request is not valid: "
            + "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]),
            errors[:20],
        )
        # api.md replays failed validations too: a key already answered gets that answer,
        # and a new key keeps this one.
        key = request.headers.get("idempotency-key")
        if (
            key
            and request.method in {"POST", "PATCH", "DELETE"}
            and request.url.path.startswith("/v1")
        ):
            try:
                who = await deps.auth.authenticate(request, "terminal")
                if not keys.usable(key):
                    raise problem
                bound = keys.bound_to(request, keys.code_in(request, exc.body))
                stored = await in_thread(store.replay, who.store_id, key, bound)
            except Problem as refused:  # no token, an unusable key, a key for another request
                return problem_response(refused)
            if stored is not None:
                return answer(stored[0], stored[1], True)

            def keep(_conn: Connection) -> Reply:
                raise problem

            status, body, replayed = await in_thread(
                store.idempotent, who.store_id, key, keep, bound
            )
            return answer(status, body, replayed)
        return problem_response(problem)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:
            allowed = allowed_methods(app.routes, request.scope["path"])
            return problem_response(
                Problem(
                    "method_not_allowed",
                    f"That method is not allowed here: use {allowed}",
                    headers={ALLOW: allowed},
                )
            )
        return problem_response(Problem("not_found", "There is nothing at this address"))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        body: JsonOutObject = {
            "type": type_uri("internal_error"),
            "title": "Internal error",
            "status": 500,
            "detail": "Internal error; see the provider's log",
            "code": "internal_error",
        }
        return Response(dumps(body), 500, media_type=PROBLEM)

    @app.exception_handler(sqlite3.DatabaseError)  # the hot path's statements (store.py)
    @app.exception_handler(DBAPIError)  # SQLAlchemy's
    async def _database(request: Request, exc: Exception) -> Response:
        """A damaged database is said once in the log (db_health.py), answered 503 each
        time; any other database error (a full disk) is a 500 as before, its transaction
        rolled back."""
        if deps.health.damaged_by(exc):
            return problem_response(Problem("database_damaged", DAMAGED))
        return await _internal(request, exc)
