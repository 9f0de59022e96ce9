"""The Square adapter against the fake Square over loopback HTTP: each mapping of
issue 12 (check, redeem, reverse, cash out, sell, refund, transactions, errors), and the
fake's own checks of Square's request schemas."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from posapp.adapters.provider_http import HttpSettings
from posapp.adapters.square import SQUARE_VERSION, SquareClient
from posapp.app import Engine
from posapp.core import intent as intents
from posapp.square_fake import spec
from posapp.square_fake.app import FakeSquare, demo_square
from posapp.terminal.ports import Declined, OutcomeUnknown
from posapp.terminal.service import CashierError
from tests.helpers import LiveServer, need_specs
from tests.terminal.conftest import Provider

OPEN: list[SquareClient] = []


@pytest.fixture
def square() -> Iterator[tuple[FakeSquare, LiveServer]]:
    fake, _cards = demo_square()
    server = LiveServer(fake.app())
    yield fake, server
    while OPEN:
        OPEN.pop().close()
    server.stop()


def client(
    square: tuple[FakeSquare, LiveServer], cash_out: str = "redeem", token: str | None = None
) -> SquareClient:
    fake, server = square
    made = SquareClient(
        server.url,
        token or fake.token,
        location_id=fake.location_id,
        cash_out=cash_out,
        http=HttpSettings(backoff=(0.01,)),
    )
    OPEN.append(made)
    return made


@pytest.mark.parametrize(
    ("gan", "status", "says"),
    [
        ("500000000000001", "active", None),
        ("500000000000003", "depleted", "This card is used up"),
        ("500000000000004", "not_yet_usable", "This card is not sold yet: F5 sells it"),
        ("500000000000006", "disabled", "This card is blocked"),
        ("500000000000007", "canceled", "This card was canceled"),
    ],
)
def test_square_states_are_our_statuses_with_a_cashiers_sentence(
    square: tuple[FakeSquare, LiveServer], gan: str, status: str, says: str | None
) -> None:
    gift = client(square).validate(code=gan)
    assert gift.status == status
    if says is None:
        assert (gift.is_redeemable, gift.eligible_value) == (True, 7500)
        assert gift.present_value_description == "$75.00 available"
    else:
        assert gift.is_redeemable is False
        assert (gift.why_not_redeemable() or "").startswith(says)


def test_redeem_reverse_and_cash_out_as_square_activities(
    square: tuple[FakeSquare, LiveServer],
) -> None:
    fake, _server = square
    square_client = client(square)
    gift = square_client.validate(code="500000000000001")
    moved = square_client.send(intents.redeem(gift.id, amount=1000), "key-1")
    assert (moved.transaction.type, moved.transaction.amount) == ("redemption", 1000)
    assert moved.transaction.balance_after == 6500
    assert moved.transaction.reference == "key-1"  # reconciliation by reference_id
    assert square_client.send(intents.redeem(gift.id, amount=1000), "key-1") == moved  # replay
    back = square_client.send(
        intents.reverse(moved.transaction.id, gift_id=gift.id, amount=1000), "key-2"
    )
    assert (back.transaction.type, back.transaction.balance_after) == ("reversal", 7500)
    assert fake.activities[-1]["adjust_increment_activity_details"] == {
        "amount_money": {"amount": 1000, "currency": "USD"},
        "reason": "TRANSACTION_VOIDED",
    }
    # (That reversal carried no till reference, as entries journalled before issue 18: an
    # ADJUST_INCREMENT, as then. One with a reference is a REFUND of the redemption.)
    again = square_client.send(intents.redeem(gift.id, amount=500).referenced("r-5"), "key-5")
    refund = intents.reverse(again.transaction.id, gift_id=gift.id, amount=500)
    given = square_client.send(refund.referenced("r-6"), "key-6")
    assert (given.transaction.type, given.transaction.balance_after) == ("reversal", 7500)
    assert given.transaction.reverses == again.transaction.id
    assert fake.activities[-1]["refund_activity_details"] == {
        "redeem_activity_id": again.transaction.id,
        "reference_id": "r-6",
        "amount_money": {"amount": 500, "currency": "USD"},
    }
    cashed = square_client.send(intents.cash_out(gift.id, 7500), "key-3")
    assert (cashed.transaction.amount, cashed.transaction.balance_after) == (7500, 0)
    assert fake.activities[-1]["type"] == "REDEEM"  # cash_out = "redeem"
    other = client(square, cash_out="endpoint")
    small = other.validate(code="500000000000002")
    cleared = other.send(intents.cash_out(small.id, 1250), "key-4")
    assert fake.activities[-1]["type"] == "CLEAR_BALANCE"
    assert (cleared.transaction.type, cleared.transaction.amount) == ("gift_card_cash_out", 1250)
    # No REFUND names a CLEAR_BALANCE: its reversal is an ADJUST_INCREMENT.
    undo = intents.reverse(cleared.transaction.id, gift_id=small.id, amount=1250)
    other.send(undo.referenced("r-7"), "key-7")
    assert fake.activities[-1]["type"] == "ADJUST_INCREMENT"
    types = [t.type for t in square_client.transactions()]
    assert types == [
        "redemption",
        "reversal",
        "redemption",
        "reversal",
        "redemption",
        "gift_card_cash_out",
        "reversal",
    ]


def test_too_much_and_unknown_cards_are_declined_in_words(
    square: tuple[FakeSquare, LiveServer],
) -> None:
    square_client = client(square)
    gift = square_client.validate(code="500000000000002")
    with pytest.raises(Declined, match="does not have that much left") as info:
        square_client.send(intents.redeem(gift.id, amount=5000), "k-1")
    assert info.value.code == "insufficient_balance"
    with pytest.raises(Declined, match="This card is not sold yet: F5 sells it"):
        square_client.validate(code="999999999999")
    with pytest.raises(Declined, match="posapp set-token"):
        client(square, token="EAAAwrong").config()


def test_sell_registers_an_unknown_physical_card_then_activates_it(
    square: tuple[FakeSquare, LiveServer],
) -> None:
    fake, _server = square
    square_client = client(square)
    sold = square_client.send(intents.activate("700000000000001", 30000), "sell-1")
    assert (sold.gift.code, sold.gift.balance, sold.transaction.type) == (
        "700000000000001",
        30000,
        "activation",
    )
    card = fake.by_gan("700000000000001")
    assert card is not None
    assert (card["type"], card["state"]) == ("PHYSICAL", "ACTIVE")
    details = fake.activities[-1]["activate_activity_details"]
    assert details["reference_id"] == "sell-1"
    assert details["buyer_payment_instrument_ids"]
    assert square_client.send(intents.activate("700000000000001", 30000), "sell-1") == sold
    with pytest.raises(Declined, match="already sold") as info:
        square_client.send(intents.activate("700000000000001", 30000), "sell-2")
    assert info.value.code == "code_taken"
    pending = square_client.send(intents.activate("500000000000004", 2000), "sell-3")
    assert pending.gift.balance == 2000  # a card Square knew, PENDING: activated as it is


def test_refund_to_a_new_digital_card(square: tuple[FakeSquare, LiveServer]) -> None:
    fake, _server = square
    issued = client(square).send(intents.issue(1999, recipient_email="a@b.c"), "refund-1")
    card = fake.by_gan(issued.gift.code)
    assert card is not None
    assert (card["type"], card["state"], issued.gift.balance) == ("DIGITAL", "ACTIVE", 1999)
    assert len(issued.gift.code) == 16


def test_a_forgotten_key_is_found_by_its_reference_id_when_settling(
    square: tuple[FakeSquare, LiveServer],
) -> None:
    fake, _server = square
    square_client = client(square)
    gift = square_client.validate(code="500000000000001")
    wanted = intents.redeem(gift.id, amount=500).referenced("till-ref-1")
    first = square_client.send(wanted, "old-key")
    fake.forget_keys()  # Square no longer remembers the key
    found = square_client.look_up(wanted, "old-key")
    assert found is not None
    assert found.transaction.id == first.transaction.id
    assert found.transaction.client_reference == "till-ref-1"
    assert found.gift.balance == 7000  # the card read again
    assert square_client.validate(code="500000000000001").balance == 7000  # charged once
    # An entry from before till references: its activity carries the key as reference_id.
    old = intents.redeem(gift.id, amount=100)
    made = square_client.send(old, "older-key")
    assert (square_client.look_up(old, "older-key") or first).transaction == made.transaction
    assert square_client.look_up(intents.redeem(gift.id, amount=1), "never-sent") is None


def test_429_and_5xx_are_retried_with_the_same_key_then_unknown(
    square: tuple[FakeSquare, LiveServer],
) -> None:
    fake, _server = square
    square_client = client(square)
    square_client.backoff = (0.01, 0.01, 0.01)
    gift = square_client.validate(code="500000000000001")
    # One busy answer: the till asks by reference (none), then sends it again. (Two would
    # be the ask's too: Square cannot say, and it stays unknown, never sent blind.)
    fake.fail_next(1, 429)
    moved = square_client.send(intents.redeem(gift.id, amount=100), "busy-1")
    assert moved.transaction.balance_after == 7400
    fake.fail_next(10, 503)
    with pytest.raises(OutcomeUnknown):
        square_client.send(intents.redeem(gift.id, amount=100), "busy-2")


def test_a_non_square_answer_to_a_money_call_is_unknown_not_declined() -> None:
    """A proxy's HTML 404 after Square may have committed: not Square's errors list, so
    the outcome is unknown (house rule 14), never declined."""

    async def proxy(_request: Request) -> Response:
        return Response("<html>Not Found</html>", 404, media_type="text/html")

    server = LiveServer(Starlette(routes=[Route("/{path:path}", proxy, methods=["POST"])]))
    square_client = SquareClient(
        server.url, "t", location_id="L1", http=HttpSettings(backoff=(0.01,))
    )
    square_client._currency = "USD"
    try:
        with pytest.raises(OutcomeUnknown):
            square_client.send(intents.redeem("gftc:1", amount=100), "k")
    finally:
        square_client.close()
        server.stop()


def test_the_fake_refuses_what_squares_schema_refuses(
    square: tuple[FakeSquare, LiveServer],
) -> None:
    need_specs()
    fake, server = square
    headers = {"Authorization": f"Bearer {fake.token}", "Square-Version": SQUARE_VERSION}
    post = "/v2/gift-cards/activities"
    base = {"type": "REDEEM", "location_id": fake.location_id, "gift_card_gan": "123456789012"}
    cases = [
        ({"gift_card_activity": base}, "MISSING_REQUIRED_PARAMETER", "idempotency_key"),
        (
            {"idempotency_key": "", "gift_card_activity": base},
            "VALUE_EMPTY",
            "idempotency_key",
        ),
        (
            {"idempotency_key": "k", "gift_card_activity": {**base, "type": "STEAL"}},
            "INVALID_ENUM_VALUE",
            "gift_card_activity.type",
        ),
        (
            {"idempotency_key": "k", "gift_card_activity": {**base, "colour": "red"}},
            "UNKNOWN_BODY_PARAMETER",
            "gift_card_activity.colour",
        ),
        (
            {
                "idempotency_key": "k",
                "gift_card_activity": {
                    **base,
                    "redeem_activity_details": {"amount_money": {"amount": "5", "currency": "USD"}},
                },
            },
            "EXPECTED_INTEGER",
            "gift_card_activity.redeem_activity_details.amount_money.amount",
        ),
    ]
    with httpx.Client(base_url=server.url, headers=headers) as http:
        for body, code, field in cases:
            answer = http.post(post, json=body)
            assert answer.status_code == 400
            (error,) = answer.json()["errors"]
            assert (error["category"], error["code"], error["field"]) == (
                "INVALID_REQUEST_ERROR",
                code,
                field,
            )
        listed = http.get(post, params={"colour": "red"})
        assert listed.json()["errors"][0]["code"] == "UNKNOWN_QUERY_PARAMETER"
    # One pinned version: the adapter's is the release the published subset came from.
    assert SQUARE_VERSION == spec.SPEC_SQUARE_VERSION
    read = spec.spec()
    assert read is not None
    assert spec.SPEC_COMMIT in read["info"]["note"]


@pytest.mark.parametrize("good", [True, False])
def test_posapp_check_names_the_api_and_proves_the_access_token(
    square: tuple[FakeSquare, LiveServer], tmp_path: Path, good: bool
) -> None:
    fake, server = square
    config = tmp_path / "posapp.toml"
    config.write_text(
        f'[provider]\napi = "square"\nurl = "{server.url}"\nlocation_id = "{fake.location_id}"\n',
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "POSAPP_PROVIDER_TOKEN": fake.token if good else "EAAAwrong",
    }
    done = subprocess.run(
        [str(Path(sys.executable).parent / "posapp"), "--config", str(config), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert (
        f"Provider: Square's Gift Cards API at {server.url}, location LPOSAPPTILL1" in done.stdout
    )
    if good:
        assert "Square's Gift Cards API, reachable" in done.stdout
        assert "Access token: works for location LPOSAPPTILL1, which counts in USD" in done.stdout
    else:
        assert "Square refused this terminal's access token" in done.stdout
        assert fake.token not in done.stdout + done.stderr


def test_the_square_demo_world_runs_every_use_case(tmp_path: Path) -> None:
    """`posapp demo --api square` without its window: the same engine the window drives,
    against the fake Square the demo starts."""
    from posapp.app import build_engine
    from posapp.config import Config
    from posapp.demo import DemoWorld

    world = DemoWorld(tmp_path, "square")
    try:
        world.wait_ready()
        config = world.config(Config(), tmp_path)
        assert (config.provider.api, config.provider.location_id) == ("square", "LPOSAPPTILL1")
        engine = build_engine(config, token=world.made["terminal_token"], start_settler=False)
        terminal = engine.terminal
        try:
            sale = terminal.redeem(terminal.check("SVS_GC-500000000000001"), 2500)
            assert sale.transaction_id
            terminal.reverse(terminal.shift.shift_entries()[0].id)
            blank = world.made["blank_cards"][0]["scan"]
            assert terminal.sell(blank, pricebook="gift-card-300").kind == "activation"
            refund = terminal.refund_to_card(1500)
            assert refund.new_card_code is not None
            new_card = terminal.check(refund.new_card_code)  # the demo reads Square's GANs
            assert new_card.balance == 1500
            assert terminal.cash_out(new_card).kind == "cash_out"
            with pytest.raises(CashierError, match="blocked"):
                terminal.redeem(terminal.check("SVS_GC-500000000000006"), 100)
            assert terminal.shift.reconciliation() == []
            assert all(e.moved_money for e in terminal.shift.shift_entries())
        finally:
            engine.close()
    finally:
        world.close()


def test_the_fakes_answers_are_in_squares_shapes_and_activities_page_by_cursor(
    square: tuple[FakeSquare, LiveServer],
) -> None:
    """Every answer of the fake validates against Square's response schemas (read-only
    fields allowed), and ListGiftCardActivities pages 120 activities with its cursor."""
    fake, server = square
    square_client = client(square)
    gift = square_client.validate(code="500000000000001")
    for i in range(120):
        square_client.send(intents.redeem(gift.id, amount=10), f"page-{i}")
    square_client.send(intents.issue(500), "issued")
    found = square_client.transactions()
    assert len(found) == 121
    assert [t.reference for t in found[:120]] == [f"page-{i}" for i in range(120)]  # oldest first
    headers = {"Authorization": f"Bearer {fake.token}", "Square-Version": SQUARE_VERSION}

    def shape(answer: httpx.Response, name: str) -> None:
        need_specs()
        spec.validate(answer.json(), {"$ref": f"#/components/schemas/{name}"}, answer=True)

    with httpx.Client(base_url=server.url, headers=headers) as http:
        shape(
            http.post("/v2/gift-cards/from-gan", json={"gan": "500000000000001"}),
            "RetrieveGiftCardFromGANResponse",
        )
        shape(http.get(f"/v2/gift-cards/{gift.id}"), "RetrieveGiftCardResponse")
        page = http.get("/v2/gift-cards/activities", params={"limit": 100})
        assert page.json()["cursor"]
        shape(page, "ListGiftCardActivitiesResponse")
        shape(
            http.post("/v2/gift-cards/from-gan", json={"gan": "nope-1234"}),
            "RetrieveGiftCardFromGANResponse",
        )
        made = http.post(
            "/v2/gift-cards",
            json={
                "idempotency_key": "shape-1",
                "location_id": fake.location_id,
                "gift_card": {"type": "DIGITAL"},
            },
        )
        shape(made, "CreateGiftCardResponse")


def test_the_card_panel_says_what_a_pending_or_blocked_square_card_is(
    square: tuple[FakeSquare, LiveServer],
) -> None:
    from posapp.core.cardview import card_view

    pending = card_view(client(square).validate(code="500000000000004"))
    assert (pending.badge, pending.can_pay) == ("Not sold yet", False)
    assert pending.why == "Not sold yet"  # its own line: a capital, not "not sold yet"
    blocked = card_view(client(square).validate(code="500000000000006"))
    assert (blocked.badge, blocked.why, blocked.can_pay) == (
        "Blocked",
        "$25.00 held, blocked",
        False,
    )


@pytest.mark.parametrize("api", ["square"])
def test_an_unknown_redemption_settles_once_after_square_forgot_its_key(
    engine: Engine, provider: Provider
) -> None:
    """Every answer dropped, then Square no longer remembers the key (keys do not last
    for ever): the settler finds the activity by its reference_id and does not charge twice."""
    assert provider.fake is not None
    gift = engine.terminal.check("SVS_GC-500000000000001")
    provider.proxy.set("drop_answer")
    assert engine.terminal.redeem(gift, 1000).not_confirmed
    provider.proxy.set("pass")
    provider.fake.forget_keys()
    assert engine.settler.settle_once() == 0
    (entry,) = engine.journal.entries()
    assert (entry.state, entry.outcome) == ("settled", "completed")
    assert provider.balance("500000000000001") == 6500
    assert entry.transaction_id in provider.redemptions()
    assert len(provider.redemptions()) == 1
    assert engine.terminal.shift.reconciliation() == []


def test_an_issue_settled_after_square_forgot_its_keys_makes_one_card(
    square: tuple[FakeSquare, LiveServer],
) -> None:
    fake, _server = square
    square_client = client(square)
    square_client.config()
    wanted = intents.issue(700).referenced("issue-ref")
    first = square_client.send(wanted, "issue-key")
    fake.forget_keys()
    again = square_client.look_up(wanted, "issue-key")
    assert again is not None
    assert (again.transaction.id, again.gift.code) == (first.transaction.id, first.gift.code)
    assert sum(c["type"] == "DIGITAL" for c in fake.cards.values()) == 1
