"""api.md "Errors": every error is application/problem+json (RFC 9457) with a `code`; the
code decides the status."""

from __future__ import annotations

from pydantic import BaseModel

MEDIA_TYPE = "application/problem+json"

# code -> HTTP status, as api.md's table says.
STATUS = {
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "gift_not_found": 404,
    "method_not_allowed": 405,
    "idempotency_key_required": 400,
    "idempotency_key_reused": 422,
    "validation_error": 422,
    "invalid_amount": 422,
    "insufficient_balance": 422,
    "cash_out_limit_exceeded": 422,
    "not_redeemable": 409,
    "already_reversed": 409,
    "not_reversible": 409,
    "card_used": 409,
    "code_taken": 409,
    "request_in_progress": 409,
    "reference_canceled": 409,
    "cash_out_disabled": 403,
    "rate_limited": 429,
    "payload_too_large": 413,
    "database_damaged": 503,
}
TITLES = {
    "unauthorized": "Unauthorized",
    "forbidden": "Forbidden",
    "not_found": "Not found",
    "gift_not_found": "Gift card not found",
    "method_not_allowed": "Method not allowed",
    "idempotency_key_required": "Idempotency-Key required",
    "idempotency_key_reused": "Idempotency-Key used for another request",
    "validation_error": "Invalid request",
    "invalid_amount": "Invalid amount",
    "insufficient_balance": "Insufficient balance",
    "cash_out_limit_exceeded": "Cash-out limit exceeded",
    "not_redeemable": "Not redeemable",
    "already_reversed": "Already reversed",
    "not_reversible": "Not reversible",
    "card_used": "Card used since",
    "code_taken": "Code taken",
    "request_in_progress": "Request in progress",
    "reference_canceled": "Movement canceled",
    "cash_out_disabled": "Cash-out disabled",
    "rate_limited": "Too many unknown codes",
    "payload_too_large": "Body too large",
    "database_damaged": "Database damaged",
}


def type_uri(code: str) -> str:
    """A problem's `type`: one URI per code."""
    return f"urn:posapp:problem:{code}"


class FieldProblem(BaseModel):
    field: str
    message: str


class ProblemDetails(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldProblem] | None = None
