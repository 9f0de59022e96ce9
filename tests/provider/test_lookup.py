"""api.md "Key retention and client references": every money call keeps the till's
client_reference with its transaction; GET /v1/transactions/lookup finds the movement by it,
after the key is forgotten too; keys are kept for the configured retention, by the
provider's own clock."""

from __future__ import annotations

from typing import Any

import pytest

from posapp.provider.ledger import now_us
from posapp.provider.store import KEY_RETENTION_HOURS, Store
from tests.provider.conftest import Api
from tests.provider.test_query_plans import assert_by_index, fill, the_plan

pytestmark = pytest.mark.anyio
DAY_US = 24 * 3600 * 1_000_000


async def look_up(api: Api, reference: str) -> list[dict[str, Any]]:
    answer = await api.get("/v1/transactions/lookup", client_reference=reference)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()
    return found


async def test_each_money_call_is_found_by_its_client_reference_as_it_answered(
    api: Api,
) -> None:
    await api.set_config(cash_out_enabled=True)
    gift = await api.card("GC-LOOK", balance=5000)
    redeemed = await api.redeem(gift["id"], amount=1200, client_reference="till-1-r")
    assert redeemed.status_code == 201, redeemed.text
    assert redeemed.json()["transaction"]["client_reference"] == "till-1-r"
    (found,) = await look_up(api, "till-1-r")
    assert found["transaction"] == redeemed.json()["transaction"]
    assert (found["gift"]["id"], found["gift"]["balance"]) == (gift["id"], 3800)
    assert "reversed" not in found

    txn_id = redeemed.json()["transaction"]["id"]
    reversal = await api.post(
        f"/v1/transactions/{txn_id}/reversal", {"client_reference": "till-1-v"}
    )
    assert reversal.status_code == 201, reversal.text
    (undone,) = await look_up(api, "till-1-v")
    assert undone["transaction"]["reverses"] == txn_id
    assert undone["reversed"]["id"] == txn_id
    assert undone["reversed"]["state"] == "reversed"
    assert undone["gift"]["balance"] == 5000
    # The redemption, looked up again, is now said as reversed: the ledger as it is now.
    (again,) = await look_up(api, "till-1-r")
    assert again["transaction"]["state"] == "reversed"

    cashed = await api.post(f"/v1/gifts/{gift['id']}/cash-out", {"client_reference": "till-1-c"})
    assert cashed.status_code == 201, cashed.text
    sold = await api.post(
        "/v1/gift-cards/activations",
        {"code": "GC-NEW", "amount": 2500, "client_reference": "till-1-a"},
    )
    issued = await api.post(
        "/v1/gift-cards/issues", {"amount": 700, "client_reference": "till-1-i"}
    )
    for reference, answer in (("till-1-c", cashed), ("till-1-a", sold), ("till-1-i", issued)):
        (found,) = await look_up(api, reference)
        assert found["transaction"] == answer.json()["transaction"]
        assert found["gift"]["code"] == answer.json()["gift"]["code"]  # an issued card's too


async def test_a_reference_nothing_carries_is_an_empty_list_in_any_store(api: Api) -> None:
    gift = await api.card(balance=5000)
    await api.redeem(gift["id"], amount=100, client_reference="mine")
    assert await look_up(api, "not-sent") == []
    other = api.store.create_store("Other", "USD")
    answer = await api.client.get(
        "/v1/transactions/lookup",
        params={"client_reference": "mine"},
        headers={"Authorization": f"Bearer {other['terminal_token']}"},
    )
    assert (answer.status_code, answer.json()) == (200, [])  # another store's: not there


@pytest.mark.parametrize("reference", ["", "x" * 256, "é-till", "tab\there"])
async def test_a_reference_outside_the_contract_is_refused_in_words(
    api: Api, reference: str
) -> None:
    gift = await api.card(balance=5000)
    refused = await api.redeem(gift["id"], amount=100, client_reference=reference)
    assert refused.status_code == 422
    assert refused.json()["code"] == "validation_error"
    asked = await api.get("/v1/transactions/lookup", client_reference=reference)
    assert asked.status_code == 422
    assert (await api.get("/v1/transactions/lookup")).status_code == 422  # it is required


async def test_after_the_retention_the_key_is_forgotten_and_the_reference_is_not(
    api: Api,
) -> None:
    """The long weekend of issue 18: a provider started three days later has dropped the
    key, so the same key runs again; the lookup still says the first one happened."""
    gift = await api.card(balance=7500)
    first = await api.redeem(gift["id"], key="WEEKEND", amount=2500, client_reference="wk")
    assert first.status_code == 201
    later = Store(
        api.store.url,
        pool_size=2,
        key_retention_hours=KEY_RETENTION_HOURS,
        clock=lambda: now_us() + 3 * DAY_US,
    )
    later.close()  # its start purged the keys past 48 hours, as a restart of `serve` does
    (found,) = await look_up(api, "wk")
    assert found["transaction"]["id"] == first.json()["transaction"]["id"]
    again = await api.redeem(gift["id"], key="WEEKEND", amount=2500)
    assert "idempotent-replayed" not in again.headers  # a new key now: it ran again
    assert again.json()["gift"]["balance"] == 2500


async def test_only_a_serving_provider_forgets_keys(api: Api) -> None:
    """`init`, `demo` and `token` open the database with no retention of their own: days
    later, they forget no key (only `serve --key-retention-hours` purges)."""
    gift = await api.card(balance=7500)
    first = await api.redeem(gift["id"], key="TOKEN-RUN", amount=2500)
    Store(api.store.url, pool_size=2, clock=lambda: now_us() + 30 * DAY_US).close()
    again = await api.redeem(gift["id"], key="TOKEN-RUN", amount=2500)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content


async def test_a_longer_retention_keeps_the_key(api: Api) -> None:
    gift = await api.card(balance=7500)
    first = await api.redeem(gift["id"], key="KEPT", amount=2500)
    later = Store(
        api.store.url, pool_size=2, key_retention_hours=96, clock=lambda: now_us() + 3 * DAY_US
    )
    later.close()
    again = await api.redeem(gift["id"], key="KEPT", amount=2500)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content


async def test_transactions_are_stamped_with_the_providers_clock(store: Store) -> None:
    ahead = Store(store.url, pool_size=2, clock=lambda: now_us() + 3 * DAY_US)
    try:
        assert ahead.now() - now_us() > 3 * DAY_US - 60_000_000
    finally:
        ahead.close()


async def test_the_lookup_reads_by_the_reference_index(api: Api) -> None:
    fill(api.store, int(api.store_id), int(api.location_id))
    gift = await api.card("GC-IDX", balance=5000)
    await api.redeem(gift["id"], amount=100, client_reference="by-index")

    async def asked() -> None:
        assert len(await look_up(api, "by-index")) == 1

    text = await the_plan(api.store, "transactions", asked)
    assert_by_index(text, "transactions_by_client_reference")
