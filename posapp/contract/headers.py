"""The headers api.md gives a meaning ("Idempotency", "Errors", "Authentication")."""

from __future__ import annotations

# Every mutating call may carry one; redeem, reversal, cash-out, activation and issue must.
IDEMPOTENCY_KEY = "Idempotency-Key"
# "true" on an answer replayed for a key seen before.
IDEMPOTENT_REPLAYED = "Idempotent-Replayed"
# Seconds to wait, with request_in_progress and rate_limited.
RETRY_AFTER = "Retry-After"
# A 405 lists the methods the path has.
ALLOW = "Allow"
# "Bearer <token>" on every /v1 request.
AUTHORIZATION = "Authorization"
