"""Loaded by `st run` in tests/provider/test_openapi.py (SCHEMATHESIS_HOOKS): what a fuzzer
cannot know from /openapi.json alone, said once here.

- A till sends a fresh Idempotency-Key with every request (api.md "Idempotency"). Keys the
  fuzzer draws repeat ("0", "A"), and a key repeated on another request is refused as
  reused (422), which would hide what the request itself does. A drawn key that is a valid
  key is replaced by a fresh one, still valid; an invalid one is kept (it is the point of
  its negative case).
- Schema-valid requests that api.md refuses anyway, for what JSON Schema cannot say (a
  balance too small for the amount, a quantity for a monetary card, an expiry before the
  card is usable, a key reused): positive_data_acceptance takes 422 (schemathesis.toml),
  and this module's check then requires that a 422 to a schema-valid request is one of
  those rules, so a 422 for a field's mere form (what /openapi.json should have said) still
  fails the run.
"""

from __future__ import annotations

import itertools
import re
import uuid
from typing import Any

import schemathesis
from schemathesis import GenerationMode

KEY = re.compile(r"[ -~]{1,255}")  # api.md: 1 to 255 printable ASCII characters
_fresh = itertools.count(1)
_RUN = uuid.uuid4().hex[:8]  # keys of another run against the same database differ too

# api.md's 422s that depend on what is stored, not on the request's form.
LEDGER_CODES = frozenset(
    {"insufficient_balance", "cash_out_limit_exceeded", "idempotency_key_reused"}
)
LEDGER_MESSAGES = frozenset(
    {
        "required for this kind of gift card",  # amount for an item gift, or quantity
        "must be after usable_at",  # with the card's stored usable_at, or both given
        "already passed",  # an activation's expiry, against the provider's clock
        "outside the years 0001 to 9999 in UTC",  # an offset that crosses either end
    }
)


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and KEY.fullmatch(key.strip()):
        case.headers["Idempotency-Key"] = f"st-{_RUN}-{next(_fresh)}"


@schemathesis.check
def refused_only_by_ledger_rules(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request answered 422 was refused by a rule of the ledger."""
    meta = case.meta
    if meta is None or meta.generation.mode is not GenerationMode.POSITIVE:
        return None
    if response.status_code != 422:
        return None
    problem = response.json()
    if problem.get("code") in LEDGER_CODES:
        return None
    messages = {error.get("message") for error in problem.get("errors", [])}
    if messages and messages <= LEDGER_MESSAGES:
        return None
    if "is not a real date and time" in problem.get(
        "detail", ""
    ):  # 23:59:60: RFC 3339's leap second
        return None
    raise AssertionError(
        f"A request /openapi.json calls valid was refused for its form: {problem.get('detail')}"
    )
