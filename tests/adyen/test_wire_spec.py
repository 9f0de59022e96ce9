"""Our Adyen wire models (posapp/adyen_wire) held to Adyen's published schemas
(../shared/specs/adyen/, jsonschema): a request a model builds is valid for the operation's
request schema, an answer it builds for the answer schema, and a model has no field the schema
does not name and sends every field the schema requires."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from posapp.adyen_wire import checkout as co
from posapp.adyen_wire import stored_value as sv
from posapp.adyen_wire.base import Amount
from tests.adyen.schemas import errors, need_specs, schema_of

pytestmark = pytest.mark.usefixtures("specs")


@pytest.fixture
def specs() -> None:
    need_specs()


USD = Amount(currency="USD", value=1250)
CARD = co.GiftCardDetails(brand="givex", number="6036280000000000001", cvc="1234")
SV_CARD = sv.StoredValueCard(type="givex", number="6036280000000000001", securityCode="1234")
KEY = "posapp-7f3c2a"

# (api, schema, the fullest message our model makes, the smallest)
REQUESTS: list[tuple[str, str, BaseModel, BaseModel]] = [
    (
        "checkout",
        "PaymentRequest",
        co.PaymentRequest(
            amount=USD,
            merchantAccount="ShopAccount",
            paymentMethod=CARD,
            reference=KEY,
            store="ST-001",
            shopperInteraction="POS",
            merchantOrderReference="sale-1",
        ),
        co.PaymentRequest(
            amount=USD,
            merchantAccount="ShopAccount",
            paymentMethod=co.GiftCardDetails(brand="svs", number="1"),
            reference=KEY,
        ),
    ),
    (
        "checkout",
        "BalanceCheckRequest",
        co.BalanceCheckRequest(
            amount=USD,
            merchantAccount="ShopAccount",
            paymentMethod=CARD,
            reference=KEY,
            store="ST-001",
            shopperInteraction="POS",
        ),
        co.BalanceCheckRequest(
            amount=Amount(currency="EUR", value=0),
            merchantAccount="ShopAccount",
            paymentMethod=co.GiftCardDetails(brand="givex", number="1"),
        ),
    ),
    (
        "checkout",
        "PaymentReversalRequest",
        co.PaymentReversalRequest(merchantAccount="ShopAccount", reference=KEY),
        co.PaymentReversalRequest(merchantAccount="ShopAccount"),
    ),
    (
        "checkout",
        "PaymentCancelRequest",
        co.PaymentCancelRequest(merchantAccount="ShopAccount", reference=KEY),
        co.PaymentCancelRequest(merchantAccount="ShopAccount"),
    ),
    (
        "checkout",
        "PaymentRefundRequest",
        co.PaymentRefundRequest(
            amount=USD,
            merchantAccount="ShopAccount",
            reference=KEY,
            store="ST-001",
            merchantRefundReason="RETURN",
        ),
        co.PaymentRefundRequest(amount=USD, merchantAccount="ShopAccount"),
    ),
    (
        "checkout",
        "StandalonePaymentCancelRequest",
        co.StandalonePaymentCancelRequest(
            merchantAccount="ShopAccount", paymentReference=KEY, reference="cancel-" + KEY
        ),
        co.StandalonePaymentCancelRequest(merchantAccount="ShopAccount", paymentReference=KEY),
    ),
    (
        "storedvalue",
        "StoredValueIssueRequest",
        sv.StoredValueIssueRequest(
            merchantAccount="ShopAccount",
            reference=KEY,
            paymentMethod=sv.StoredValueCard(type="givex"),
            amount=USD,
            store="ST-001",
            shopperInteraction="POS",
        ),
        sv.StoredValueIssueRequest(
            merchantAccount="ShopAccount",
            reference=KEY,
            paymentMethod=sv.StoredValueCard(type="givex"),
        ),
    ),
    (
        "storedvalue",
        "StoredValueStatusChangeRequest",
        sv.StoredValueStatusChangeRequest(
            merchantAccount="ShopAccount",
            reference=KEY,
            paymentMethod=SV_CARD,
            status="active",
            amount=USD,
            store="ST-001",
            shopperInteraction="POS",
        ),
        sv.StoredValueStatusChangeRequest(
            merchantAccount="ShopAccount", reference=KEY, paymentMethod=SV_CARD, status="inactive"
        ),
    ),
    (
        "storedvalue",
        "StoredValueLoadRequest",
        sv.StoredValueLoadRequest(
            merchantAccount="ShopAccount",
            reference=KEY,
            paymentMethod=SV_CARD,
            amount=USD,
            loadType="merchandiseReturn",
            store="ST-001",
            shopperInteraction="POS",
        ),
        sv.StoredValueLoadRequest(
            merchantAccount="ShopAccount", reference=KEY, paymentMethod=SV_CARD, amount=USD
        ),
    ),
    (
        "storedvalue",
        "StoredValueBalanceCheckRequest",
        sv.StoredValueBalanceCheckRequest(
            merchantAccount="ShopAccount",
            reference=KEY,
            paymentMethod=SV_CARD,
            amount=USD,
            store="ST-001",
            shopperInteraction="POS",
        ),
        sv.StoredValueBalanceCheckRequest(
            merchantAccount="ShopAccount", reference=KEY, paymentMethod=SV_CARD
        ),
    ),
    (
        "storedvalue",
        "StoredValueVoidRequest",
        sv.StoredValueVoidRequest(
            merchantAccount="ShopAccount",
            originalReference="PSP0001",
            reference=KEY,
            store="ST-001",
            tenderReference="T1",
            uniqueTerminalId="till-1",
        ),
        sv.StoredValueVoidRequest(merchantAccount="ShopAccount", originalReference="PSP0001"),
    ),
]

ANSWERS: list[tuple[str, str, BaseModel, BaseModel]] = [
    (
        "checkout",
        "PaymentResponse",
        co.PaymentResponse(
            resultCode="Refused",
            pspReference="PSP0001",
            refusalReason="Not enough balance",
            refusalReasonCode="12",
            merchantReference=KEY,
            amount=USD,
            order=co.CheckoutOrder(
                pspReference="PSP0002",
                reference=KEY,
                amount=USD,
                remainingAmount=Amount(currency="USD", value=0),
                orderData="opaque",
                expiresAt="2026-12-06T06:00:00Z",
            ),
            paymentMethod=co.ResponsePaymentMethod(brand="givex", type="giftcard"),
            additionalData={"cardSummary": "0001"},
        ),
        co.PaymentResponse(resultCode="Authorised"),
    ),
    (
        "checkout",
        "BalanceCheckResponse",
        co.BalanceCheckResponse(
            resultCode="NotEnoughBalance",
            balance=USD,
            pspReference="PSP0001",
            refusalReason="Not enough balance",
            transactionLimit=USD,
        ),
        co.BalanceCheckResponse(resultCode="Success", balance=USD),
    ),
    (
        "checkout",
        "PaymentReversalResponse",
        co.PaymentReversalResponse(
            merchantAccount="ShopAccount",
            pspReference="PSP0003",
            paymentPspReference="PSP0001",
            reference=KEY,
        ),
        co.PaymentReversalResponse(
            merchantAccount="ShopAccount", pspReference="PSP0003", paymentPspReference="PSP0001"
        ),
    ),
    (
        "checkout",
        "PaymentCancelResponse",
        co.PaymentCancelResponse(
            merchantAccount="ShopAccount",
            pspReference="PSP0003",
            paymentPspReference="PSP0001",
            reference=KEY,
        ),
        co.PaymentCancelResponse(
            merchantAccount="ShopAccount", pspReference="PSP0003", paymentPspReference="PSP0001"
        ),
    ),
    (
        "checkout",
        "PaymentRefundResponse",
        co.PaymentRefundResponse(
            merchantAccount="ShopAccount",
            pspReference="PSP0003",
            paymentPspReference="PSP0001",
            amount=USD,
            reference=KEY,
            store="ST-001",
        ),
        co.PaymentRefundResponse(
            merchantAccount="ShopAccount",
            pspReference="PSP0003",
            paymentPspReference="PSP0001",
            amount=USD,
        ),
    ),
    (
        "checkout",
        "StandalonePaymentCancelResponse",
        co.StandalonePaymentCancelResponse(
            merchantAccount="ShopAccount",
            pspReference="PSP0003",
            paymentReference=KEY,
            reference="cancel-" + KEY,
        ),
        co.StandalonePaymentCancelResponse(
            merchantAccount="ShopAccount", pspReference="PSP0003", paymentReference=KEY
        ),
    ),
    *[
        (
            api,
            "ServiceError",
            co.ServiceError(
                status=422,
                errorCode="14_0",
                message="Wrong idempotency key",
                errorType="validation",
                pspReference="PSP0004",
                additionalData={"x": "y"},
            ),
            co.ServiceError(
                status=401,
                errorCode="000",
                message="HTTP Status Response - Unauthorized",
                errorType="security",
            ),
        )
        for api in ("checkout", "storedvalue")
    ],
    (
        "storedvalue",
        "StoredValueIssueResponse",
        sv.StoredValueIssueResponse(
            resultCode="Success",
            pspReference="PSP0005",
            currentBalance=USD,
            authCode="A1",
            paymentMethod={"type": "givex", "number": "6036280000000000009", "securityCode": "9"},
            refusalReason="",
            thirdPartyRefusalReason="",
        ),
        sv.StoredValueIssueResponse(
            resultCode="Refused", refusalReason="Transaction Not Permitted"
        ),
    ),
    (
        "storedvalue",
        "StoredValueStatusChangeResponse",
        sv.StoredValueStatusChangeResponse(
            resultCode="Success",
            pspReference="PSP0005",
            currentBalance=USD,
            authCode="A1",
            refusalReason="",
            thirdPartyRefusalReason="",
        ),
        sv.StoredValueStatusChangeResponse(resultCode="Error"),
    ),
    (
        "storedvalue",
        "StoredValueLoadResponse",
        sv.StoredValueLoadResponse(
            resultCode="Success",
            pspReference="PSP0005",
            currentBalance=USD,
            authCode="A1",
            refusalReason="",
            thirdPartyRefusalReason="",
        ),
        sv.StoredValueLoadResponse(resultCode="Refused"),
    ),
    (
        "storedvalue",
        "StoredValueBalanceCheckResponse",
        sv.StoredValueBalanceCheckResponse(
            resultCode="NotEnoughBalance",
            pspReference="PSP0005",
            currentBalance=USD,
            refusalReason="",
            thirdPartyRefusalReason="",
        ),
        sv.StoredValueBalanceCheckResponse(resultCode="Success", currentBalance=USD),
    ),
    (
        "storedvalue",
        "StoredValueVoidResponse",
        sv.StoredValueVoidResponse(
            resultCode="Success",
            pspReference="PSP0006",
            currentBalance=USD,
            refusalReason="",
            thirdPartyRefusalReason="",
        ),
        sv.StoredValueVoidResponse(resultCode="Refused", refusalReason="Transaction Not Permitted"),
    ),
]

MESSAGES = [*REQUESTS, *ANSWERS]
IDS = [f"{api}:{schema}" for api, schema, _f, _s in MESSAGES]


@pytest.mark.parametrize(("api", "schema", "fullest", "smallest"), MESSAGES, ids=IDS)
def test_what_a_model_makes_is_valid_for_adyens_schema(
    api: str, schema: str, fullest: BaseModel, smallest: BaseModel
) -> None:
    for made in (fullest, smallest):
        wire = made.model_dump(mode="json", exclude_none=True)
        assert errors(api, schema, wire) == [], wire


@pytest.mark.parametrize(("api", "schema", "fullest", "smallest"), MESSAGES, ids=IDS)
def test_a_model_names_only_the_schemas_fields_and_sends_what_it_requires(
    api: str, schema: str, fullest: BaseModel, smallest: BaseModel
) -> None:
    spec = schema_of(api, schema)
    properties = spec["properties"]
    assert isinstance(properties, dict)
    fields = type(fullest).model_fields
    assert set(fields) <= set(properties)
    required = spec.get("required", [])
    assert isinstance(required, list)
    # What the schema requires is in the smallest message the model lets us make.
    assert set(required) <= set(smallest.model_dump(exclude_none=True))
    # And the fullest message sets every field the model has.
    assert set(fullest.model_dump(exclude_none=True)) == set(fields)


def test_the_schema_catches_what_a_model_would_not_send() -> None:
    """The check can fail: a payment without its reference, an unknown field, a string amount."""
    good = REQUESTS[0][2].model_dump(mode="json", exclude_none=True)
    assert errors("checkout", "PaymentRequest", {k: v for k, v in good.items() if k != "reference"})
    assert errors("checkout", "PaymentRequest", {**good, "tip": 1})
    assert errors(
        "checkout", "PaymentRequest", {**good, "amount": {"currency": "USD", "value": "1"}}
    )


def test_a_request_model_refuses_what_adyen_refuses() -> None:
    """Requests forbid unknown fields and loose types (the fake parses with them)."""
    good = REQUESTS[0][2].model_dump(mode="json", exclude_none=True)
    with pytest.raises(ValidationError):
        co.PaymentRequest.model_validate({**good, "tip": 1})
    with pytest.raises(ValidationError):
        co.PaymentRequest.model_validate({**good, "amount": {"currency": "USD", "value": "12"}})
    with pytest.raises(ValidationError):
        co.PaymentRequest.model_validate({**good, "reference": "x" * 81})
    assert co.PaymentRequest.model_validate(good) == REQUESTS[0][2]


def test_an_answer_model_reads_fields_adyen_added_later() -> None:
    answer = co.PaymentResponse.model_validate(
        {"resultCode": "Authorised", "pspReference": "P1", "newField": {"a": 1}}
    )
    assert answer.pspReference == "P1"


def test_the_pin_and_the_number_stay_out_of_a_models_repr() -> None:
    for made in (REQUESTS[0][2], SV_CARD, ANSWERS[-5][2]):
        shown = repr(made)
        assert "1234" not in shown
        assert "6036280000000000001" not in shown
        assert "6036280000000000009" not in shown
