"""The fake Adyen's Checkout API over loopback HTTP: gift card payments, balances, and payments
undone, in Adyen's shapes and by its rules (posapp/adyen_fake/checkout_routes.py)."""

from __future__ import annotations

import pytest

from posapp.adyen_fake.demo_cards import DEMO_PIN
from tests.adyen.conftest import Adyen

ACTIVE, ZERO, INACTIVE, BLOCKED, CLOSED, PINNED = (
    "500000000000001",
    "500000000000003",
    "500000000000004",
    "500000000000006",
    "500000000000007",
    "500000000000008",
)


def payment(
    adyen: Adyen, number: str, value: int, reference: str, cvc: str | None = None
) -> dict[str, object]:
    method = {"type": "giftcard", "brand": "givex", "number": number}
    if cvc is not None:
        method["cvc"] = cvc
    return {
        "amount": {"currency": "USD", "value": value},
        "merchantAccount": adyen.fake.merchant_account,
        "paymentMethod": method,
        "reference": reference,
        "returnUrl": "posapp://till",
        "shopperInteraction": "POS",
    }


def test_a_payment_takes_the_amount_and_a_repeated_key_gets_the_first_answer(adyen: Adyen) -> None:
    first = adyen.checkout("/payments", payment(adyen, ACTIVE, 1250, "r-1"), key="k-1")
    assert first.status_code == 200
    body = first.json()
    assert body["resultCode"] == "Authorised"
    assert body["merchantReference"] == "r-1"
    assert first.headers["Idempotency-Key"] == "k-1"
    again = adyen.checkout("/payments", payment(adyen, ACTIVE, 1250, "r-1"), key="k-1")
    assert again.json() == body
    assert adyen.balance(ACTIVE) == 7500 - 1250
    assert [p.status for p in adyen.fake.payments.values()] == ["authorised"]
    assert adyen.fake.payment(body["pspReference"]) is adyen.fake.payment("r-1")


def test_the_same_key_with_another_body_is_a_service_error_and_moves_nothing(adyen: Adyen) -> None:
    adyen.checkout("/payments", payment(adyen, ACTIVE, 100, "r-1"), key="k-1")
    other = adyen.checkout("/payments", payment(adyen, ACTIVE, 200, "r-1"), key="k-1")
    assert other.status_code == 422
    assert other.json() == {
        "status": 422,
        "errorCode": "704",
        "message": "request already processed or in progress",
        "errorType": "validation",
    }
    assert adyen.balance(ACTIVE) == 7400


def test_a_forgotten_key_is_a_new_payment(adyen: Adyen) -> None:
    adyen.checkout("/payments", payment(adyen, ACTIVE, 100, "r-1"), key="k-1")
    adyen.fake.forget_keys()
    adyen.checkout("/payments", payment(adyen, ACTIVE, 100, "r-1"), key="k-1")
    assert adyen.balance(ACTIVE) == 7300


@pytest.mark.parametrize(
    ("number", "value", "cvc", "reason", "code"),
    [
        (ACTIVE, 7501, None, "Not enough balance", "12"),
        (ZERO, 1, None, "Not enough balance", "12"),
        (INACTIVE, 100, None, "Transaction Not Permitted", "23"),
        (CLOSED, 100, None, "Transaction Not Permitted", "23"),
        (BLOCKED, 100, None, "Blocked Card", "5"),
        ("599999999999999", 100, None, "Invalid Card Number", "8"),
        (PINNED, 100, None, "Invalid Pin", "17"),
        (PINNED, 100, "0000", "Invalid Pin", "17"),
    ],
)
def test_a_refusal_is_200_with_adyens_words_and_moves_nothing(
    adyen: Adyen, number: str, value: int, cvc: str | None, reason: str, code: str
) -> None:
    before = adyen.fake.card(number)
    answer = adyen.checkout("/payments", payment(adyen, number, value, "r-1", cvc), key="k-1")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["resultCode"], body["refusalReason"], body["refusalReasonCode"]) == (
        "Refused",
        reason,
        code,
    )
    assert adyen.fake.card(number) == before
    assert adyen.fake.payments["r-1"].status == "refused"


def test_a_card_with_a_pin_pays_with_its_pin(adyen: Adyen) -> None:
    answer = adyen.checkout("/payments", payment(adyen, PINNED, 1000, "r-1", DEMO_PIN))
    assert answer.json()["resultCode"] == "Authorised"
    assert adyen.balance(PINNED) == 3000


@pytest.mark.parametrize(
    ("api_key", "merchant", "status", "code"),
    [("wrong", None, 401, "000"), (None, "SomeoneElse", 403, "901")],
)
def test_a_wrong_key_or_merchant_account_is_a_service_error(
    adyen: Adyen, api_key: str | None, merchant: str | None, status: int, code: str
) -> None:
    body = payment(adyen, ACTIVE, 100, "r-1")
    if merchant is not None:
        body["merchantAccount"] = merchant
    answer = adyen.post("/checkout/v71/payments", body, "k-1", api_key=api_key)
    assert answer.status_code == status
    assert answer.json()["errorCode"] == code
    assert adyen.balance(ACTIVE) == 7500
    assert adyen.fake.payments == {}


@pytest.mark.parametrize(
    "change",
    [
        {"tip": 1},
        {"amount": {"currency": "USD", "value": "100"}},
        {"reference": "x" * 81},
        {"paymentMethod": {"type": "giftcard", "brand": "givex"}},
    ],
    ids=["unknown field", "string amount", "long reference", "no number"],
)
def test_a_body_adyens_schema_refuses_is_a_422(adyen: Adyen, change: dict[str, object]) -> None:
    answer = adyen.checkout("/payments", {**payment(adyen, ACTIVE, 100, "r-1"), **change}, "k-1")
    assert answer.status_code == 422
    assert answer.json()["errorCode"] == "702"
    # Errors are not kept: the key still takes its right request.
    good = adyen.checkout("/payments", payment(adyen, ACTIVE, 100, "r-1"), "k-1")
    assert good.json()["resultCode"] == "Authorised"


def test_fail_next_answers_a_5xx_before_anything_happens(adyen: Adyen) -> None:
    adyen.fake.fail_next(503)
    failed = adyen.checkout("/payments", payment(adyen, ACTIVE, 100, "r-1"), "k-1")
    assert failed.status_code == 503
    assert failed.json()["errorType"] == "internal"
    assert adyen.balance(ACTIVE) == 7500
    assert adyen.checkout("/payments", payment(adyen, ACTIVE, 100, "r-1"), "k-1").status_code == 200


def test_the_balance_check(adyen: Adyen) -> None:
    def check(number: str, value: int = 0, cvc: str | None = None) -> dict[str, object]:
        method = {"type": "giftcard", "brand": "givex", "number": number}
        if cvc is not None:
            method["cvc"] = cvc
        body = {
            "amount": {"currency": "USD", "value": value},
            "merchantAccount": adyen.fake.merchant_account,
            "paymentMethod": method,
        }
        answer = adyen.checkout("/paymentMethods/balance", body)
        assert answer.status_code == 200
        found: dict[str, object] = answer.json()
        return found

    assert check(ACTIVE)["balance"] == {"currency": "USD", "value": 7500}
    assert check(ACTIVE)["resultCode"] == "Success"
    assert check(ACTIVE, 8000)["resultCode"] == "NotEnoughBalance"
    assert check(PINNED, cvc=DEMO_PIN)["balance"] == {"currency": "USD", "value": 4000}
    for number, reason in [
        (PINNED, "Invalid Pin"),
        (BLOCKED, "Blocked Card"),
        (INACTIVE, "Transaction Not Permitted"),
        ("599999999999999", "Invalid Card Number"),
    ]:
        refused = check(number)
        assert (refused["resultCode"], refused["refusalReason"]) == ("Failed", reason)


@pytest.mark.parametrize("operation", ["reversals", "cancels"])
def test_a_reversal_or_cancel_gives_the_payment_back_once(adyen: Adyen, operation: str) -> None:
    psp = adyen.checkout("/payments", payment(adyen, ACTIVE, 2000, "r-1")).json()["pspReference"]
    body = {"merchantAccount": adyen.fake.merchant_account, "reference": "undo-1"}
    for _ in range(2):
        answer = adyen.checkout(f"/payments/{psp}/{operation}", body)
        assert answer.status_code == 201
        assert answer.json()["status"] == "received"
        assert answer.json()["paymentPspReference"] == psp
    assert adyen.balance(ACTIVE) == 7500
    assert adyen.fake.payments["r-1"].status == "reversed"
    unknown = adyen.checkout(f"/payments/0000000000000000/{operation}", body)
    assert unknown.status_code == 422


def test_refunds_give_back_no_more_than_the_payment_took(adyen: Adyen) -> None:
    psp = adyen.checkout("/payments", payment(adyen, ACTIVE, 2000, "r-1")).json()["pspReference"]

    def refund(value: int) -> int:
        body = {
            "merchantAccount": adyen.fake.merchant_account,
            "amount": {"currency": "USD", "value": value},
        }
        return adyen.checkout(f"/payments/{psp}/refunds", body).status_code

    assert refund(1500) == 201
    assert refund(600) == 422
    assert refund(500) == 201
    assert adyen.balance(ACTIVE) == 7500
    assert adyen.fake.payments["r-1"].status == "refunded"


def test_a_cancel_by_reference_undoes_a_payment_made_or_one_still_to_come(adyen: Adyen) -> None:
    adyen.checkout("/payments", payment(adyen, ACTIVE, 2000, "made"))
    for reference in ("made", "to-come"):
        body = {"merchantAccount": adyen.fake.merchant_account, "paymentReference": reference}
        answer = adyen.checkout("/cancels", body)
        assert answer.status_code == 201
        assert answer.json()["paymentReference"] == reference
    assert adyen.balance(ACTIVE) == 7500
    late = adyen.checkout("/payments", payment(adyen, ACTIVE, 2000, "to-come")).json()
    assert late["resultCode"] == "Cancelled"
    assert adyen.balance(ACTIVE) == 7500
    assert [p.status for p in adyen.fake.payments.values()] == ["reversed", "cancelled"]
