"""Adyen's refusal reasons a gift card meets: `refusalReason` words and `refusalReasonCode`
as docs.adyen.com lists them ("Refusal reasons"). A refusal is HTTP 200: resultCode "Refused"
(Checkout payments; "Failed" for /paymentMethods/balance; "Refused" or "NotEnoughBalance" in
Stored Value) with one of these words. The adapter maps them to the cashier's words; the fake
answers with them."""

from __future__ import annotations

from typing import NamedTuple


class Refusal(NamedTuple):
    code: str  # refusalReasonCode
    reason: str  # refusalReason, Adyen's words


REFUSED = Refusal("2", "Refused")
BLOCKED_CARD = Refusal("5", "Blocked Card")
EXPIRED_CARD = Refusal("6", "Expired Card")
INVALID_AMOUNT = Refusal("7", "Invalid Amount")
INVALID_CARD_NUMBER = Refusal("8", "Invalid Card Number")
NOT_ENOUGH_BALANCE = Refusal("12", "Not enough balance")
CANCELLED = Refusal("15", "Cancelled")
INVALID_PIN = Refusal("17", "Invalid Pin")
PIN_TRIES_EXCEEDED = Refusal("18", "Pin tries exceeded")
TRANSACTION_NOT_PERMITTED = Refusal("23", "Transaction Not Permitted")
CVC_DECLINED = Refusal("24", "CVC Declined")
