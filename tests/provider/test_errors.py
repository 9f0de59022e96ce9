"""Every error of api.md, as problem+json with its code and status."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.provider.conftest import Api

pytestmark = pytest.mark.anyio


def problem(answer: httpx.Response, code: str, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"] == f"urn:posapp:problem:{code}"
    return dict(body)


async def test_unauthorized_without_or_with_an_unknown_token(api: Api) -> None:
    answer = await api.client.post("/v1/gifts/validate", json={"code": "X"})
    problem(answer, "unauthorized", 401)
    assert answer.headers["www-authenticate"] == "Bearer"
    bad = {"Authorization": "Bearer pgc_not-a-real-token"}
    problem(await api.client.get("/v1/transactions", headers=bad), "unauthorized", 401)
    problem(
        await api.client.get("/v1/transactions", headers={"Authorization": "Basic abc"}),
        "unauthorized",
        401,
    )


async def test_forbidden_when_the_token_lacks_the_scope(api: Api) -> None:
    problem(await api.get("/v1/gift-cards"), "forbidden", 403)
    answer = await api.client.patch(
        "/v1/gift-card-config", json={"store_configurations": {}}, headers=api.terminal
    )
    problem(answer, "forbidden", 403)


async def test_not_found_and_gift_not_found(api: Api) -> None:
    problem(await api.post("/v1/gifts/validate", {"code": "NOPE"}, key=None), "gift_not_found", 404)
    problem(await api.redeem("12345", amount=100), "not_found", 404)
    problem(await api.post("/v1/transactions/12345/reversal"), "not_found", 404)
    problem(await api.get("/v1/gift-cards/12345", admin=True), "not_found", 404)
    problem(await api.client.get("/no/such/route"), "not_found", 404)
    problem(await api.client.put("/v1/gift-cards", headers=api.admin), "method_not_allowed", 405)


async def test_idempotency_key_required_for_money_movements(api: Api) -> None:
    gift = await api.card()
    for path, body in [
        (f"/v1/gifts/{gift['id']}/redemptions", {"amount": 100}),
        (f"/v1/gifts/{gift['id']}/cash-out", None),
        ("/v1/gift-cards/activations", {"code": "NEW-1", "amount": 100}),
        ("/v1/gift-cards/issues", {"amount": 100}),
        ("/v1/transactions/1/reversal", None),
    ]:
        problem(await api.post(path, body, key=None), "idempotency_key_required", 400)
    problem(
        await api.post(f"/v1/gifts/{gift['id']}/redemptions", {"amount": 100}, key="k" * 256),
        "validation_error",
        422,
    )


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 100, "colour": "red"},  # unknown fields are rejected
        {"amount": 100, "allow_partial": "yes"},
        {"amount": 100, "reference": 5},
    ],
)
async def test_validation_error(api: Api, body: dict[str, Any]) -> None:
    gift = await api.card()
    found = problem(await api.redeem(gift["id"], **body), "validation_error", 422)
    assert found["errors"]


async def test_validation_error_for_validate_and_queries(api: Api) -> None:
    problem(await api.post("/v1/gifts/validate", {}, key=None), "validation_error", 422)
    problem(
        await api.post("/v1/gifts/validate", {"code": "a", "public_token": "b"}, key=None),
        "validation_error",
        422,
    )
    problem(
        await api.post("/v1/gifts/validate", {"code": "bad*code"}, key=None),
        "validation_error",
        422,
    )
    problem(await api.get("/v1/transactions", limit=0), "validation_error", 422)
    problem(await api.get("/v1/transactions", limit=101), "validation_error", 422)
    problem(await api.get("/v1/transactions", since="yesterday"), "validation_error", 422)
    problem(
        await api.client.post("/v1/gifts/validate", content=b"{not json", headers=api.terminal),
        "validation_error",
        422,
    )


@pytest.mark.parametrize("amount", ["100", 1.5, True, 0, -5, 100_000_001, 10**30, None])
async def test_invalid_amount(api: Api, amount: Any) -> None:
    gift = await api.card()
    found = problem(await api.redeem(gift["id"], amount=amount), "invalid_amount", 422)
    assert found["errors"][0]["field"] == "amount"
    assert (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()["balance"] == 5000


async def test_invalid_amount_for_the_wrong_kind(api: Api) -> None:
    monetary = await api.card("M-1")
    item = await api.card("I-1", None, kind="item", item_label="Coffee", item_quantity=2)
    problem(await api.redeem(monetary["id"], quantity=1), "invalid_amount", 422)
    problem(await api.redeem(item["id"], amount=100), "invalid_amount", 422)
    problem(await api.post("/v1/gift-cards/issues", {"amount": 0}), "invalid_amount", 422)


async def test_insufficient_balance_says_what_is_left(api: Api) -> None:
    gift = await api.card(balance=1200)
    found = problem(await api.redeem(gift["id"], amount=1201), "insufficient_balance", 422)
    assert found["detail"] == "Only $12.00 left on this gift card"
    assert found["eligible_value"] == 1200


async def test_cash_out_disabled_then_limit_exceeded(api: Api) -> None:
    gift = await api.card(balance=5000)
    problem(await api.post(f"/v1/gifts/{gift['id']}/cash-out"), "cash_out_disabled", 403)
    await api.set_config(cash_out_enabled=True, cash_out_max=4999)
    problem(await api.post(f"/v1/gifts/{gift['id']}/cash-out"), "cash_out_limit_exceeded", 422)


async def test_not_redeemable(api: Api) -> None:
    gift = await api.card(enabled=False)
    found = problem(await api.redeem(gift["id"], amount=100), "not_redeemable", 409)
    assert found["reason"] == "disabled"


async def test_already_reversed_and_not_reversible(api: Api) -> None:
    gift = await api.card()
    redemption = (await api.redeem(gift["id"], amount=100)).json()["transaction"]
    back = await api.post(f"/v1/transactions/{redemption['id']}/reversal")
    assert back.status_code == 201
    problem(
        await api.post(f"/v1/transactions/{redemption['id']}/reversal"), "already_reversed", 409
    )
    # A reversal, or an adjustment, is not undone by another (api.md: activations and issues
    # are, while unspent: tests/provider/test_void_and_changes.py).
    problem(
        await api.post(f"/v1/transactions/{back.json()['transaction']['id']}/reversal"),
        "not_reversible",
        409,
    )


async def test_code_taken_case_insensitively(api: Api) -> None:
    await api.card("ABC-123")
    problem(
        await api.post("/v1/gift-cards/activations", {"code": "abc-123", "amount": 500}),
        "code_taken",
        409,
    )
    answer = await api.client.post(
        "/v1/gift-cards", json={"code": "Abc-123", "balance": 1}, headers=api.admin
    )
    problem(answer, "code_taken", 409)


# rate_limited: test_rate_limit_and_log.py. request_in_progress cannot be provoked: a
# duplicate of a running request waits on the first one's row lock and replays its answer,
# which api.md allows instead (test_idempotency.py shows 32 of them at once).
