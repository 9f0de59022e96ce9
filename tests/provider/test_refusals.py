"""Issue 18 point 5: the provider refuses what it cannot honour, with 4xx problems and no
traceback: an activation already expired, an expiry before the card is usable, numbers that
are not finite, years past 9999, JSON nested past a bound."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from posapp.provider.json_body import MAX_DEPTH
from tests.provider.conftest import Api
from tests.provider.test_errors import problem

pytestmark = pytest.mark.anyio


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def fields(found: dict[str, Any]) -> set[str]:
    return {e["field"] for e in found.get("errors", [])}


@pytest.fixture
def no_traceback(caplog: pytest.LogCaptureFixture) -> Any:
    """Whatever the request, the provider logs no error and no traceback for it."""
    with caplog.at_level(logging.INFO, logger="posapp"):
        yield
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert loud == []


async def test_the_last_moment_of_year_9999_is_kept_and_later_ones_refused(
    api: Api, no_traceback: None
) -> None:
    last = "9999-12-31T23:59:59.999999Z"  # rounded up into year 10000: a 500 before
    sold = await api.post(
        "/v1/gift-cards/activations", {"code": "LONG-1", "amount": 100, "expires_at": last}
    )
    assert sold.status_code == 201, sold.text
    assert sold.json()["gift"]["expires_at"] == last
    validated = await api.post("/v1/gifts/validate", {"code": "LONG-1"}, key=None)
    assert validated.json()["gift"]["expires_at"] == last
    for past_9999 in ("9999-12-31T23:00:00-01:00", "0001-01-01T00:00:00+01:00"):
        body = {"code": "LONG-2", "amount": 100, "expires_at": past_9999}
        found = problem(await api.post("/v1/gift-cards/activations", body), "validation_error", 422)
        assert fields(found) == {"expires_at"}
        assert "0001 to 9999" in found["detail"]
        listed = await api.get("/v1/transactions", until=past_9999)
        assert fields(problem(listed, "validation_error", 422)) == {"until"}
        made = await api.post(
            "/v1/gift-cards", {"code": "LONG-3", "balance": 1, "usable_at": past_9999}, admin=True
        )
        assert fields(problem(made, "validation_error", 422)) == {"usable_at"}
    assert (await api.get("/v1/transactions", since=last)).json() == []
    # Years before 1000 keep their four digits (strftime wrote "541-04-23", not RFC 3339).
    old = await api.card("OLD-1", usable_at="0541-04-23T01:48:04Z", expires_at=last)
    assert old["usable_at"] == "0541-04-23T01:48:04.000000Z"
    assert (await api.get("/v1/gift-cards", admin=True, code="LONG-2")).json() == []


async def test_an_activation_that_has_already_expired_is_refused(
    api: Api, no_traceback: None
) -> None:
    now = datetime.now(UTC)
    for expired in (now - timedelta(seconds=1), now - timedelta(days=400)):
        body = {"code": "DEAD-1", "amount": 5000, "expires_at": stamp(expired)}
        found = problem(await api.post("/v1/gift-cards/activations", body), "validation_error", 422)
        assert fields(found) == {"expires_at"}
        assert "already passed" in found["detail"]
    assert (await api.get("/v1/gift-cards", admin=True, code="DEAD-1")).json() == []
    assert (await api.get("/v1/transactions")).json() == []
    later = {"code": "DEAD-1", "amount": 5000, "expires_at": stamp(now + timedelta(days=1))}
    assert (await api.post("/v1/gift-cards/activations", later)).status_code == 201


async def test_an_expiry_before_the_card_is_usable_is_refused_on_create_and_change(
    api: Api, no_traceback: None
) -> None:
    soon = datetime.now(UTC) + timedelta(days=30)
    backwards = {
        "code": "WIN-1",
        "balance": 100,
        "usable_at": stamp(soon),
        "expires_at": stamp(soon - timedelta(days=1)),
    }
    found = problem(
        await api.post("/v1/gift-cards", backwards, admin=True), "validation_error", 422
    )
    assert fields(found) == {"expires_at"}
    assert "must be after usable_at" in found["detail"]
    same = {**backwards, "expires_at": backwards["usable_at"]}  # a window of no time at all
    problem(await api.post("/v1/gift-cards", same, admin=True), "validation_error", 422)
    assert (await api.get("/v1/gift-cards", admin=True, code="WIN-1")).json() == []
    # An expiry in the past with usable_at left out (usable now): a window the wrong way.
    past = {"code": "WIN-1", "balance": 100, "expires_at": stamp(soon - timedelta(days=60))}
    problem(await api.post("/v1/gift-cards", past, admin=True), "validation_error", 422)

    gift = await api.card(
        "WIN-2", usable_at=stamp(soon), expires_at=stamp(soon + timedelta(days=1))
    )

    async def change(**body: Any) -> Any:
        path = f"/v1/gift-cards/{gift['id']}"
        return await api.client.patch(
            path, json=body, headers={**api.admin, "Idempotency-Key": api.key()}
        )

    found = problem(
        await change(expires_at=stamp(soon - timedelta(days=1))), "validation_error", 422
    )
    assert fields(found) == {"expires_at"}
    found = problem(
        await change(usable_at=stamp(soon + timedelta(days=2))), "validation_error", 422
    )
    assert fields(found) == {"usable_at"}
    kept = (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()
    assert (kept["usable_at"], kept["expires_at"]) == (gift["usable_at"], gift["expires_at"])
    # Both moved together, the right way round: taken.
    moved = await change(
        usable_at=stamp(soon + timedelta(days=2)), expires_at=stamp(soon + timedelta(days=3))
    )
    assert moved.status_code == 200, moved.text


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
async def test_numbers_that_are_not_finite_are_refused_anywhere(
    api: Api, no_traceback: None, number: str
) -> None:
    gift = await api.card("FIN-1", balance=5000)
    sent = {
        "/v1/gifts/validate": '{"code": "FIN-1", "ticket": {"total": %s}}',
        f"/v1/gifts/{gift['id']}/redemptions": '{"amount": %s}',
        "/v1/gift-cards/activations": '{"code": "FIN-2", "amount": 100, "colour": [%s]}',
    }
    for path, body in sent.items():
        headers = {**api.terminal, "Idempotency-Key": api.key(), "Content-Type": "application/json"}
        answer = await api.client.post(path, content=(body % number).encode(), headers=headers)
        assert answer.status_code == 422, answer.text
        found = answer.json()
        assert found["code"] in {"validation_error", "invalid_amount"}
        assert "finite number" in found["detail"]
    assert (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()["balance"] == 5000
    # A finite number in a ticket is taken as before.
    fine = await api.post(
        "/v1/gifts/validate", {"code": "FIN-1", "ticket": {"total": 12.5}}, key=None
    )
    assert fine.status_code == 200


@pytest.mark.parametrize("deep", [MAX_DEPTH + 1, 1_000, 9_000])  # 9,000: under 64 KB
async def test_json_nested_past_the_bound_is_refused_without_a_traceback(
    api: Api, no_traceback: None, deep: int
) -> None:
    nested = "[" * deep + "]" * deep
    bodies = [
        nested,
        '{"code": "X", "ticket": {"a": ' + nested + "}}",
        '{"code": "DEEP-1", "amount": 100, "recipient": ' + '{"a":' * deep + "1" + "}" * deep + "}",
    ]
    for path in ("/v1/gifts/validate", "/v1/gift-cards/activations"):
        for body in bodies:
            headers = {
                **api.terminal,
                "Idempotency-Key": api.key(),
                "Content-Type": "application/json",
            }
            answer = await api.client.post(path, content=body.encode(), headers=headers)
            found = problem(answer, "validation_error", 422)
            assert f"nested more than {MAX_DEPTH} levels" in found["detail"]
    # Brackets inside strings are text, not nesting.
    text = {"code": "X", "ticket": {"note": "[" * 400}}
    assert (await api.post("/v1/gifts/validate", text, key=None)).status_code == 404


async def test_null_is_taken_only_where_it_means_something(api: Api, no_traceback: None) -> None:
    """What /openapi.json says of null is what the provider does (issue 18: it said null was
    fine for fields whose null was then refused)."""
    gift = await api.card("NUL-1", balance=5000)
    path = f"/v1/gift-cards/{gift['id']}"

    async def change(body: dict[str, Any]) -> Any:
        headers = {**api.admin, "Idempotency-Key": api.key()}
        return await api.client.patch(path, json=body, headers=headers)

    for field in ("enabled", "code", "balance", "usable_at"):
        code = "invalid_amount" if field == "balance" else "validation_error"
        found = problem(await change({field: None}), code, 422)
        assert "not null" in found["detail"]
    assert (await change({"expires_at": None})).status_code == 200  # null: never expires

    async def configure(body: dict[str, Any]) -> Any:
        headers = {**api.admin, "Idempotency-Key": api.key()}
        wrapped = {"store_configurations": body}
        return await api.client.patch("/v1/gift-card-config", json=wrapped, headers=headers)

    problem(await configure({"cash_out_enabled": None}), "validation_error", 422)
    assert (await configure({"cash_out_max": None})).status_code == 200  # null: no limit
    for body in (
        {"code": None, "public_token": gift["public_token"]},
        {"code": "NUL-1", "ticket": None},
    ):
        problem(await api.post("/v1/gifts/validate", body, key=None), "validation_error", 422)
    problem(await api.redeem(gift["id"], amount=100, quantity=None), "invalid_amount", 422)
    # An optional body may be JSON null: no body.
    await api.set_config(cash_out_enabled=True)
    cashed = await api.post(f"/v1/gifts/{gift['id']}/cash-out", None)
    assert cashed.status_code == 201, cashed.text


async def test_a_whole_number_written_with_a_fraction_is_that_integer(api: Api) -> None:
    """JSON Schema's integer takes 86.0; so does the provider, by the decimal text, never a
    float (99999999.9999999999 is not 100,000,000)."""
    gift = await api.card("INT-1", balance=5000)
    headers = {**api.terminal, "Content-Type": "application/json"}
    path = f"/v1/gifts/{gift['id']}/redemptions"
    for text, taken in ((b'{"amount": 86.0}', 86), (b'{"amount": 1.4e1}', 14)):
        answer = await api.client.post(
            path, content=text, headers={**headers, "Idempotency-Key": api.key()}
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["transaction"]["amount"] == taken
    for text in (b'{"amount": 86.5}', b'{"amount": 99999999.9999999999}', b'{"amount": 1e-400}'):
        answer = await api.client.post(
            path, content=text, headers={**headers, "Idempotency-Key": api.key()}
        )
        problem(answer, "invalid_amount", 422)
    assert (await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)).json()["balance"] == 4900
