"""The provider's HTTP answers: a kept answer, a problem as problem+json (api.md "Errors")."""

from fastapi.responses import Response

from posapp.contract.headers import IDEMPOTENT_REPLAYED, RETRY_AFTER
from posapp.contract.problems import MEDIA_TYPE as PROBLEM
from posapp.provider.answers import dumps
from posapp.provider.ledger import Problem


def rate_limited(wait: int | None) -> None:
    """api.md: 429 while the token has had too many unknown codes in the window."""
    if wait is not None:
        raise Problem(
            "rate_limited",
            f"Too many unknown codes: try again in {wait} s",
            headers={RETRY_AFTER: str(wait)},
            extra={"retry_after": wait},
        )


def problem_response(problem: Problem) -> Response:
    return Response(
        dumps(problem.body()), problem.status, headers=problem.headers, media_type=PROBLEM
    )


def answer(status: int, body: bytes, replayed: bool = False) -> Response:
    headers = {IDEMPOTENT_REPLAYED: "true"} if replayed else None
    if status == 204:
        return Response(status_code=204, headers=headers)
    media = PROBLEM if status >= 400 else "application/json"
    return Response(body, status, headers=headers, media_type=media)
