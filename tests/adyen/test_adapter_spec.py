"""Every request the Adyen adapter sends and every answer the fake Adyen gives it, held to
Adyen's published schemas (issue 21 point 5): one run of every intent through the till's
engine (check, a card with its PIN, redeem, a partial redemption, reverse, cash out, sell,
refund to a new card, void, `posapp check`'s call, a payment left unknown and settled by
cancelling its merchant reference), recorded by the fake's `recorder`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from posapp.adyen_fake.app import CHECKOUT, STORED_VALUE, Exchange, FakeAdyen
from posapp.adyen_fake.demo_cards import DEMO_PIN, demo_adyen
from posapp.app import Engine, build_engine
from posapp.core import intent as intents
from posapp.terminal.ports import CashierError, Declined
from tests.adyen.schemas import need_specs, spec_path, traffic_problems
from tests.faultproxy import FaultProxy
from tests.helpers import LiveServer
from tests.terminal.conftest import terminal_config

ACTIVE, TWELVE, BLOCKED, BLANK, PIN_CARD = (
    "500000000000001",
    "500000000000002",
    "500000000000006",
    "700000000000011",
    "500000000000008",
)


@pytest.fixture
def served() -> Iterator[tuple[FakeAdyen, FaultProxy, list[Exchange]]]:
    fake, _cards = demo_adyen("givex")
    seen: list[Exchange] = []
    fake.recorder = seen.append
    server = LiveServer(fake.app())
    proxy = FaultProxy(server.port)
    yield fake, proxy, seen
    proxy.close()
    server.stop()


def engine_for(fake: FakeAdyen, proxy: FaultProxy, folder: Path, brand: str) -> Engine:
    config = terminal_config(
        proxy.url + CHECKOUT,
        api="adyen",
        stored_value_url=proxy.url + STORED_VALUE,
        merchant_account=fake.merchant_account,
        brand=brand,
        store="ST-001",
    )
    made = build_engine(
        config, token=fake.api_key, journal=folder / f"{brand}.db", start_settler=False
    )
    made.client.backoff = (0.01, 0.02)
    made.settler.backoff = (0.05, 0.1)
    return made


def givex_run(fake: FakeAdyen, proxy: FaultProxy, engine: Engine) -> None:
    terminal, client = engine.terminal, engine.client
    client.health()  # posapp check: a balance check of no card on each API
    gift = terminal.check(f"SVS_GC-{ACTIVE}")
    terminal.redeem(gift, 1000)
    terminal.redeem(terminal.check(f"SVS_GC-{ACTIVE}"), 1234)
    terminal.reverse(terminal.shift.shift_entries()[0].id, "wrong amount")
    terminal.cash_out(terminal.check(f"SVS_GC-{TWELVE}"))  # paid, then deactivated
    with pytest.raises(CashierError):
        terminal.check(f"SVS_GC-{BLOCKED}")
    with pytest.raises(Declined):
        client.validate(code=PIN_CARD, pin="0000")
    client.validate(code=PIN_CARD, pin=DEMO_PIN)
    wanted = intents.redeem(PIN_CARD, amount=500).referenced("pin-redeem")
    client.send(wanted, "pin-redeem", pin=DEMO_PIN)
    # A payment whose answer is lost, settled by cancelling its merchant reference.
    proxy.set("drop_answer", only=b"/checkout/v71/payments ")
    assert terminal.redeem(terminal.check(f"SVS_GC-{ACTIVE}"), 700).not_confirmed
    proxy.set("pass")
    assert engine.settler.settle_once() == 0


def valuelink_run(fake: FakeAdyen, engine: Engine) -> None:
    for card in fake.cards.values():
        card.brand = "valuelink"
    terminal = engine.terminal
    terminal.sell(f"SVS_GC-{BLANK}", amount=2500)
    refund = terminal.refund_to_card(1999)
    assert refund.new_card_code is not None
    sale, issue = terminal.shift.shift_entries()[:2]
    terminal.reverse(sale.id, "sold by mistake")  # a void of the activation
    terminal.reverse(issue.id, "issued by mistake")  # a void of the issue


def test_every_request_of_the_adapter_and_answer_of_the_fake_is_valid_for_adyens_schemas(
    served: tuple[FakeAdyen, FaultProxy, list[Exchange]], tmp_path: Path
) -> None:
    need_specs()
    fake, proxy, seen = served
    givex = engine_for(fake, proxy, tmp_path, "givex")
    try:
        givex_run(fake, proxy, givex)
    finally:
        givex.close()
    valuelink = engine_for(fake, proxy, tmp_path, "valuelink")
    try:
        valuelink_run(fake, valuelink)
    finally:
        valuelink.close()
    operations = {spec_path(path) for path, _body, _status, _answer in seen}
    assert operations >= {
        ("checkout", "/paymentMethods/balance"),
        ("checkout", "/payments"),
        ("checkout", "/payments/{paymentPspReference}/reversals"),
        ("checkout", "/cancels"),
        ("storedvalue", "/checkBalance"),
        ("storedvalue", "/changeStatus"),
        ("storedvalue", "/issue"),
        ("storedvalue", "/voidTransaction"),
    }, operations
    problems = traffic_problems(seen)
    assert problems == [], "\n".join(problems)
