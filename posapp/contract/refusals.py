"""The refusals api.md gives each call that moves money or changes a card, by (status, code):
each says the provider did nothing ("Errors", "Idempotency", "Voiding a card sold or issued",
"Manager changes").

A client that sent a money call knows from these that nothing happened. Any other answer
(another content type, an unknown code, a status the contract does not give for that call:
what a proxy or load balancer in front of the provider sends) may come after the provider
committed, so its outcome is unknown. request_in_progress is neither: it is asked again.
"""

from __future__ import annotations

Refusal = tuple[int, str]

EVERY_CALL: frozenset[Refusal] = frozenset(
    {
        # The client canceled it (POST /v1/transactions/cancel): it never happens.
        (409, "reference_canceled"),
        (400, "idempotency_key_required"),
        (401, "unauthorized"),
        (403, "forbidden"),
        (413, "payload_too_large"),
        (422, "validation_error"),
    }
)
# By the last segment of the call's path.
MONEY_CALLS: dict[str, frozenset[Refusal]] = {
    "redemptions": EVERY_CALL
    | {
        (404, "not_found"),
        (404, "gift_not_found"),
        (409, "not_redeemable"),
        (422, "invalid_amount"),
        (422, "insufficient_balance"),
    },
    # A void is a reversal too (api.md "Voiding a card sold or issued"): card_used; and a
    # card canceled (or, for a redemption reversed, disabled or cashed out) since is
    # not_redeemable, for a reversal as for a void.
    "reversal": EVERY_CALL
    | {
        (404, "not_found"),
        (409, "already_reversed"),
        (409, "not_reversible"),
        (409, "not_redeemable"),
        (409, "card_used"),
    },
    "cash-out": EVERY_CALL
    | {
        (403, "cash_out_disabled"),
        (404, "not_found"),
        (404, "gift_not_found"),
        (409, "not_redeemable"),
        (422, "cash_out_limit_exceeded"),
    },
    "activations": EVERY_CALL | {(409, "code_taken"), (422, "invalid_amount")},
    "issues": EVERY_CALL | {(422, "invalid_amount")},
}
# A manager's money change (api.md "Manager changes": POST, PATCH or DELETE under
# /v1/gift-cards).
MANAGER_CHANGES: frozenset[Refusal] = EVERY_CALL | {
    (404, "not_found"),
    (409, "code_taken"),
    (409, "not_redeemable"),
    (422, "invalid_amount"),
    (422, "idempotency_key_reused"),
}
