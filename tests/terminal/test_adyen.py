"""The till against the fake Adyen over loopback HTTP (issue 21.2): every intent through the
same port as the other APIs, checked against the fake's own ledger; Adyen's refusals in the
cashier's words; the card's PIN; the API key sent only as X-API-Key and never logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from posapp.adyen_fake.app import CHECKOUT, STORED_VALUE, Exchange, FakeAdyen
from posapp.adyen_fake.demo_cards import DEMO_PIN, demo_adyen
from posapp.app import Engine, build_engine
from posapp.config import Config
from posapp.core.cardview import card_view
from posapp.core.receipt_lines import balance_lines
from posapp.terminal.ports import CashierError, Declined
from tests.faultproxy import FaultProxy
from tests.helpers import LiveServer
from tests.terminal.conftest import terminal_config

# Letters a log line hardly holds, so that any 4 of them in a row found there is the key's.
KEY = "qXzJvKwQxZjVkWqJzXvQkJwZ"
ACTIVE, TWELVE, BLANK, PIN_CARD = (
    "500000000000001",
    "500000000000002",
    "700000000000011",
    "500000000000008",
)


def scan(number: str) -> str:
    return f"SVS_GC-{number}"


@dataclass
class Adyen:
    fake: FakeAdyen
    server: LiveServer
    proxy: FaultProxy
    exchanges: list[Exchange]

    def config(self, brand: str = "givex") -> Config:
        return terminal_config(
            f"{self.proxy.url}{CHECKOUT}",
            api="adyen",
            stored_value_url=f"{self.proxy.url}{STORED_VALUE}",
            merchant_account=self.fake.merchant_account,
            brand=brand,
            store="ST-001",
        )

    def balance(self, number: str) -> int:
        card = self.fake.card(number)
        assert card is not None
        return int(str(card["balance"]))

    def status(self, number: str) -> str:
        card = self.fake.card(number)
        assert card is not None
        return str(card["status"])


@pytest.fixture
def adyen() -> Iterator[Adyen]:
    fake, _cards = demo_adyen("givex")  # the brand whose cash-out deactivates the card
    fake.api_key = KEY
    exchanges: list[Exchange] = []
    fake.recorder = exchanges.append
    server = LiveServer(fake.app())
    proxy = FaultProxy(server.port)
    yield Adyen(fake, server, proxy, exchanges)
    proxy.close()
    server.stop()


def engine_for(adyen: Adyen, tmp_path: Path, brand: str = "givex") -> Engine:
    made = build_engine(
        adyen.config(brand), token=KEY, journal=tmp_path / "journal.db", start_settler=False
    )
    made.client.backoff = (0.01, 0.02, 0.05)
    made.settler.backoff = (0.05, 0.1)
    return made


@pytest.fixture
def engine(adyen: Adyen, tmp_path: Path) -> Iterator[Engine]:
    made = engine_for(adyen, tmp_path)
    yield made
    made.close()


def test_validate_redeem_partially_reverse_and_cash_out(adyen: Adyen, engine: Engine) -> None:
    terminal = engine.terminal
    gift = terminal.check(scan(ACTIVE))
    assert (gift.status, gift.balance, gift.currency) == ("active", 7500, "USD")
    receipt = terminal.redeem(gift, 1000)  # exactly the amount: one payment of $10.00
    assert not receipt.not_confirmed
    assert adyen.balance(ACTIVE) == 6500
    partial = terminal.redeem(terminal.check(scan(ACTIVE)), 1234)  # the cashier's typed amount
    assert not partial.not_confirmed
    assert adyen.balance(ACTIVE) == 5266
    first = terminal.shift.shift_entries()[0]
    payment = adyen.fake.payment(first.transaction_id or "")
    assert payment is not None
    assert (payment.amount, payment.reference) == (1000, first.idempotency_key)
    reversal = terminal.reverse(first.id, "wrong amount")
    assert reversal.kind == "reversal"
    assert adyen.balance(ACTIVE) == 6266
    cash = terminal.cash_out(terminal.check(scan(TWELVE)))
    assert cash.kind == "cash_out"
    # Givex takes a deactivation: the card paid out is closed at Adyen.
    assert (adyen.balance(TWELVE), adyen.status(TWELVE)) == (0, "inactive")
    # Scanned again it reads closed at Adyen: not "cashed out", which Adyen's answers cannot
    # tell from a card closed for another reason (see the next test).
    again = terminal.check(scan(TWELVE))
    assert (again.status, again.cashed_out) == ("disabled", False)
    with pytest.raises(CashierError, match="disabled"):
        terminal.redeem(again, 100)


def test_sell_refund_to_a_new_card_and_void(adyen: Adyen, tmp_path: Path) -> None:
    engine = engine_for(adyen, tmp_path, "valuelink")  # the brand that allows all three
    for number, card in list(adyen.fake.cards.items()):
        card.brand = "valuelink"
        adyen.fake.cards[number] = card
    try:
        terminal = engine.terminal
        sold = terminal.sell(f"SVS_GC-{BLANK}", amount=2500)
        assert sold.kind == "activation"
        assert (adyen.balance(BLANK), adyen.status(BLANK)) == (2500, "active")
        with pytest.raises(CashierError, match="already sold"):
            terminal.sell(f"SVS_GC-{BLANK}", amount=1000)
        # F5 on a card the issuer never made: not "F5 sells it", which is what is being done.
        with pytest.raises(CashierError, match="Adyen does not know this card"):
            terminal.sell("SVS_GC-999999999999999", amount=1000)
        refund = terminal.refund_to_card(1999)
        assert refund.new_card_code is not None
        assert adyen.balance(refund.new_card_code) == 1999
        sale = terminal.shift.shift_entries()[0]
        void = terminal.reverse(sale.id, "sold by mistake")
        assert void.kind == "void"
        assert (adyen.balance(BLANK), adyen.status(BLANK)) == (0, "inactive")
    finally:
        engine.close()


def test_a_brand_without_issue_refuses_a_refund_card_before_any_call(
    adyen: Adyen, tmp_path: Path
) -> None:
    engine = engine_for(adyen, tmp_path, "svs")
    try:
        before = len(adyen.exchanges)
        with pytest.raises(CashierError, match="Adyen does not issue new cards for SVS cards"):
            engine.terminal.refund_to_card(1000)
        assert len(adyen.exchanges) == before
        (entry,) = engine.journal.entries()  # journalled first, as every movement; declined
        assert entry.state == "declined"
    finally:
        engine.close()


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("999999999999999", "This card is not sold yet"),
        ("500000000000006", "This card is blocked and cannot be used"),
    ],
)
def test_cards_adyen_refuses_read_in_the_cashiers_words(
    engine: Engine, number: str, words: str
) -> None:
    with pytest.raises(CashierError, match=words):
        engine.terminal.check(f"SVS_GC-{number}")


def test_a_card_not_sold_yet_and_one_closed_say_so(engine: Engine) -> None:
    blank = engine.terminal.check(f"SVS_GC-{BLANK}")
    assert blank.not_redeemable_reason == "not_activated"
    closed = engine.terminal.check("SVS_GC-500000000000007")  # deactivated: an end state
    assert (closed.status, closed.is_redeemable) == ("disabled", False)
    # It still holds $15.00 at Adyen, whose refusal does not say so: the panel says the card
    # is disabled and what it holds is not known, never "Cashed out $0.00" (the demo trial of
    # 2026-12-06 read it so, on the customer's slip too).
    assert (closed.balance, closed.cashed_out) == (None, False)
    view = card_view(closed)
    assert (view.badge, view.amount, view.why) == ("Disabled", "—", "Card disabled")
    lines, _notes = balance_lines(closed, "en_US")  # F4's slip
    assert [(line.label, line.value) for line in lines] == [("Card disabled", "balance not known")]


def test_a_card_with_a_pin_asks_for_it_and_takes_it(adyen: Adyen, engine: Engine) -> None:
    client = engine.client
    with pytest.raises(Declined) as caught:
        client.validate(code=PIN_CARD)
    assert caught.value.code == "pin_needed"
    assert "needs its PIN" in str(caught.value)
    with pytest.raises(Declined) as wrong:
        client.validate(code=PIN_CARD, pin="0000")
    assert (wrong.value.code, str(wrong.value)) == (
        "wrong_pin",
        "The PIN is wrong: ask the customer to type it again",
    )
    gift = client.validate(code=PIN_CARD, pin=DEMO_PIN)
    assert gift.balance == 4000
    from posapp.core import intent as intents

    wanted = intents.redeem(PIN_CARD, amount=500).referenced("pin-redeem-1")
    with pytest.raises(Declined) as needed:
        client.send(wanted, "pin-redeem-1")
    assert needed.value.code == "pin_needed"
    assert adyen.balance(PIN_CARD) == 4000
    # Adyen keeps the refusal under its key (a key with another body is its 422 704): the
    # till sends the PIN with a new movement, as it does once the card's check asked for it.
    again = intents.redeem(PIN_CARD, amount=500).referenced("pin-redeem-2")
    done = client.send(again, "pin-redeem-2", pin=DEMO_PIN)
    assert (done.transaction.amount, done.gift.balance) == (500, 3500)
    assert adyen.balance(PIN_CARD) == 3500
    sent = [e for e in adyen.exchanges if e[0].endswith("/payments")]
    assert all(DEMO_PIN not in str(e[3]) for e in sent)  # never in an answer


def test_the_api_key_goes_only_as_x_api_key_and_never_into_a_log(
    adyen: Adyen, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    engine = engine_for(adyen, tmp_path)
    try:
        terminal = engine.terminal
        terminal.redeem(terminal.check(scan(ACTIVE)), 1000)
        terminal.cash_out(terminal.check(scan(TWELVE)))
        entry = terminal.shift.shift_entries()[0]
        terminal.reverse(entry.id)
        adyen.proxy.set("drop_answer", only=b"/payments")  # an unknown, settled by a cancel
        assert terminal.redeem(terminal.check(scan(ACTIVE)), 500).not_confirmed
        adyen.proxy.set("pass")
        assert engine.settler.settle_once() == 0
        adyen.fake.api_key = "another key"  # refused: the words, not the key, are logged
        with pytest.raises(CashierError, match="refused this till's API key"):
            terminal.check(scan(ACTIVE))
    finally:
        engine.close()
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records  # the run was logged: a search of nothing proves nothing
    slices = {KEY[i : i + n] for n in range(4, len(KEY) + 1) for i in range(len(KEY) - n + 1)}
    assert [s for s in slices if s in logged] == []
    requests = b"\n".join(adyen.proxy.requests).decode()
    assert KEY not in requests  # not in a path or a query
    assert all(KEY not in str(body) for _path, body, _status, _answer in adyen.exchanges)


def test_posapp_check_names_adyen_and_proves_the_key_and_the_merchant_account(
    adyen: Adyen, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from posapp.check import describe_config, describe_provider

    monkeypatch.setenv("POSAPP_PROVIDER_TOKEN", KEY)
    config = adyen.config()
    said = describe_config(config, Path("posapp.toml"))
    assert "Provider: Adyen's Checkout and Stored Value APIs at http://127.0.0.1" in said
    assert "merchant account PosappDemoStore, givex cards, store ST-001" in said
    before = len(adyen.exchanges)
    lines, store = describe_provider(config)
    assert store is not None
    assert lines[0].startswith(f"Provider {config.provider.url}: Adyen's Checkout and Stored")
    assert lines[1] == (
        "API key: works for merchant account PosappDemoStore on the Checkout and Stored Value "
        "APIs (givex cards); the till counts in USD (its locale's)"
    )
    asked = [path for path, *_ in adyen.exchanges[before:]]
    assert asked == [f"{CHECKOUT}/paymentMethods/balance", f"{STORED_VALUE}/checkBalance"]
    other = replace(config, provider=replace(config.provider, merchant_account="SomeoneElse"))
    lines, store = describe_provider(other)
    assert store is None
    assert "may not do this for merchant account SomeoneElse" in lines[-1]
    monkeypatch.setenv("POSAPP_PROVIDER_TOKEN", "not the key")
    lines, store = describe_provider(config)
    assert store is None
    assert "Adyen refused this till's API key" in lines[-1]


def test_a_cash_out_whose_answer_does_not_add_up_leaves_the_card_open_for_its_cancel(
    adyen: Adyen, engine: Engine
) -> None:
    """Givex deactivates a card cashed out, for good. An answer that does not add up is
    settled by canceling the payment, which puts the money back: not onto a dead card."""
    import json

    def smaller(raw: bytes) -> bytes:
        answer = json.loads(raw)
        answer["amount"]["value"] = 100
        return json.dumps(answer).encode()

    gift = engine.terminal.check(scan(TWELVE))
    adyen.proxy.set("rewrite", only=b"/payments ", rewrite=smaller)
    assert engine.terminal.cash_out(gift).not_confirmed
    adyen.proxy.set("pass")
    assert (adyen.balance(TWELVE), adyen.status(TWELVE)) == (0, "active")  # not deactivated
    assert engine.settler.settle_once() == 0
    (entry,) = engine.journal.entries()
    assert (entry.state, entry.outcome) == ("settled", "declined")
    assert (adyen.balance(TWELVE), adyen.status(TWELVE)) == (1250, "active")


def test_adyens_5xx_and_429_are_retried_with_the_same_key_and_its_4xx_said(
    adyen: Adyen, engine: Engine
) -> None:
    gift = engine.terminal.check(scan(ACTIVE))
    start = len(adyen.exchanges)
    adyen.fake.fail_next(500)  # a ServiceError 500 before anything happens
    assert not engine.terminal.redeem(gift, 1000).not_confirmed
    again = engine.terminal.check(scan(ACTIVE))
    adyen.fake.fail_next(429)
    assert not engine.terminal.redeem(again, 500).not_confirmed
    assert adyen.balance(ACTIVE) == 6000  # each once
    statuses = [status for path, _b, status, _a in adyen.exchanges[start:] if "/payments" in path]
    assert statuses == [500, 200, 429, 200]
    adyen.fake.merchant_account = "AnotherAccount"  # the key's account is not the till's
    with pytest.raises(CashierError, match="may not do this for merchant account PosappDemo"):
        engine.terminal.redeem(engine.terminal.check(scan(ACTIVE)), 100)


def test_a_redemption_on_a_card_with_a_pin_is_reversed_without_its_pin(
    adyen: Adyen, engine: Engine
) -> None:
    """F7 and an earlier receipt's scan read the card first; a card with a PIN is read only
    with it, which the till no longer has. The reversal names the payment and needs none."""
    from posapp.terminal.receipt_lookup import scanned_earlier

    terminal = engine.terminal
    terminal.redeem(terminal.check(scan(PIN_CARD), pin=DEMO_PIN), 500, pin=DEMO_PIN)
    assert adyen.balance(PIN_CARD) == 3500
    (entry,) = terminal.shift.shift_entries()
    terminal.shift.z_report()  # an earlier shift's receipt, scanned: looked up before the PIN
    number = engine.journal.receipt_number(entry.id)
    found = scanned_earlier(engine.journal, engine.client, number, locale="en_US")
    assert found is not None
    assert found.entry_id == entry.id
    receipt = terminal.reverse(entry.id)
    assert (receipt.kind, receipt.not_confirmed) == ("reversal", False)
    assert adyen.balance(PIN_CARD) == 4000
