"""The provider client: typed answers, words for problems, malformed answers, TLS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from posapp.adapters.api_client import ProviderClient
from posapp.adapters.provider_http import HttpSettings
from posapp.core import intent as intents
from posapp.core.money import AmountError, parse_amount
from posapp.provider.app import create_app
from posapp.provider.store import Store
from posapp.terminal.ports import BadAnswer, Declined, OutcomeUnknown, Unreachable
from posapp.terminal.service import CashierError
from tests.helpers import LiveServer
from tests.terminal.conftest import Provider

QUICK = (0.01,)  # one short pause before a retry
QUICK_HTTP = HttpSettings(backoff=QUICK)

JUNK = [
    (200, b"not json at all", "application/json"),
    (200, b'{"gift": {"id": 5}}', "application/json"),
    (200, b'{"gift": null}', "application/json"),
    (201, b"[1, 2, 3]", "application/json"),
    (422, b"<html>proxy error</html>", "text/html"),
    (200, b'{"gift": {"balance": 1.5}}', "application/json"),
    (204, b"", "application/json"),  # no content where an answer is due
]


@pytest.fixture
def junk_server() -> Iterator[tuple[LiveServer, list[tuple[int, bytes, str]]]]:
    """A real HTTP server that answers whatever the test puts in `answers`: a broken provider."""
    answers: list[tuple[int, bytes, str]] = []

    async def anything(_request: Request) -> Response:
        status, body, kind = answers[0]
        return Response(body, status, media_type=kind)

    app = Starlette(routes=[Route("/{path:path}", anything, methods=["GET", "POST"])])
    server = LiveServer(app)
    yield server, answers
    server.stop()


@pytest.mark.parametrize("answer", JUNK)
def test_a_malformed_answer_is_an_error_never_a_crash(
    junk_server: tuple[LiveServer, list[tuple[int, bytes, str]]], answer: tuple[int, bytes, str]
) -> None:
    server, answers = junk_server
    answers.append(answer)
    client = ProviderClient(server.url, "t", http=HttpSettings(timeout_s=2, backoff=QUICK))
    with pytest.raises((BadAnswer, Declined)) as info:
        client.validate(code="X")
    assert str(info.value)
    with pytest.raises((OutcomeUnknown, Declined)):
        client.send(
            intents.redeem("1", amount=100), "key-1"
        )  # a 2xx we cannot read: it may have happened
    client.close()


def test_problems_in_a_cashiers_words(provider: Provider) -> None:
    client = ProviderClient(provider.server.url, provider.made["terminal_token"], http=QUICK_HTTP)
    expired = client.validate(code="500000000000004")
    assert expired.why_not_redeemable() is not None
    assert expired.why_not_redeemable().startswith("This card expired on ")  # type: ignore[union-attr]
    gift = client.validate(code="500000000000002")
    with pytest.raises(Declined, match=r"^Only \$12\.50 left on this card$"):
        client.send(intents.redeem(gift.id, amount=5000), "k-1")
    with pytest.raises(Declined, match=r"^This card is not sold yet: F5 sells it"):
        client.validate(code="NOPE-1")
    for i in range(12):
        try:
            client.validate(code=f"NOPE-{i}")
        except Declined as exc:
            last = exc
    assert last.code == "rate_limited"
    assert str(last).startswith("Too many unknown cards: try again in ")
    assert str(last).endswith(" s")
    bad = ProviderClient(provider.server.url, "pgc_wrong", http=QUICK_HTTP)
    with pytest.raises(Declined, match="posapp set-token"):
        bad.config()
    client.close()
    bad.close()


def test_tls_is_verified_with_an_optional_ca_bundle(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert.private_key_and_cert_chain_pem.write_to_path(str(tmp_path / "server.pem"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    made = store.create_store("TLS", "EUR")
    server = LiveServer(create_app(store), ssl_certfile=str(tmp_path / "server.pem"))
    try:
        trusted = ProviderClient(
            server.url,
            made["terminal_token"],
            http=HttpSettings(ca_bundle=str(tmp_path / "ca.pem"), backoff=QUICK),
        )
        assert trusted.config().currency == "EUR"
        untrusted = ProviderClient(server.url, made["terminal_token"], http=QUICK_HTTP)
        with pytest.raises(Unreachable):
            untrusted.config()  # the system CAs do not know this one: verified, refused
        trusted.close()
        untrusted.close()
    finally:
        server.stop()
        store.close()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_scan_gives_a_card_reference_or_a_cashier_error(raw: str) -> None:
    from posapp.config import Config, till_settings
    from posapp.terminal.service import Terminal

    terminal = Terminal(till_settings(Config()), provider=None, journal=None)  # type: ignore[arg-type]
    try:
        ref = terminal.card_ref(raw)
    except CashierError as exc:
        assert str(exc)
    else:
        assert ref.value
        assert ref.pattern in {"SVS gift card", "Voucher, typed"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["USD", "JPY", "BHD", "EUR"]))
def test_any_typed_amount_gives_minor_units_or_a_clear_error(raw: str, currency: str) -> None:
    try:
        minor = parse_amount(raw, currency)
    except AmountError as exc:
        assert str(exc)
    else:
        assert isinstance(minor, int)
        assert minor > 0


def test_admin_calls_for_the_gift_cards_screen(provider: Provider) -> None:
    admin = ProviderClient(provider.server.url, provider.made["admin_token"], http=QUICK_HTTP)
    made = admin.create_gift_card("ADMIN-1", 1500, "a-1", expires_at="2099-12-31T00:00:00Z")
    assert (made.code, made.balance) == ("ADMIN-1", 1500)
    assert admin.create_gift_card("ADMIN-1", 1500, "a-1") == made  # same key: the same answer
    changed = admin.change_gift_card(made.id, "a-2", balance=2000, enabled=False)
    assert (changed.balance, changed.status) == (2000, "disabled")
    found = admin.gift_cards(code="admin-1")
    assert [g.id for g in found] == [made.id]
    first_page = admin.gift_cards(limit=3)
    second_page = admin.gift_cards(after=first_page[-1].id, limit=3)
    assert int(second_page[0].id) > int(first_page[-1].id)
    admin.cancel_gift_card(made.id, "a-3")
    assert admin.gift_cards(code="admin-1") == []
    assert admin.change_config("a-4", cash_out_enabled=False).cash_out_enabled is False
    assert ("gift_card_cash_out", True) not in admin.transaction_types()
    terminal = ProviderClient(provider.server.url, provider.made["terminal_token"], http=QUICK_HTTP)
    with pytest.raises(Declined, match="may not do that"):
        terminal.gift_cards()
    admin.close()
    terminal.close()
