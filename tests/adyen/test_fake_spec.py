"""Every request the fake Adyen gets and every answer it gives, held to Adyen's published
schemas (../shared/specs/adyen/, jsonschema): one run of every operation, accepted, refused and
in error, recorded by the fake's `recorder`."""

from __future__ import annotations

from posapp.adyen_fake.app import CHECKOUT, STORED_VALUE
from posapp.adyen_fake.demo_cards import DEMO_PIN
from tests.adyen.conftest import Adyen
from tests.adyen.schemas import need_specs, traffic_problems

ACTIVE, INACTIVE, BLOCKED, PINNED = (
    "500000000000001",
    "500000000000004",
    "500000000000006",
    "500000000000008",
)


def every_operation(adyen: Adyen) -> None:
    merchant = adyen.fake.merchant_account
    usd = {"currency": "USD", "value": 1000}

    def giftcard(number: str, cvc: str | None = None) -> dict[str, str]:
        return {
            "type": "giftcard",
            "brand": "givex",
            "number": number,
            **({"cvc": cvc} if cvc else {}),
        }

    def pay(number: str, reference: str, cvc: str | None = None, value: int = 1000) -> str:
        answer = adyen.checkout(
            "/payments",
            {
                "amount": {"currency": "USD", "value": value},
                "merchantAccount": merchant,
                "paymentMethod": giftcard(number, cvc),
                "reference": reference,
                "returnUrl": "posapp://till",
                "store": "ST-001",
                "shopperInteraction": "POS",
            },
            key="k-" + reference,
        )
        return str(answer.json().get("pspReference", ""))

    paid = pay(ACTIVE, "p-1")
    pay(ACTIVE, "p-1")  # replayed
    pay(ACTIVE, "p-2", value=99999)  # not enough balance
    pay(PINNED, "p-3")  # no PIN
    pinned = pay(PINNED, "p-4", DEMO_PIN)
    pay(BLOCKED, "p-5")
    for number in (ACTIVE, PINNED, "599999999999999"):
        adyen.checkout(
            "/paymentMethods/balance",
            {
                "amount": {"currency": "USD", "value": 0},
                "merchantAccount": merchant,
                "paymentMethod": giftcard(number),
            },
        )
    adyen.checkout(
        f"/payments/{paid}/refunds",
        {
            "merchantAccount": merchant,
            "amount": {"currency": "USD", "value": 400},
            "reference": "rf-1",
        },
    )
    adyen.checkout(
        f"/payments/{paid}/reversals", {"merchantAccount": merchant, "reference": "rv-1"}
    )
    adyen.checkout(f"/payments/{pinned}/cancels", {"merchantAccount": merchant})
    adyen.checkout(
        "/cancels", {"merchantAccount": merchant, "paymentReference": "p-never", "reference": "c-1"}
    )
    pay(ACTIVE, "p-never")  # cancelled before it came
    # Errors: a wrong key, another merchant account, a key sent again with another body, a 500.
    adyen.post(
        CHECKOUT + "/payments/0000/reversals", {"merchantAccount": merchant}, api_key="wrong"
    )
    adyen.checkout(f"/payments/{paid}/reversals", {"merchantAccount": "SomeoneElse"})
    adyen.checkout(
        "/cancels", {"merchantAccount": merchant, "paymentReference": "other"}, key="k-p-1"
    )
    adyen.fake.fail_next(500)
    adyen.checkout(f"/payments/{paid}/cancels", {"merchantAccount": merchant})
    adyen.checkout("/payments/0000000000000000/reversals", {"merchantAccount": merchant})

    def sv(path: str, **fields: object) -> dict[str, object]:
        answer = adyen.stored_value(path, {"merchantAccount": merchant, **fields})
        found: dict[str, object] = answer.json()
        return found

    def card(number: str | None = None, pin: str | None = None) -> dict[str, str]:
        return {
            "type": "givex",
            **({"number": number} if number else {}),
            **({"securityCode": pin} if pin else {}),
        }

    sv(
        "/checkBalance",
        reference="b-1",
        paymentMethod=card(ACTIVE),
        store="ST-001",
        shopperInteraction="POS",
    )
    sv("/checkBalance", reference="b-2", paymentMethod=card(PINNED, DEMO_PIN), amount=usd)
    sv("/checkBalance", reference="b-3", paymentMethod=card(INACTIVE))
    sold = sv(
        "/changeStatus", reference="s-1", paymentMethod=card(INACTIVE), status="active", amount=usd
    )
    sv("/changeStatus", reference="s-2", paymentMethod=card(INACTIVE), status="active", amount=usd)
    issued = sv("/issue", reference="i-1", paymentMethod=card(), amount=usd)
    number = issued["paymentMethod"]
    assert isinstance(number, dict)
    loaded = sv(
        "/load", reference="l-1", paymentMethod=card(number["number"]), amount=usd, loadType="load"
    )
    sv("/load", reference="l-2", paymentMethod=card(BLOCKED), amount=usd)
    sv("/changeStatus", reference="d-1", paymentMethod=card(number["number"]), status="inactive")
    for done in (sold, loaded, sold):
        sv("/voidTransaction", originalReference=done["pspReference"], reference="v")
    sv("/checkBalance", reference="b-4", paymentMethod=card(ACTIVE), unknown="x")
    load = {
        "merchantAccount": merchant,
        "reference": "l-3",
        "paymentMethod": card(ACTIVE),
        "amount": usd,
    }
    adyen.post(STORED_VALUE + "/load", load, api_key="wrong")


def test_every_request_and_answer_of_the_fake_is_valid_for_adyens_schemas(adyen: Adyen) -> None:
    need_specs()
    every_operation(adyen)
    statuses = {status for _path, _body, status, _answer in adyen.seen}
    assert {200, 201, 400, 401, 403, 422, 500} <= statuses  # the run saw each kind of answer
    assert len(adyen.seen) == 33
    problems = traffic_problems(adyen.seen, skip_request="unknown")
    assert problems == [], "\n".join(problems)
