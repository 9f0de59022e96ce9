"""api.md "Voiding a card sold or issued" and "Manager changes": issue 19, points 2 and 3,
on the reference provider over HTTP (in-process and loopback), SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.provider.conftest import Api, ledger_identity

pytestmark = pytest.mark.anyio


async def sold(api: Api, code: str = "SOLD-1", amount: int = 2500) -> dict[str, Any]:
    answer = await api.post("/v1/gift-cards/activations", {"code": code, "amount": amount})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def void(api: Api, txn: dict[str, Any], **body: Any) -> Any:
    return await api.post(f"/v1/transactions/{txn['transaction']['id']}/reversal", body or None)


async def test_a_card_sold_and_not_used_is_voided_and_canceled(api: Api) -> None:
    sale = await sold(api)
    answer = await void(api, sale, reason="wrong amount", client_reference="till-void-1")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["transaction"]["type"], body["transaction"]["amount"]) == ("reversal", 2500)
    assert body["transaction"]["reverses"] == sale["transaction"]["id"]
    assert body["transaction"]["balance_after"] == 0
    assert body["transaction"]["client_reference"] == "till-void-1"
    assert body["transaction"]["reference"] == "wrong amount"
    assert (body["reversed"]["state"], body["reversed"]["reversed_by"]) == (
        "reversed",
        body["transaction"]["id"],
    )
    assert (body["gift"]["status"], body["gift"]["balance"]) == ("canceled", 0)
    # The card cannot be spent, voided again, or sold again.
    assert (await api.redeem(sale["gift"]["id"], amount=1)).json()["reason"] == "canceled"
    again = await void(api, sale)
    assert (again.status_code, again.json()["code"]) == (409, "already_reversed")
    resold = await api.post("/v1/gift-cards/activations", {"code": "SOLD-1", "amount": 2500})
    assert (resold.status_code, resold.json()["code"]) == (409, "code_taken")
    await ledger_identity(api)


async def test_a_refund_card_issued_and_not_used_is_voided(api: Api) -> None:
    issued = (await api.post("/v1/gift-cards/issues", {"amount": 1999})).json()
    body = (await void(api, issued)).json()
    assert (body["transaction"]["amount"], body["gift"]["status"]) == (1999, "canceled")
    await ledger_identity(api)


async def test_a_card_used_since_it_was_sold_cannot_be_voided(api: Api) -> None:
    sale = await sold(api)
    assert (await api.redeem(sale["gift"]["id"], amount=500)).status_code == 201
    refused = await void(api, sale)
    problem = refused.json()
    assert (refused.status_code, problem["code"]) == (409, "card_used")
    assert problem["detail"] == (
        "The card was used after it was sold (it holds $20.00 of $25.00): it cannot be voided"
    )
    gift = (await api.get(f"/v1/gift-cards/{sale['gift']['id']}", admin=True)).json()
    assert (gift["status"], gift["balance"]) == ("active", 2000)  # nothing changed
    await ledger_identity(api)


async def test_a_redemption_reversed_leaves_the_card_as_sold(api: Api) -> None:
    sale = await sold(api)
    taken = (await api.redeem(sale["gift"]["id"], amount=500)).json()
    assert (await api.post(f"/v1/transactions/{taken['transaction']['id']}/reversal")).status_code
    assert (await void(api, sale)).status_code == 201
    await ledger_identity(api)


async def test_an_adjusted_card_cannot_be_voided(api: Api) -> None:
    """An adjustment cannot be reversed: a card adjusted since its sale is not as sold."""
    sale = await sold(api)
    for balance in (9000, 2500):  # up and back: the same balance, but not unspent
        answer = await api.client.patch(
            f"/v1/gift-cards/{sale['gift']['id']}", json={"balance": balance}, headers=api.admin
        )
        assert answer.status_code == 200
    assert (await void(api, sale)).json()["code"] == "card_used"


async def test_a_canceled_card_sold_earlier_cannot_be_voided(api: Api) -> None:
    sale = await sold(api)
    gone = await api.client.delete(f"/v1/gift-cards/{sale['gift']['id']}", headers=api.admin)
    assert gone.status_code == 204
    refused = (await void(api, sale)).json()
    assert (refused["code"], refused["reason"]) == ("not_redeemable", "canceled")


async def test_admin_money_changes_are_adjustments_with_reason_and_reference(api: Api) -> None:
    """A card created with a balance, a balance set, a card canceled holding money: each an
    adjustment carrying the admin's reason and client_reference, found by the lookup."""
    made = await api.client.post(
        "/v1/gift-cards",
        json={"code": "MGR-1", "balance": 1250, "reason": "lost card", "client_reference": "c-1"},
        headers={**api.admin, "Idempotency-Key": "k-1"},
    )
    assert made.status_code == 201, made.text
    gift_id = made.json()["id"]
    changed = await api.client.patch(
        f"/v1/gift-cards/{gift_id}",
        json={"balance": 10000, "reason": "goodwill", "client_reference": "c-2"},
        headers={**api.admin, "Idempotency-Key": "k-2"},
    )
    assert changed.json()["balance"] == 10000
    gone = await api.client.request(
        "DELETE",
        f"/v1/gift-cards/{gift_id}",
        json={"reason": "stolen", "client_reference": "c-3"},
        headers={**api.admin, "Idempotency-Key": "k-3"},
    )
    assert gone.status_code == 204
    adjustments = (await api.get("/v1/transactions", type="adjustment")).json()
    assert [
        (t["amount"], t["balance_after"], t["reference"], t["client_reference"])
        for t in adjustments
    ] == [
        (1250, 1250, "lost card", "c-1"),
        (8750, 10000, "goodwill", "c-2"),
        (10000, 0, "stolen", "c-3"),
    ]
    gift = (await api.get(f"/v1/gift-cards/{gift_id}", admin=True)).json()
    assert (gift["status"], gift["balance"], gift["starting_balance"]) == ("canceled", 0, 1250)
    found = (await api.get("/v1/transactions/lookup", client_reference="c-2")).json()
    assert [f["transaction"]["amount"] for f in found] == [8750]
    # Canceled again: nothing more is written.
    again = await api.client.delete(f"/v1/gift-cards/{gift_id}", headers=api.admin)
    assert again.status_code == 204
    assert len((await api.get("/v1/transactions", type="adjustment")).json()) == 3
    await ledger_identity(api)


async def test_cards_without_money_write_no_adjustment(api: Api) -> None:
    empty = await api.card("EMPTY", balance=0)
    await api.card("ITEM", None, kind="item", item_label="Coffee", item_quantity=2)
    gone = await api.client.delete(f"/v1/gift-cards/{empty['id']}", headers=api.admin)
    assert gone.status_code == 204
    assert (await api.get("/v1/transactions", type="adjustment")).json() == []


async def test_a_card_sold_then_disabled_is_still_voided(api: Api) -> None:
    """api.md: an activation is voided while its card is unspent; a void takes value off the
    card, so a card disabled since is no reason to refuse it (the rule that refuses a
    reversal onto a disabled card is about putting value back)."""
    sale = await sold(api, "SOLD-DIS")
    patch = await api.client.patch(
        f"/v1/gift-cards/{sale['gift']['id']}", json={"enabled": False}, headers=api.admin
    )
    assert patch.json()["status"] == "disabled"
    answer = await void(api, sale, reason="wrong card")
    assert answer.status_code == 201, answer.text
    assert (answer.json()["gift"]["status"], answer.json()["gift"]["balance"]) == ("canceled", 0)
    await ledger_identity(api)
