"""The fake Adyen's Stored Value API over loopback HTTP: a card's balance, sold (activated with
an amount), closed, issued, loaded, and each of these voided once
(posapp/adyen_fake/stored_value_routes.py)."""

from __future__ import annotations

from posapp.adyen_fake.demo_cards import DEMO_PIN
from tests.adyen.conftest import Adyen

ACTIVE, INACTIVE, BLOCKED, CLOSED, PINNED = (
    "500000000000001",
    "500000000000004",
    "500000000000006",
    "500000000000007",
    "500000000000008",
)


def card(number: str | None = None, pin: str | None = None, brand: str = "givex") -> dict[str, str]:
    method = {"type": brand}
    if number is not None:
        method["number"] = number
    if pin is not None:
        method["securityCode"] = pin
    return method


def body(adyen: Adyen, reference: str, **fields: object) -> dict[str, object]:
    return {"merchantAccount": adyen.fake.merchant_account, "reference": reference, **fields}


def usd(value: int) -> dict[str, object]:
    return {"currency": "USD", "value": value}


def test_check_balance_reads_the_card_and_refuses_in_adyens_and_the_providers_words(
    adyen: Adyen,
) -> None:
    def check(number: str, pin: str | None = None) -> dict[str, object]:
        answer = adyen.stored_value(
            "/checkBalance", body(adyen, "b", paymentMethod=card(number, pin))
        )
        assert answer.status_code == 200
        found: dict[str, object] = answer.json()
        return found

    assert check(ACTIVE)["currentBalance"] == usd(7500)
    assert check(PINNED, DEMO_PIN)["currentBalance"] == usd(4000)
    assert check(PINNED)["refusalReason"] == "Invalid Pin"
    assert check(PINNED, "1111")["refusalReason"] == "Invalid Pin"
    assert check("599999999999999")["refusalReason"] == "Invalid Card Number"
    for number, reason, words in [
        (INACTIVE, "Transaction Not Permitted", "Card is not activated"),
        (CLOSED, "Transaction Not Permitted", "Card is deactivated"),
        (BLOCKED, "Blocked Card", "Card is blocked"),
    ]:
        refused = check(number)
        assert refused == {
            "resultCode": "Refused",
            "refusalReason": reason,
            "thirdPartyRefusalReason": words,
        }


def test_selling_a_card_activates_it_with_the_amount_once(adyen: Adyen) -> None:
    sell = body(adyen, "sell-1", paymentMethod=card(INACTIVE), status="active", amount=usd(2500))
    first = adyen.stored_value("/changeStatus", sell, key="k-1")
    assert first.json()["resultCode"] == "Success"
    assert first.json()["currentBalance"] == usd(2500)
    assert adyen.stored_value("/changeStatus", sell, key="k-1").json() == first.json()
    assert adyen.fake.card(INACTIVE) == {
        **(adyen.fake.card(INACTIVE) or {}),
        "status": "active",
        "balance": 2500,
    }
    again = adyen.stored_value("/changeStatus", {**sell, "reference": "sell-2"}, key="k-2")
    assert again.json()["refusalReason"] == "Transaction Not Permitted"
    assert adyen.balance(INACTIVE) == 2500
    closed = {**sell, "paymentMethod": card(CLOSED)}
    assert adyen.stored_value("/changeStatus", closed).json()["resultCode"] == "Refused"


def test_deactivating_is_for_good(adyen: Adyen) -> None:
    close = body(adyen, "close-1", paymentMethod=card(ACTIVE), status="inactive")
    assert adyen.stored_value("/changeStatus", close).json()["resultCode"] == "Success"
    assert adyen.fake.card(ACTIVE) is not None
    assert (adyen.fake.card(ACTIVE) or {})["status"] == "inactive"
    reopen = {**close, "status": "active"}
    assert adyen.stored_value("/changeStatus", reopen).json()["resultCode"] == "Refused"


def test_issue_makes_a_new_active_card_and_load_adds_to_it(adyen: Adyen) -> None:
    issued = adyen.stored_value(
        "/issue", body(adyen, "i-1", paymentMethod=card(), amount=usd(1800))
    )
    made = issued.json()
    assert made["resultCode"] == "Success"
    number = made["paymentMethod"]["number"]
    assert (adyen.fake.card(number) or {})["status"] == "active"
    assert adyen.balance(number) == 1800
    loaded = adyen.stored_value(
        "/load",
        body(
            adyen, "l-1", paymentMethod=card(number), amount=usd(200), loadType="merchandiseReturn"
        ),
    )
    assert loaded.json()["currentBalance"] == usd(2000)
    refused = adyen.stored_value(
        "/load", body(adyen, "l-2", paymentMethod=card(BLOCKED), amount=usd(1))
    )
    assert refused.json()["refusalReason"] == "Blocked Card"


def test_a_void_undoes_a_transaction_once_while_the_card_holds_its_value(adyen: Adyen) -> None:
    adyen.fake.cards[INACTIVE].brand = "valuelink"  # Adyen voids a card sold for ValueLink
    sold = card(INACTIVE, brand="valuelink")
    sell = body(adyen, "sell-1", paymentMethod=sold, status="active", amount=usd(2500))
    psp = adyen.stored_value("/changeStatus", sell).json()["pspReference"]
    void = {"merchantAccount": adyen.fake.merchant_account, "originalReference": psp}
    first = adyen.stored_value("/voidTransaction", void)
    assert first.json()["resultCode"] == "Success"
    assert adyen.fake.card(INACTIVE) is not None
    assert ((adyen.fake.card(INACTIVE) or {})["status"], adyen.balance(INACTIVE)) == ("inactive", 0)
    assert adyen.fake.movements[psp].voided
    assert adyen.stored_value("/voidTransaction", void).json()["resultCode"] == "Refused"
    # Sold again, then spent: its activation can no longer be voided.
    psp = adyen.stored_value("/changeStatus", {**sell, "reference": "sell-2"}).json()[
        "pspReference"
    ]
    adyen.fake.cards[INACTIVE].balance = 100
    spent = adyen.stored_value("/voidTransaction", {**void, "originalReference": psp}).json()
    assert spent["resultCode"] == "NotEnoughBalance"


def test_the_merchant_account_and_the_key_are_checked_on_stored_value_too(adyen: Adyen) -> None:
    check = body(adyen, "b", paymentMethod=card(ACTIVE))
    assert (
        adyen.post("/pal/servlet/StoredValue/v46/checkBalance", check, api_key="x").status_code
        == 401
    )
    other = {**check, "merchantAccount": "SomeoneElse"}
    assert adyen.stored_value("/checkBalance", other).status_code == 403
    assert adyen.stored_value("/checkBalance", {**check, "extra": 1}).status_code == 400


def test_what_adyen_does_not_do_for_a_brand_is_refused(adyen: Adyen) -> None:
    """Adyen's per-provider tables (core/card_brands.py): no new card for SVS, no deactivation
    but for Givex, no void of a sale for Givex."""
    issued = adyen.stored_value("/issue", body(adyen, "i-1", paymentMethod=card(brand="svs")))
    assert issued.json()["refusalReason"] == "Transaction Not Permitted"
    adyen.fake.cards[ACTIVE].brand = "valuelink"
    close = body(adyen, "c-1", paymentMethod=card(ACTIVE, brand="valuelink"), status="inactive")
    assert adyen.stored_value("/changeStatus", close).json()["refusalReason"] == (
        "Transaction Not Permitted"
    )
    sell = body(adyen, "s-1", paymentMethod=card(INACTIVE), status="active", amount=usd(500))
    psp = adyen.stored_value("/changeStatus", sell).json()["pspReference"]
    void = {"merchantAccount": adyen.fake.merchant_account, "originalReference": psp}
    refused = adyen.stored_value("/voidTransaction", void).json()
    assert (refused["resultCode"], adyen.balance(INACTIVE)) == ("Refused", 500)
    assert len(adyen.fake.cards) == 10  # nothing issued


def test_the_providers_unsold_stock_is_sold_like_a_listed_blank_card(adyen: Adyen) -> None:
    """The demo's fake knows the provider's stock of plastic cards (7000000000000xx): any of
    them sells; a number outside it is not a card."""
    for number, words in [("700000000000005", "Success"), ("710000000000005", "Refused")]:
        sell = body(adyen, number, paymentMethod=card(number), status="active", amount=usd(900))
        assert adyen.stored_value("/changeStatus", sell).json()["resultCode"] == words
    assert adyen.balance("700000000000005") == 900
    assert adyen.fake.card("710000000000005") is None
