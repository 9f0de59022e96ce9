"""The `provider` fixture's Adyen: the fake Adyen over loopback behind the FaultProxy, the
till's config with issue 21.1's keys pointing both bases at the proxy, and the read-backs the
engine suites use (balance, redemptions, forget_keys, code). The engine suites themselves run
against it once the Adyen adapter is on main (adyen-client adds "adyen" to APIS)."""

from __future__ import annotations

import httpx
import pytest

from posapp.adyen_fake.app import CHECKOUT, STORED_VALUE
from posapp.config import config_from_dict
from tests.terminal.conftest import Provider

ACTIVE = "active, $75.00"


@pytest.fixture
def api() -> str:
    return "adyen"


def pay(provider: Provider, base: str, key: str, value: int = 1000) -> httpx.Response:
    assert provider.adyen is not None
    body = {
        "amount": {"currency": "USD", "value": value},
        "merchantAccount": provider.adyen.merchant_account,
        "paymentMethod": {
            "type": "giftcard",
            "brand": "valuelink",
            "number": provider.code(ACTIVE),
        },
        "reference": key,
        "returnUrl": "posapp://till",
    }
    headers = {"X-API-Key": provider.token, "Idempotency-Key": key}
    return httpx.post(base + "/payments", json=body, headers=headers, timeout=5)


def test_the_config_points_both_adyen_bases_at_the_proxy_and_is_valid(provider: Provider) -> None:
    config = provider.config(provider.proxy.url)
    assert provider.adyen is not None
    assert config.provider.api == "adyen"
    assert config.provider.url == provider.proxy.url + CHECKOUT
    assert config.provider.stored_value_url == provider.proxy.url + STORED_VALUE
    assert config.provider.merchant_account == provider.adyen.merchant_account
    assert config.provider.brand == "valuelink"
    # The keys as a config file would give them pass the config's own checks.
    keys = {
        "api": "adyen",
        "url": config.provider.url,
        "stored_value_url": config.provider.stored_value_url,
        "merchant_account": config.provider.merchant_account,
        "brand": config.provider.brand,
    }
    read = config_from_dict({"provider": keys}).provider  # raises on a problem
    assert (read.url, read.stored_value_url, read.brand) == (
        config.provider.url,
        config.provider.stored_value_url,
        "valuelink",
    )


def test_payments_through_the_proxy_are_read_back_and_a_dropped_answer_was_committed(
    provider: Provider,
) -> None:
    base = provider.config(provider.proxy.url).provider.url
    code = provider.code(ACTIVE)
    first = pay(provider, base, "k-1")
    assert first.json()["resultCode"] == "Authorised"
    assert pay(provider, base, "k-1").json() == first.json()  # replayed, not paid twice
    assert (provider.balance(code), provider.redemptions()) == (
        6500,
        [first.json()["pspReference"]],
    )
    provider.proxy.mode = "drop_answer"
    with pytest.raises(httpx.TransportError):
        pay(provider, base, "k-2")
    provider.proxy.mode = "pass"
    assert (provider.balance(code), len(provider.redemptions())) == (5500, 2)
    provider.forget_keys()
    pay(provider, base, "k-1")  # a key Adyen no longer remembers is a new payment
    assert provider.balance(code) == 4500


def test_the_demo_cards_read_back_by_what_they_show(provider: Provider) -> None:
    assert provider.balance(provider.code("used up (zero balance)")) == 0
    assert provider.adyen is not None
    pinned = next(c for c in provider.made["cards"] if "pin" in c)
    assert (provider.adyen.card(pinned["code"]) or {})["pin"] == pinned["pin"]
