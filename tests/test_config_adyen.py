"""config.md's [provider] keys for Adyen (issue 21.1), exactly as the issue shows them, and
each mistake in one sentence naming its key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from posapp.config import ConfigError, parse_config

ISSUE = """
[provider]
api = "adyen"
url = "https://checkout-test.adyen.com/v71"   # the Checkout API base
stored_value_url = "https://pal-test.adyen.com/pal/servlet/StoredValue/v46"
merchant_account = "YourMerchantAccount"
brand = "givex"                                # givex, svs, valuelink, ... as Adyen names it
store = "ST-001"                               # optional: the Adyen store of this till
"""


def problem(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    (found,) = caught.value.problems
    return found


def with_keys(**keys: str) -> str:
    table = tomllib.loads(ISSUE)["provider"]
    table.update(keys)
    lines = [f"{k} = {v!r}".replace("'", '"') for k, v in table.items() if v is not None]
    return "[provider]\n" + "\n".join(lines) + "\n"


def test_the_issues_config_is_read_as_it_is() -> None:
    provider = parse_config(ISSUE).provider
    assert provider.api == "adyen"
    assert provider.url == "https://checkout-test.adyen.com/v71"
    assert provider.stored_value_url == "https://pal-test.adyen.com/pal/servlet/StoredValue/v46"
    assert (provider.merchant_account, provider.brand, provider.store) == (
        "YourMerchantAccount",
        "givex",
        "ST-001",
    )
    assert parse_config(with_keys(store="")).provider.store == ""  # optional


def test_each_mistake_names_its_key_in_words() -> None:
    text = ISSUE.replace('merchant_account = "YourMerchantAccount"\n', "")
    assert problem(text).startswith("provider.merchant_account: Adyen needs the merchant account")
    found = problem(with_keys(brand="visa"))
    assert found.startswith("provider.brand: 'visa' is not a gift card brand")
    assert '"givex" (Givex)' in found
    assert '"valuelink" (Fiserv ValueLink)' in found
    found = problem(with_keys(stored_value_url="http://pal.example.com/sv"))
    assert found.startswith("provider.stored_value_url: 'http://pal.example.com/sv' is plain")
    assert "unencrypted" in found
    found = problem(with_keys(url="http://checkout.example.com/v71"))
    assert found.startswith("provider.url: ")
    assert "https://" in found
    text = ISSUE.replace(
        'stored_value_url = "https://pal-test.adyen.com/pal/servlet/StoredValue/v46"\n', ""
    )
    assert problem(text).startswith("provider.stored_value_url: Adyen needs its Stored Value")
    assert problem(with_keys(store="A-STORE-NAME-TOO-LONG")).startswith("provider.store: ")
    assert problem(with_keys(stored_value_url="ftp://x")).startswith("provider.stored_value_url:")


def test_loopback_may_be_plain_http_for_the_fake() -> None:
    text = with_keys(
        url="http://127.0.0.1:8000/checkout/v71", stored_value_url="http://localhost:8000/sv"
    )
    assert parse_config(text).provider.url.startswith("http://127.0.0.1")


def test_adyen_keys_with_another_api_are_refused() -> None:
    assert (
        problem('[provider]\nbrand = "givex"\n') == 'provider.brand: only used with api = "adyen"'
    )
    found = problem('[provider]\nmerchant_account = "M"\n')
    assert found == 'provider.merchant_account: only used with api = "adyen"'


def test_the_example_config_explains_each_adyen_key() -> None:
    example = (Path(__file__).parents[1] / "assets/posapp.example.toml").read_text()
    for key in ("stored_value_url", "merchant_account", "brand", "store"):
        assert f"\n{key} = " in example or f"\n# {key} = " in example, key
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    section = readme[readme.index("## Adyen") :]
    for key in ("stored_value_url", "merchant_account", "brand", "store", "X-API-Key"):
        assert key in section, key
