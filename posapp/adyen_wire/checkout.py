"""Checkout API (v71 paths; the shapes of the published v72 subset): a gift card spent as a
payment, its balance, and the ways a payment is undone."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from posapp.adyen_wire.base import Amount, Answer, JsonObject, Request

# Paths under the Checkout base (`[provider] url`, e.g. https://checkout-test.adyen.com/v71).
PAYMENTS = "/payments"
BALANCE = "/paymentMethods/balance"
CANCELS = "/cancels"  # a payment cancelled by its merchant reference


def reversals(psp_reference: str) -> str:
    return f"/payments/{psp_reference}/reversals"


def refunds(psp_reference: str) -> str:
    return f"/payments/{psp_reference}/refunds"


def cancels(psp_reference: str) -> str:
    return f"/payments/{psp_reference}/cancels"


ShopperInteraction = Literal["Ecommerce", "ContAuth", "Moto", "POS"]
# A till has no web page to come back to; the schema requires `returnUrl` on /payments all
# the same. An app's own scheme is what Adyen's description asks of an app ("my-app://").
RETURN_URL = "posapp://till"


class GiftCardDetails(Request):
    """Adyen's card details for a gift card: `cvc` is the card's PIN (or security code) where
    the brand has one. Neither the number nor the PIN is in the model's repr (logs)."""

    type: Literal["giftcard"] = "giftcard"
    brand: str
    number: str = Field(repr=False)
    cvc: str | None = Field(default=None, repr=False)


class PaymentRequest(Request):
    amount: Amount
    merchantAccount: str
    paymentMethod: GiftCardDetails
    reference: str = Field(max_length=80)  # the merchant reference: our idempotency key
    returnUrl: str = Field(default=RETURN_URL, max_length=1024)
    store: str | None = Field(default=None, min_length=1, max_length=64)
    shopperInteraction: ShopperInteraction | None = None
    merchantOrderReference: str | None = None


class CheckoutOrder(Answer):
    """The order a partial payment opens (Adyen's CheckoutOrderResponse)."""

    pspReference: str
    reference: str | None = None
    amount: Amount | None = None
    remainingAmount: Amount | None = None
    orderData: str | None = None
    expiresAt: str | None = None


class ResponsePaymentMethod(Answer):
    brand: str | None = None
    type: str | None = None


class PaymentResponse(Answer):
    """A payment's outcome. A refusal is HTTP 200 with `resultCode` "Refused" and a
    `refusalReason` in Adyen's words ("Not enough balance", "Blocked Card", ...)."""

    resultCode: str
    pspReference: str | None = None
    refusalReason: str | None = None
    refusalReasonCode: str | None = None
    merchantReference: str | None = None
    amount: Amount | None = None
    order: CheckoutOrder | None = None
    paymentMethod: ResponsePaymentMethod | None = None
    additionalData: dict[str, str] | None = None


class BalanceCheckRequest(Request):
    """POST /paymentMethods/balance: the schema requires an amount (0 asks the balance only)."""

    amount: Amount
    merchantAccount: str
    paymentMethod: GiftCardDetails
    reference: str | None = None
    store: str | None = Field(default=None, min_length=1, max_length=16)
    shopperInteraction: ShopperInteraction | None = None


class BalanceCheckResponse(Answer):
    """resultCode: Success, NotEnoughBalance (below the amount asked) or Failed."""

    resultCode: str
    balance: Amount
    pspReference: str | None = None
    refusalReason: str | None = None
    transactionLimit: Amount | None = None


class PaymentReversalRequest(Request):
    merchantAccount: str
    reference: str | None = None


class PaymentCancelRequest(Request):
    merchantAccount: str
    reference: str | None = None


class PaymentRefundRequest(Request):
    amount: Amount
    merchantAccount: str
    reference: str | None = None
    store: str | None = None
    merchantRefundReason: (
        Literal["FRAUD", "CUSTOMER REQUEST", "RETURN", "DUPLICATE", "OTHER"] | None
    ) = None


class StandalonePaymentCancelRequest(Request):
    """POST /cancels: the payment named by its merchant reference (`paymentReference`), for a
    payment whose pspReference never reached us."""

    merchantAccount: str
    paymentReference: str
    reference: str | None = None


class ModificationAnswer(Answer):
    """What every modification answers: received, not yet done (Adyen confirms it later by
    webhook; the status is always "received")."""

    merchantAccount: str
    pspReference: str
    status: Literal["received"] = "received"
    reference: str | None = None


class PaymentReversalResponse(ModificationAnswer):
    paymentPspReference: str


class PaymentCancelResponse(ModificationAnswer):
    paymentPspReference: str


class PaymentRefundResponse(ModificationAnswer):
    paymentPspReference: str
    amount: Amount
    store: str | None = None


class StandalonePaymentCancelResponse(ModificationAnswer):
    paymentReference: str


class ServiceError(Answer):
    """An error (HTTP 4xx or 5xx): Adyen's errorCode ("000", "010", "14_007"...), its
    message, and errorType (validation, security, configuration, internal)."""

    status: int
    errorCode: str
    message: str
    errorType: str
    pspReference: str | None = None
    additionalData: dict[str, str] | None = None


def service_error(status: int, code: str, message: str, kind: str) -> JsonObject:
    return ServiceError(status=status, errorCode=code, message=message, errorType=kind).wire()
