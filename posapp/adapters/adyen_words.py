"""Adyen's no's in the cashier's and the manager's words: the pure half of the Adyen adapter
(posapp/adapters/adyen.py).

Adyen says no two ways (docs.adyen.com "Refusal reasons", "Response handling"):
- a decline: HTTP 200 with a `resultCode` (Refused, NotEnoughBalance, Failed, Error...) and a
  `refusalReason` in Adyen's words ("Blocked Card", "Invalid Pin"), a Checkout payment also a
  `refusalReasonCode`. Nothing moved; it becomes `Declined` with our code and words;
- an error: a `ServiceError` {status, errorCode, message, errorType} with a 4xx (what the
  manager fixes: the key, the merchant account, the config) or a 5xx/429 (retried with the
  same key, as the other adapters do, and left unknown past the deadline).
"""

from __future__ import annotations

import json
from typing import Literal

from posapp.adapters.bounded_http import Answer
from posapp.core.card_brands import Brand
from posapp.core.gift import UNKNOWN_CARD
from posapp.i18n import N_, _
from posapp.terminal.ports import Declined, PinNeeded

WRONG_PIN = N_("The PIN is wrong: ask the customer to type it again")
ITEMS = N_("Adyen's gift cards hold money, not items")
NO_LIST = N_(
    "Adyen keeps no list of a till's transactions to compare the shift with: compare it "
    "with Adyen's Customer Area (Transactions, Payments)"
)
# Adyen's refusalReasonCode (Checkout) and refusalReason (both APIs, lower-cased) -> our code
# and the words the cashier reads. The codes are api.md's where one fits, so the till's own
# rules (a card not sold yet may be sold; "insufficient_balance") work as with the others.
REFUSALS: dict[str, tuple[str, str]] = {
    "invalid card number": ("gift_not_found", UNKNOWN_CARD),
    "unknown card": ("gift_not_found", UNKNOWN_CARD),
    "blocked card": (
        "blocked",
        N_("This card is blocked and cannot be used: the customer asks the card's issuer why"),
    ),
    "expired card": ("expired", N_("This card has expired: it cannot be used")),
    "invalid pin": ("wrong_pin", WRONG_PIN),
    "cvc declined": ("wrong_pin", WRONG_PIN),
    "transaction not permitted": (
        "not_permitted",
        N_("The card's issuer does not allow this on this card now: check the card (F4)"),
    ),
    "pin tries exceeded": (
        "pin_tries_exceeded",
        N_("Too many wrong PINs: the card is locked for now; the customer asks the card's issuer"),
    ),
    "pin validation not possible": (
        "pin_not_checked",
        N_("The card's issuer could not check the PIN just now: try again in a moment"),
    ),
    "not enough balance": (
        "insufficient_balance",
        N_("The card does not have that much left: check it again"),
    ),
    "not supported": (
        "not_supported",
        N_("The card's issuer does not allow this with this card: take another way to pay"),
    ),
    "invalid amount": ("invalid_amount", N_("Adyen refused the amount: check it and try again")),
    "cancelled": ("canceled", N_("Adyen canceled this transaction: nothing was charged")),
}
REASON_CODES = {
    "5": "blocked card",
    "6": "expired card",
    "8": "invalid card number",
    "10": "not supported",
    "12": "not enough balance",
    "17": "invalid pin",
    "18": "pin tries exceeded",
    "19": "pin validation not possible",
    "23": "transaction not permitted",
    "24": "cvc declined",
}
# A card that is not active, in the card issuer's own words (Stored Value's
# thirdPartyRefusalReason beside Adyen's "Transaction Not Permitted"): never sold (it may be
# sold), or closed for good (deactivated: Adyen's end state).
NOT_SOLD = ("not activated", "not active", "never activated")
CLOSED = ("deactivated",)
CardState = Literal["active", "not_sold", "closed"]


def pin_needed(brand: Brand) -> PinNeeded:
    """The card's PIN is needed and none was given: said before any call, and the till asks
    the customer for it (contract: PinNeeded, code "pin_needed")."""
    said = _("This {brand} card needs its PIN: ask the customer to type it")
    return PinNeeded(said.format(brand=brand.words))


def card_state(reason: str | None, issuer_said: str | None) -> CardState | None:
    """What a refusal says of the card's state, or None when it says another thing."""
    said = f"{reason or ''} {issuer_said or ''}".strip().lower()
    if any(word in said for word in CLOSED):
        return "closed"
    if any(word in said for word in NOT_SOLD) or said == "inactive":
        return "not_sold"
    return None


def refused(result: str, reason: str | None, reason_code: str | None = None) -> Declined:
    """A 200 that is a no, as Declined: our code and the cashier's words."""
    said = (reason or "").strip().lower()
    if result == "NotEnoughBalance":
        said = "not enough balance"
    if result == "Cancelled":
        said = "cancelled"
    said = REASON_CODES.get(reason_code or "", said)
    if said in REFUSALS:
        code, words = REFUSALS[said]
        words = _(words)
    else:
        shown = (reason or result or _("no reason given"))[:80]
        code = "refused"
        words = _("Adyen refused the card ({reason}): take another way to pay").format(reason=shown)
    return Declined(words, code, {"resultCode": result, "refusalReason": reason})


def service_error(answer: Answer) -> dict[str, object] | None:
    """Adyen's ServiceError as it came, or None when the answer is not one (a proxy's page)."""
    if answer.media_type != "application/json":
        return None
    try:
        body = json.loads(answer.content)
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("errorCode"), str):
        return None
    return body


def error_words(status: int, error: dict[str, object] | None, merchant_account: str) -> Declined:
    """A 4xx in words that say what the manager fixes; nothing was done."""
    code = str((error or {}).get("errorCode") or status)
    message = str((error or {}).get("message") or "")[:120]
    problem = {"status": status, **(error or {})}
    if status == 401:
        return Declined(
            _(
                "Adyen refused this till's API key: the manager stores the key with "
                "`posapp set-token` (or POSAPP_PROVIDER_TOKEN)"
            ),
            "unauthorized",
            problem,
        )
    if status == 403:
        said = _(
            "Adyen's API key may not do this for merchant account {account}: check "
            "[provider] merchant_account, and the key's roles in Adyen's Customer Area"
        )
        return Declined(
            said.format(account=merchant_account),
            "forbidden",
            problem,
        )
    if status == 404:
        return Declined(
            _("Adyen does not know this address: check [provider] url and stored_value_url"),
            "not_found",
            problem,
        )
    if status == 429:  # a read is not retried (ProviderHttp): said, to try again
        return Declined(
            _("Adyen is busy (too many requests): try again in a moment"), "rate_limited", problem
        )
    said = f"{code}: {message}" if message else code
    refused = _(
        "Adyen refused the request ({said}): nothing was done; the manager checks the "
        "[provider] settings"
    )
    return Declined(
        refused.format(said=said),
        "adyen_refused",
        problem,
    )


# The Adyen adapter's own refusals before or instead of a call (posapp/adapters/adyen.py).
def by_number() -> str:
    return _("Adyen finds cards by their number: use a pattern with {setting}").format(
        setting='lookup = "code"'
    )


def no_call(operation: str) -> str:
    return _("Adyen has no call for a {operation}").format(operation=operation.replace("_", " "))


def unknown_to_sell() -> str:
    return _("Adyen does not know this card: its issuer has no such card to sell; use another card")


def sold_or_closed() -> str:
    return _("This card was already sold, or closed: use another card")


def no_issue(brand: Brand) -> str:
    said = _("Adyen does not issue new cards for {brand} cards: refund another way")
    return said.format(brand=brand.words)


def no_void(brand: Brand) -> str:
    said = _(
        "Adyen does not void a card sold or issued for {brand} cards: the customer spends the "
        "card, or the manager changes it in Adyen's Customer Area"
    )
    return said.format(brand=brand.words)


def used_since(shown: str, sold: str) -> str:
    said = _(
        "The card was used after it was sold (it holds {shown} of {sold}): it cannot be voided"
    )
    return said.format(shown=shown, sold=sold)
