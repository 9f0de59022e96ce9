"""LeanRoute parses the terminal's calls itself; each odd request gets FastAPI's answer."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Query
from fastapi.responses import Response

from posapp.provider.routing import LeanRoute
from tests.provider.conftest import Api
from tests.provider.test_errors import problem

pytestmark = pytest.mark.anyio


async def balance(api: Api, gift: dict[str, Any]) -> int:
    answer = await api.get(f"/v1/gift-cards/{gift['id']}", admin=True)
    return int(answer.json()["balance"])


async def send(api: Api, path: str, content: bytes, **headers: str) -> Any:
    headers = {**api.terminal, "Idempotency-Key": api.key(), **headers}
    return await api.client.post(path, content=content, headers=headers)


@pytest.mark.parametrize(
    ("content", "content_type", "field"),
    [
        (b"", "application/json", "body"),  # a redemption needs a body
        (b"{not json", "application/json", "body"),
        (b'{"amount": 100}', "text/plain", "body"),  # FastAPI too reads only JSON types
        (b"[100]", "application/json", "body"),
        (b'{"amount": 100, "allow_partial": "maybe"}', "application/json", "allow_partial"),
    ],
)
async def test_a_bad_body_is_refused_and_moves_nothing(
    api: Api, content: bytes, content_type: str, field: str
) -> None:
    gift = await api.card()
    path = f"/v1/gifts/{gift['id']}/redemptions"
    found = problem(
        await send(api, path, content, **{"Content-Type": content_type}), "validation_error", 422
    )
    assert found["errors"][0]["field"] == field
    assert await balance(api, gift) == 5000


async def test_json_media_types_and_optional_bodies(api: Api) -> None:
    gift = await api.card()
    path = f"/v1/gifts/{gift['id']}/redemptions"
    answer = await send(
        api, path, b'{"amount": 100}', **{"Content-Type": "application/merchant+json"}
    )
    assert answer.status_code == 201, answer.text
    # A cash-out's and a reversal's bodies are optional: no body at all is a whole request.
    await api.set_config(cash_out_enabled=True)
    txn = answer.json()["transaction"]["id"]
    reversed_ = await send(api, f"/v1/transactions/{txn}/reversal", b"")
    assert reversed_.status_code == 201, reversed_.text
    cashed = await send(api, f"/v1/gifts/{gift['id']}/cash-out", b"")
    assert cashed.status_code == 201, cashed.text
    assert cashed.json()["transaction"]["amount"] == 5000


@pytest.mark.parametrize("gift_id", ["abc", "-1", str(2**63), "1.5"])
async def test_a_bad_id_in_the_path_is_a_validation_error(api: Api, gift_id: str) -> None:
    found = problem(
        await send(api, f"/v1/gifts/{gift_id}/redemptions", b'{"amount": 1}'),
        "validation_error",
        422,
    )
    assert found["errors"][0]["field"] == "gift_id"


async def test_every_bad_part_is_named_at_once(api: Api) -> None:
    found = problem(
        await send(api, "/v1/gifts/abc/redemptions", b'{"amount": 1, "x": 2}'),
        "validation_error",
        422,
    )
    assert {e["field"] for e in found["errors"]} == {"gift_id", "x"}


async def test_who_is_asking_is_checked_before_the_request(api: Api) -> None:
    # As FastAPI orders it: a caller without a token learns nothing about the request.
    answer = await api.client.post(
        "/v1/gifts/abc/redemptions", content=b"{not json", headers={"Idempotency-Key": "k"}
    )
    problem(answer, "unauthorized", 401)


async def test_a_failed_validation_is_replayed_under_its_key(api: Api) -> None:
    gift = await api.card()
    path = f"/v1/gifts/{gift['id']}/redemptions"
    first = await send(api, path, b"{not json", **{"Idempotency-Key": "same"})
    again = await send(api, path, b'{"amount": 100}', **{"Idempotency-Key": "same"})
    assert again.status_code == first.status_code == 422
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert await balance(api, gift) == 5000


def test_a_parameter_it_cannot_parse_is_refused_at_start() -> None:
    app = FastAPI()

    async def listing(limit: Annotated[int, Query()] = 5) -> Response:
        return Response()

    with pytest.raises(TypeError, match="cannot parse parameter 'limit'"):
        app.router.add_api_route("/x", listing, route_class_override=LeanRoute)
