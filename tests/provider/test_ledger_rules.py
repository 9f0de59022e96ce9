"""The ledger's rules through the API: partial and repeated redemptions, reversals,
cash-out, activation, issue, item gifts, canceled cards, locations, isolation, concurrency."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from tests.provider.conftest import Api, ledger_identity

pytestmark = pytest.mark.anyio


async def balance(api: Api, gift: dict[str, Any]) -> int:
    return int((await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()["balance"])


async def test_partial_and_repeated_redemptions_until_used_up(api: Api) -> None:
    gift = await api.card(balance=3000)
    for amount in (1000, 1500):
        answer = await api.redeem(gift["id"], amount=amount, reference="ticket-9")
        assert answer.status_code == 201
    txn = answer.json()["transaction"]
    assert (txn["type"], txn["amount"], txn["balance_after"], txn["reference"]) == (
        "redemption",
        1500,
        500,
        "ticket-9",
    )
    split = (await api.redeem(gift["id"], amount=2000, allow_partial=True)).json()
    assert split["transaction"]["amount"] == 500  # took what was there: split tender
    assert split["gift"]["status"] == "depleted"
    assert split["gift"]["is_redeemable"] is False
    assert split["gift"]["present_value_description"] == "Used up"
    again = await api.redeem(gift["id"], amount=1)
    assert (again.status_code, again.json()["code"]) == (409, "not_redeemable")
    await ledger_identity(api)


async def test_validate_by_code_any_case_or_public_token(api: Api) -> None:
    gift = await api.card("SVS-000123", balance=7500)
    for body in ({"code": "svs-000123"}, {"public_token": gift["public_token"]}):
        found = (
            await api.post("/v1/gifts/validate", {**body, "ticket": {"id": "T1"}}, key=None)
        ).json()["gift"]
        assert found["id"] == gift["id"]
        assert found["eligible_value"] == 7500
        assert found["present_value_description"] == "$75.00 available"
        assert found["created_by"]["name"] == "admin"


async def test_reversal_puts_the_value_back_but_not_on_a_card_disabled_or_cashed_out_since(
    api: Api,
) -> None:
    """The retrial of a till (O): a redemption reversed after the card was cashed out put its
    value back on the closed card. Refused now, nothing changed (api.md "Rules")."""
    await api.set_config(cash_out_enabled=True, cash_out_max=10_000)
    gift = await api.card(balance=5000)
    redemption = (await api.redeem(gift["id"], amount=2000)).json()["transaction"]
    cashed = (await api.post(f"/v1/gifts/{gift['id']}/cash-out")).json()["transaction"]
    refused = await api.post(f"/v1/transactions/{redemption['id']}/reversal")
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["reason"]) == ("not_redeemable", "disabled")
    assert await balance(api, gift) == 0
    # The cash-out's own reversal enables its card; then the redemption can go back too.
    await api.post(f"/v1/transactions/{cashed['id']}/reversal")
    back = (await api.post(f"/v1/transactions/{redemption['id']}/reversal")).json()
    assert (back["gift"]["balance"], back["reversed"]["state"]) == (5000, "reversed")
    # The reversal names what it reverses, and the redemption names its reversal (checked
    # before 7409c3b; api.md "Transaction").
    assert (back["transaction"]["type"], back["transaction"]["reverses"]) == (
        "reversal",
        redemption["id"],
    )
    assert back["reversed"]["reversed_by"] == back["transaction"]["id"]
    other = await api.card("HELD", balance=5000)
    spent = (await api.redeem(other["id"], amount=2000)).json()["transaction"]
    patch = await api.client.patch(
        f"/v1/gift-cards/{other['id']}", json={"enabled": False}, headers=api.admin
    )
    assert patch.json()["status"] == "disabled"
    held = await api.post(f"/v1/transactions/{spent['id']}/reversal", {"reason": "mind"})
    assert (held.status_code, held.json()["reason"]) == (409, "disabled")
    assert await balance(api, other) == 3000
    await ledger_identity(api)


async def test_cash_out_pays_everything_disables_and_reverses(api: Api) -> None:
    await api.set_config(cash_out_enabled=True, cash_out_max=10_000)
    gift = await api.card(balance=4321)
    answer = await api.post(f"/v1/gifts/{gift['id']}/cash-out", {"reference": "drawer 1"})
    assert answer.status_code == 201
    paid = answer.json()
    assert (paid["transaction"]["type"], paid["transaction"]["amount"]) == (
        "gift_card_cash_out",
        4321,
    )
    assert (paid["gift"]["balance"], paid["gift"]["enabled"], paid["gift"]["status"]) == (
        0,
        False,
        "disabled",
    )
    back = (await api.post(f"/v1/transactions/{paid['transaction']['id']}/reversal")).json()
    assert (back["gift"]["balance"], back["gift"]["enabled"]) == (4321, True)
    item = await api.card("ITEM", None, kind="item", item_label="Coffee", item_quantity=1)
    refused = await api.post(f"/v1/gifts/{item['id']}/cash-out")
    assert (refused.status_code, refused.json()["code"]) == (409, "not_redeemable")
    await ledger_identity(api)


async def test_activation_and_issue(api: Api) -> None:
    sold = await api.post(
        "/v1/gift-cards/activations",
        {
            "code": "SOLD-1",
            "amount": 30000,
            "recipient": {"name": "Ann", "email": "ann@example.com"},
            "expires_at": "2099-01-31T00:00:00Z",
            "reference": "gift-card-300",
        },
    )
    assert sold.status_code == 201
    body = sold.json()
    assert (
        body["transaction"]["type"],
        body["gift"]["balance"],
        body["gift"]["starting_balance"],
    ) == ("activation", 30000, 30000)
    assert body["gift"]["expires_at"] == "2099-01-31T00:00:00.000000Z"
    assert body["gift"]["recipient"] == {"name": "Ann", "email": "ann@example.com"}
    issued = (await api.post("/v1/gift-cards/issues", {"amount": 1999})).json()
    assert issued["transaction"]["type"] == "issue"
    code = issued["gift"]["code"]
    assert len(code) == 12
    assert code.isdigit()
    await ledger_identity(api)


async def test_item_gifts_redeem_a_quantity(api: Api) -> None:
    gift = await api.card("COFFEE", None, kind="item", item_label="Coffee", item_quantity=2)
    assert gift["present_value_description"] == "2 x Coffee available"
    assert (gift["balance"], gift["eligible_value"], gift["eligible_item_quantity"]) == (None, 0, 2)
    one = (await api.redeem(gift["id"], quantity=1)).json()
    assert (
        one["transaction"]["quantity"],
        one["transaction"]["amount"],
        one["gift"]["item_quantity"],
    ) == (1, None, 1)
    too_many = await api.redeem(gift["id"], quantity=2)
    assert too_many.json()["code"] == "insufficient_balance"
    assert too_many.json()["detail"] == "Only 1 x Coffee left on this gift card"
    back = (await api.post(f"/v1/transactions/{one['transaction']['id']}/reversal")).json()
    assert back["gift"]["item_quantity"] == 2


async def test_canceled_cards_are_kept_but_hidden(api: Api) -> None:
    gift = await api.card("GONE", balance=900)
    assert (
        await api.client.delete(f"/v1/gift-cards/{gift['id']}", headers=api.admin)
    ).status_code == 204
    found = (await api.post("/v1/gifts/validate", {"code": "GONE"}, key=None)).json()["gift"]
    assert (found["status"], found["is_redeemable"], found["eligible_value"]) == (
        "canceled",
        False,
        0,
    )
    assert (await api.redeem(gift["id"], amount=1)).json()["reason"] == "canceled"
    assert (await api.get("/v1/gift-cards", admin=True)).json() == []
    listed = (await api.get("/v1/gift-cards", admin=True, include_canceled=True)).json()
    assert [g["code"] for g in listed] == ["GONE"]
    assert (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()[
        "status"
    ] == "canceled"


async def test_statuses_in_order(api: Api) -> None:
    cases = {
        # An expired card was usable before it expired (usable_at left out is now: refused).
        "expired": {"usable_at": "2025-02-01T00:00:00Z", "expires_at": "2026-01-31T00:00:00Z"},
        "not_yet_usable": {"usable_at": "2099-01-01T00:00:00Z"},
        "disabled": {
            "enabled": False,
            "usable_at": "2025-02-01T00:00:00Z",
            "expires_at": "2026-01-31T00:00:00Z",
        },
    }
    for status, extra in cases.items():
        gift = await api.card(status.upper().replace("_", "-"), balance=100, **extra)
        assert gift["status"] == status
        assert gift["not_redeemable_reason"] == status
    expired = (await api.post("/v1/gifts/validate", {"code": "expired"}, key=None)).json()["gift"]
    assert expired["present_value_description"] == "Expired on 2026-01-31"


async def test_promotional_gifts_restricted_to_another_location(api: Api) -> None:
    elsewhere = api.store.create_location(int(api.store_id), "Harbour Street")
    gift = await api.card(
        "PROMO", balance=1000, promotional=True, allowed_location_ids=[str(elsewhere)]
    )
    assert (gift["status"], gift["is_redeemable"], gift["not_redeemable_reason"]) == (
        "active",
        False,
        "location_not_allowed",
    )
    assert gift["present_value_description"] == "Not valid at this location"
    refused = await api.redeem(gift["id"], amount=100)
    assert refused.json()["reason"] == "location_not_allowed"
    there = api.store.create_token(int(api.store_id), elsewhere, "Harbour till", {"terminal"})
    headers = {"Authorization": f"Bearer {there}", "Idempotency-Key": "H-1"}
    taken = await api.client.post(
        f"/v1/gifts/{gift['id']}/redemptions", json={"amount": 100}, headers=headers
    )
    assert taken.status_code == 201
    assert taken.json()["transaction"]["location_id"] == str(elsewhere)


async def test_transaction_types_follow_cash_out_enabled(api: Api) -> None:
    types = {t["type"]: t["non_sale"] for t in (await api.get("/v1/transaction-types")).json()}
    assert "gift_card_cash_out" not in types
    assert types["redemption"] is False
    await api.set_config(cash_out_enabled=True)
    types = {t["type"]: t["non_sale"] for t in (await api.get("/v1/transaction-types")).json()}
    assert types["gift_card_cash_out"] is True
    config = (await api.get("/v1/gift-card-config")).json()
    assert config == {
        "currency": "USD",
        "store_name": "Test Books",  # since 4027809: posapp check compares it with the config
        "store_configurations": {"cash_out_enabled": True, "cash_out_max": None},
    }


async def test_another_stores_cards_and_transactions_do_not_exist(api: Api) -> None:
    gift = await api.card("MINE", balance=1000)
    txn = (await api.redeem(gift["id"], amount=100)).json()["transaction"]
    other = api.store.create_store("Rival", "EUR")
    theirs = {"Authorization": f"Bearer {other['admin_token']}"}
    assert (
        await api.client.post("/v1/gifts/validate", json={"code": "MINE"}, headers=theirs)
    ).status_code == 404
    assert (await api.client.get(f"/v1/gift-cards/{gift['id']}", headers=theirs)).status_code == 404
    redeem = await api.client.post(
        f"/v1/gifts/{gift['id']}/redemptions",
        json={"amount": 1},
        headers={**theirs, "Idempotency-Key": "R"},
    )
    assert redeem.status_code == 404
    reverse = await api.client.post(
        f"/v1/transactions/{txn['id']}/reversal", headers={**theirs, "Idempotency-Key": "V"}
    )
    assert reverse.status_code == 404
    assert (await api.client.get("/v1/transactions", headers=theirs)).json() == []
    assert (await api.client.get("/v1/gift-cards", headers=theirs)).json() == []
    # The same code may exist in both stores.
    mine_too = await api.client.post(
        "/v1/gift-cards", json={"code": "MINE", "balance": 5}, headers=theirs
    )
    assert mine_too.status_code == 201
    assert mine_too.json()["currency"] == "EUR"


async def test_pagination_with_after_and_before(api: Api) -> None:
    ids = [(await api.card(f"P-{i:02d}", balance=100 + i))["id"] for i in range(7)]
    assert ids == sorted(ids, key=int)
    page1 = (await api.get("/v1/gift-cards", admin=True, limit=3)).json()
    page2 = (await api.get("/v1/gift-cards", admin=True, limit=3, after=page1[-1]["id"])).json()
    page3 = (await api.get("/v1/gift-cards", admin=True, limit=3, after=page2[-1]["id"])).json()
    assert [g["id"] for g in page1 + page2 + page3] == ids
    back = (await api.get("/v1/gift-cards", admin=True, limit=3, before=page3[0]["id"])).json()
    assert [g["id"] for g in back] == ids[3:6]
    by_code = (await api.get("/v1/gift-cards", admin=True, code="p-03")).json()
    assert [g["id"] for g in by_code] == [ids[3]]
    for gift_id in ids[:3]:
        await api.redeem(gift_id, amount=10)
    txns = (await api.get("/v1/transactions", type="redemption", limit=2)).json()
    more = (
        await api.get("/v1/transactions", type="redemption", limit=2, after=txns[-1]["id"])
    ).json()
    assert [t["gift_id"] for t in txns + more] == ids[:3]
    only = (await api.get("/v1/transactions", gift_id=ids[1], type="redemption")).json()
    assert [t["gift_id"] for t in only] == [ids[1]]
    window = (
        await api.get(
            "/v1/transactions", since="2020-01-01T00:00:00Z", until="2020-01-02T00:00:00Z"
        )
    ).json()
    assert window == []


async def test_balance_adjustment_is_a_transaction(api: Api) -> None:
    gift = await api.card(balance=1000)
    for new in (2500, 700):
        answer = await api.client.patch(
            f"/v1/gift-cards/{gift['id']}", json={"balance": new}, headers=api.admin
        )
        assert answer.json()["balance"] == new
    adjustments = (await api.get("/v1/transactions", type="adjustment")).json()
    # The first is the card's creation with its balance (api.md "Manager changes").
    assert [(t["amount"], t["balance_after"]) for t in adjustments] == [
        (1000, 1000),
        (1500, 2500),
        (1800, 700),
    ]
    await ledger_identity(api)


async def test_64_concurrent_redemptions_never_take_more_than_the_balance(api: Api) -> None:
    gift = await api.card("HOT", balance=10_000)
    spare = await api.card("COLD", balance=500)
    answers = []

    async def one(i: int) -> None:
        answers.append(await api.redeem(gift["id"], amount=300 + (i % 3) * 100))

    async with anyio.create_task_group() as group:
        for i in range(64):
            group.start_soon(one, i)
    taken = sum(a.json()["transaction"]["amount"] for a in answers if a.status_code == 201)
    refused = [a.json()["code"] for a in answers if a.status_code != 201]
    assert set(refused) <= {"insufficient_balance", "not_redeemable"}
    assert refused
    assert taken <= 10_000
    assert await balance(api, gift) == 10_000 - taken
    assert await balance(api, spare) == 500
    await ledger_identity(api)
