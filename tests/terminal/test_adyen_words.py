"""Adyen's no's in our codes and words (posapp/adapters/adyen_words.py), and what Adyen does
not offer for a brand refused in words before any call (core/card_brands.py)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from posapp.adapters.adyen import AdyenClient
from posapp.adapters.adyen_words import card_state, error_words, refused
from posapp.adapters.provider_http import HttpSettings
from posapp.core import intent as intents
from posapp.core.card_brands import BRANDS, brand_problem
from posapp.core.gift import UNKNOWN_CARD
from posapp.terminal.ports import Declined


@pytest.mark.parametrize(
    ("result", "reason", "code", "words"),
    [
        ("Refused", "Invalid Card Number", "gift_not_found", UNKNOWN_CARD),
        ("Refused", "Blocked Card", "blocked", "This card is blocked"),
        ("Refused", "Invalid Pin", "wrong_pin", "The PIN is wrong"),
        ("Refused", "Pin tries exceeded", "pin_tries_exceeded", "Too many wrong PINs"),
        ("Refused", "Not enough balance", "insufficient_balance", "does not have that much"),
        ("NotEnoughBalance", None, "insufficient_balance", "does not have that much"),
        ("Refused", "Expired Card", "expired", "This card has expired"),
        ("Refused", "Transaction Not Permitted", "not_permitted", "does not allow this"),
        ("Cancelled", None, "canceled", "nothing was charged"),
        ("Refused", "Something new", "refused", "Adyen refused the card (Something new)"),
    ],
)
def test_a_decline_reads_in_the_cashiers_words(
    result: str, reason: str | None, code: str, words: str
) -> None:
    found = refused(result, reason)
    assert found.code == code
    assert words in str(found)


def test_the_reason_code_wins_over_words_adyen_may_change() -> None:
    assert refused("Refused", "Refused: PIN", "17").code == "wrong_pin"
    assert refused("Refused", "", "5").code == "blocked"


def test_the_issuers_words_tell_a_card_not_sold_from_one_closed() -> None:
    assert card_state("Transaction Not Permitted", "Card is not activated") == "not_sold"
    assert card_state("Transaction Not Permitted", "Card is deactivated") == "closed"
    assert card_state("Blocked Card", "Card is blocked") is None


def test_service_errors_say_what_the_manager_fixes() -> None:
    error = {"status": 401, "errorCode": "000", "message": "HTTP Status Response - Unauthorized"}
    assert "posapp set-token" in str(error_words(401, error, "Shop"))
    forbidden = error_words(
        403, {"errorCode": "901", "message": "Invalid Merchant Account"}, "Shop"
    )
    assert forbidden.code == "forbidden"
    assert "merchant account Shop" in str(forbidden)
    other = error_words(422, {"errorCode": "704", "message": "request already processed"}, "Shop")
    assert str(other).startswith("Adyen refused the request (704: request already processed)")


def no_calls(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"a call was made: {request.url.path}")


def client(brand: str) -> AdyenClient:
    return AdyenClient(
        "https://checkout-test.adyen.com/v71",
        "AQE-test-key",
        stored_value_url="https://pal-test.adyen.com/pal/servlet/StoredValue/v46",
        merchant_account="Shop",
        brand=brand,
        http=HttpSettings(transport=httpx.MockTransport(no_calls)),
    )


def test_what_adyen_does_not_offer_for_a_brand_is_refused_before_any_call() -> None:
    with pytest.raises(Declined, match="Adyen does not issue new cards for SVS cards") as caught:
        client("svs").send(intents.issue(2500), "k-issue")
    assert caught.value.code == "not_offered"
    void = intents.void("8815000000000001", gift_id="6036", amount=2500)
    with pytest.raises(Declined, match="Adyen does not void a card sold or issued for Givex"):
        client("givex").send(void, "k-void")
    with pytest.raises(Declined, match="hold money, not items"):
        client("givex").send(intents.redeem("6036", quantity=1), "k-items")
    with pytest.raises(Declined, match="Adyen keeps no list of a till's transactions"):
        client("givex").transactions(since=None)
    assert client("givex").transactions(gift_id="6036") == []


def test_the_brand_table_is_what_the_readme_says() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for brand in BRANDS.values():
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{brand.name}`"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        yes = {True: "yes", False: "no"}
        assert cells[3:] == [
            yes[brand.issue],
            yes[brand.deactivate],
            yes[brand.void_sale],
            yes[brand.void_issue],
        ], brand.name
    assert brand_problem("givex") is None
    assert "not a gift card brand" in (brand_problem("amex") or "")
