"""Selling while the provider cannot be reached (issue 24), against each API through the
fault proxy refusing connections: taken offline within the rules, journalled with its key
before the receipt, kept across a restart, forwarded once and in order when the provider
answers again; a card spent at another till meanwhile is the store's loss, once; and only
when the provider was not reached (never a decline, never an answer lost after sending)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from msgspec import structs

from hardware.printers.decode import decode
from posapp.adapters.printer import lay_out
from posapp.app import Engine, build_engine
from posapp.config_offline import OfflineConfig
from posapp.core.gift import Movement
from posapp.core.intent import Intent
from posapp.terminal.offline import NotChecked
from posapp.terminal.ports import CashierError
from tests.terminal.conftest import APIS, Provider

pytestmark = pytest.mark.parametrize("api", APIS)

A, B = "500000000000001", "500000000000002"  # $75.00 and $12.50 in each demo


def scan(code: str) -> str:
    return f"SVS_GC-{code}"


def till(provider: Provider, journal: Path, url: str | None = None) -> Engine:
    config = provider.config(url or provider.proxy.url)
    config = replace(config, offline=OfflineConfig(floor=2500, shift_limit=3000))
    made = build_engine(config, token=provider.token, journal=journal, start_settler=False)
    made.client.backoff = (0.01, 0.02)
    made.settler.backoff = (0.05, 0.1)
    return made


@pytest.fixture
def engine(provider: Provider, tmp_path: Path) -> Iterator[Engine]:
    made = till(provider, tmp_path / "journal.db")
    yield made
    made.close()


class Sent:
    """The settler's provider, as it is, with the cards each `send` was for, in order."""

    def __init__(self, real: Any) -> None:
        self.real, self.gifts = real, []

    def send(self, intent: Intent, key: str, *, pin: str | None = None) -> Movement:
        self.gifts.append(intent.gift_id)
        movement: Movement = self.real.send(intent, key, pin=pin)
        return movement

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_sold_offline_kept_across_a_restart_then_forwarded_once_in_order(
    provider: Provider, tmp_path: Path
) -> None:
    path = tmp_path / "journal.db"
    engine = till(provider, path)
    try:
        gift_a, gift_b = (
            engine.terminal.check(scan(A)),
            engine.terminal.check(scan(B)),
        )  # seen online
        provider.proxy.refuse()
        with pytest.raises(NotChecked) as info:
            engine.terminal.check(scan(A))
        assert info.value.code == A
        offline = engine.terminal.offline
        assert offline.status_line("USD") == "offline: selling up to $25.00 a card"
        last_a = offline.last_known(A)
        assert last_a is not None
        assert (last_a.balance, last_a.gift_id) == (7500, gift_a.id)
        paper = offline.redeem(last_a, 2000)
        assert paper.offline
        assert not paper.not_confirmed
        last_b = offline.last_known(B)
        assert last_b is not None
        offline.redeem(last_b, 500)
        # One offline redemption a card until the provider confirms it: said in words.
        with pytest.raises(CashierError, match=r"Wait: ••0001 paid \$20.00 offline"):
            offline.redeem(last_a, 100)
        queued = [e for e in engine.journal.entries() if e.offline]
        assert [(e.code, e.amount, e.state) for e in queued] == [
            (A, 2000, "unknown"),
            (B, 500, "unknown"),
        ]
        assert engine.settler.settle_once() == 2  # still refused: nothing sent
        assert provider.redemptions() == []
    finally:
        engine.close()
    engine = till(provider, path)  # restarted while the provider is still not reached
    try:
        kept = [(e.code, e.amount, e.state) for e in engine.journal.entries() if e.offline]
        assert kept == [(A, 2000, "unknown"), (B, 500, "unknown")]
        assert engine.settler.settle_once() == 2
        provider.proxy.listen()  # the provider answers again
        sent = Sent(engine.settler.provider)
        engine.settler.provider = sent
        assert engine.settler.settle_once() == 0
        assert sent.gifts == [gift_a.id, gift_b.id]  # in the order taken
        assert engine.settler.settle_once() == 0  # nothing twice
        assert len(provider.redemptions()) == 2
        assert (provider.balance(A), provider.balance(B)) == (5500, 750)
        entries = [e for e in engine.journal.entries() if e.offline]
        assert [(e.state, e.outcome) for e in entries] == [("settled", "completed")] * 2
        assert {e.transaction_id for e in entries} == set(provider.charged())
        status = engine.terminal.offline.status()
        assert (status.accepted, status.confirmed, status.declined, status.queued) == (2, 2, 0, 0)
        lines = {line.label: line.value for line in engine.terminal.shift.x_report().lines}
        assert lines["Offline"] == "2 accepted, 2 confirmed, 0 declined: $0.00 not collected"
    finally:
        engine.close()


def test_a_card_spent_at_another_till_while_offline_is_a_loss_once(
    engine: Engine, provider: Provider, tmp_path: Path
) -> None:
    engine.terminal.check(scan(B))  # $12.50, seen online
    provider.proxy.refuse()
    with pytest.raises(NotChecked):  # scanned again: the provider is not reached
        engine.terminal.check(scan(B))
    last = engine.terminal.offline.last_known(B)
    assert last is not None
    assert engine.terminal.offline.redeem(last, 1000).offline
    other = till(provider, tmp_path / "other.db", url=provider.server.url)
    try:  # another till, online, spends most of the card meanwhile
        other.terminal.redeem(other.terminal.check(scan(B)), 1000)
    finally:
        other.close()
    provider.proxy.listen()
    assert engine.settler.settle_once() == 0
    assert engine.settler.settle_once() == 0
    lost = [e for e in engine.journal.entries() if e.offline]
    assert [(e.state, e.outcome, e.lost) for e in lost] == [("settled", "declined", True)]
    assert provider.balance(B) == 250  # the other till's redemption only
    # Spent elsewhere: its balance as last seen is forgotten, not taken offline again.
    assert engine.terminal.offline.last_known(B) is None
    assert len(provider.redemptions()) == 1
    status = engine.terminal.offline.status()
    assert (status.accepted, status.confirmed, status.declined) == (1, 0, 1)
    assert status.not_collected == 1000
    losses = engine.terminal.offline.losses()
    assert [(loss.card, loss.amount) for loss in losses] == [("••0002", 1000)]
    x = engine.terminal.shift.x_report()
    lines = {line.label: line.value for line in x.lines}
    assert lines["Offline"] == "1 accepted, 0 confirmed, 1 declined: $10.00 not collected"
    assert lines["Not collected ••0002"].endswith("$10.00")
    for paper in (80, 58):  # on paper, its words wrapped whole
        printed = [line.strip() for line in decode(lay_out(x, paper_width_mm=paper)).lines]
        start = printed.index("Offline")
        said = " ".join(printed[start + 1 : start + 3])
        assert "1 declined: $10.00 not collected" in said, printed


def test_a_provider_that_answers_takes_it_online(engine: Engine, provider: Provider) -> None:
    engine.terminal.check(scan(A))
    last = engine.terminal.offline.last_known(A)
    assert last is not None
    paper = engine.terminal.offline.redeem(last, 1000)  # reached: online, never offline
    assert not paper.offline
    assert [(e.state, e.offline) for e in engine.journal.entries()] == [("completed", False)]
    assert provider.balance(A) == 6500


def test_a_decline_is_never_taken_offline(
    engine: Engine, provider: Provider, tmp_path: Path
) -> None:
    engine.terminal.check(scan(B))
    other = till(provider, tmp_path / "other.db", url=provider.server.url)
    try:
        other.terminal.redeem(other.terminal.check(scan(B)), 1000)
    finally:
        other.close()
    last = engine.terminal.offline.last_known(B)
    assert last is not None
    with pytest.raises(CashierError):  # $2.50 left: the provider says no, in its words
        engine.terminal.offline.redeem(last, 1000)
    assert [(e.state, e.offline) for e in engine.journal.entries()] == [("declined", False)]


def test_an_answer_lost_after_sending_is_not_confirmed_never_offline(
    engine: Engine, provider: Provider
) -> None:
    engine.terminal.check(scan(A))
    last = engine.terminal.offline.last_known(A)
    assert last is not None
    provider.proxy.set("drop_answer")  # sent, and no answer, nor to the look-up
    paper = engine.terminal.offline.redeem(last, 1000)
    assert paper.not_confirmed
    assert not paper.offline
    assert [(e.state, e.offline) for e in engine.journal.entries()] == [("unknown", False)]


def test_each_refusal_offline_in_words(engine: Engine, provider: Provider) -> None:
    engine.terminal.check(scan(A))
    provider.proxy.refuse()
    with pytest.raises(NotChecked):
        engine.terminal.check(scan(A))
    offline = engine.terminal.offline
    last = offline.last_known(A)
    assert last is not None
    with pytest.raises(CashierError, match=r"a card may pay at most \$25.00"):
        offline.redeem(last, 2600)
    with pytest.raises(CashierError, match="never seen card ••0002 online"):
        offline.redeem(structs.replace(last, code=B), 100)
    offline.redeem(last, 2500)
    offline.turn_off_for_shift("Maria")
    assert offline.off_for_shift
    assert offline.status_line("USD") is None
    with pytest.raises(CashierError, match="turned offline selling off for this shift"):
        offline.redeem(last, 100)
    offline.turn_on_for_shift("Maria")
    with pytest.raises(CashierError, match=r"at most \$30.00 in all; \$25.00 is taken already"):
        offline.redeem(last, 600)
    assert provider.redemptions() == []


def test_a_loss_found_after_its_shifts_z_is_on_the_next_shifts_report(
    engine: Engine, provider: Provider, tmp_path: Path
) -> None:
    engine.terminal.check(scan(B))
    provider.proxy.refuse()
    with pytest.raises(NotChecked):
        engine.terminal.check(scan(B))
    last = engine.terminal.offline.last_known(B)
    assert last is not None
    engine.terminal.offline.redeem(last, 1000)
    z = {line.label: line.value for line in engine.terminal.shift.z_report().lines}
    assert z["Offline"] == "1 accepted, 0 confirmed, 0 declined: $0.00 not collected"
    assert z["Offline, still to send"] == "1: $10.00"  # counted and totalled (trial 6B, 8)
    other = till(provider, tmp_path / "other.db", url=provider.server.url)
    try:
        other.terminal.redeem(other.terminal.check(scan(B)), 1000)
    finally:
        other.close()
    provider.proxy.listen()
    assert engine.settler.settle_once() == 0
    x = {line.label: line.value for line in engine.terminal.shift.x_report().lines}
    assert "Offline" not in x  # this shift took nothing offline
    assert x["Offline, earlier shifts"] == "1 declined when sent: $10.00 not collected"
    assert x["Not collected ••0002"].endswith("$10.00")


def test_a_forward_the_provider_cannot_look_up_waits_and_is_never_sent_blind(
    engine: Engine, provider: Provider
) -> None:
    """A forward is asked by its reference first; while the provider cannot say whether it
    came (its look-up faults), it is not sent: sent blind with a key the provider may have
    forgotten, a forward whose answer was lost would charge the card twice. Once the look-up
    answers, it goes, once."""
    from tests.terminal.test_faults import http_answer
    from tests.terminal.test_lookup import LOOKUP, MONEY, NO_LOOKUP

    if provider.api == "adyen":
        pytest.skip(NO_LOOKUP)
    engine.terminal.check(scan(A))  # seen online
    provider.proxy.refuse()
    with pytest.raises(NotChecked):  # scanned as the till does: not reached
        engine.terminal.check(scan(A))
    offline = engine.terminal.offline
    last = offline.last_known(A)
    assert last is not None
    assert offline.redeem(last, 2000).offline
    provider.proxy.listen()
    fault = http_answer(502, "Bad Gateway", "text/html", b"<html>502</html>")
    provider.proxy.set("substitute", answer=fault, only=LOOKUP[provider.api])
    start = len(provider.proxy.requests)
    assert engine.settler.settle_once() == 1  # still to forward
    seen = provider.proxy.requests[start:]
    assert any(LOOKUP[provider.api] in line for line in seen)  # asked
    assert not any(MONEY[provider.api] in line for line in seen)  # and not sent
    assert provider.redemptions() == []
    provider.proxy.set("pass")
    assert engine.settler.settle_once() == 0
    assert len(provider.redemptions()) == 1
    assert provider.balance(A) == 5500
