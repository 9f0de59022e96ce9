"""A movement a till left pending when it stopped (its intent journalled, its outcome never
written) is found by its reference or settled as not charged: never sent after the restart
(terminal/settle.py says why). The case issue 18's journal work left open: the provider
could not be reached, the journal could not write that no (its disk full), the cashier read
"Nothing was charged" and took another payment, the till was stopped before the disk had
room; the next start found the entry pending, the provider had none, and the settler sent
it: the customer paid twice. Each test ends with the provider's ledger."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from posapp.adapters.api_client import ProviderClient
from posapp.app import Engine
from posapp.core import intent as intents
from posapp.terminal.ports import CashierError, Declined, NotConfirmed, ProviderError
from posapp.terminal.settle import CANCELED_WORDS, NOT_SENT
from tests.faultproxy import FaultProxy
from tests.helpers import SmallDisk, wait_for
from tests.terminal.conftest import APIS, Provider
from tests.terminal.test_journal_failures import AfterTheCall, engine_on, fill_up
from tests.terminal.test_lookup import MONEY, asked_since
from tests.terminal.test_service import ACTIVE

CODE = "500000000000001"  # $75.00


def ledger(provider: Provider) -> tuple[int, int]:
    return provider.balance(CODE), len(provider.redemptions())


def later(engine: Engine) -> None:
    """The settler's clock an hour on: any call of the earlier run is surely over."""
    engine.settler.clock = lambda: time.time() + 3600


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    made = SmallDisk(tmp_path / "disk")
    yield made
    made.unmount()


def test_a_no_the_full_journal_lost_at_a_stop_is_not_charged_after_the_restart(
    provider: Provider, disk: SmallDisk
) -> None:
    path = disk.path / "journal.db"
    reader = ProviderClient(provider.server.url, provider.token)  # the card, read before
    gift = reader.validate(code=CODE)
    reader.close()
    till = engine_on(provider, path)  # no connection yet, to close under it
    provider.proxy.close()  # the provider cannot be reached: the request is never sent
    AfterTheCall(till, lambda: fill_up(disk))  # and then the journal cannot write that no
    with pytest.raises(CashierError) as said:
        till.terminal.redeem(gift, 1000)
    assert not isinstance(said.value, NotConfirmed)  # the till knows: nothing moved
    assert str(said.value) == (
        "Nothing was charged. The gift card provider cannot be reached: check the network, "
        f"then try again. The till cannot write to its journal {path}: the disk it is on is "
        "full. Free some space on that disk, then try again."
    )
    (entry,) = till.journal.entries()
    assert entry.state == "pending"  # the no waits in memory
    till.close()  # stopped before the disk had room: the no is lost with it
    assert ledger(provider) == (7500, 0)

    # The next start: the disk has room, the provider is back.
    disk.free()
    provider.proxy = FaultProxy(provider.server.port)
    again = engine_on(provider, path)
    try:
        start = len(provider.proxy.requests)
        assert again.settler.settle_once() == 0  # not found: canceled at the provider
        done = again.journal.entry(entry.id)
        assert (done.state, done.outcome, done.error) == ("settled", "declined", CANCELED_WORDS)
        assert asked_since(provider, start)[1] == 0  # asked; never sent
        assert ledger(provider) == (7500, 0)  # the customer paid once, another way
        # The card takes money again, once per press.
        again.terminal.redeem(again.terminal.check(ACTIVE), 1000)
        assert ledger(provider) == (6500, 1)
    finally:
        again.close()


@pytest.mark.parametrize("api", APIS)
def test_a_call_that_never_left_the_till_that_died_is_not_charged_after_the_restart(
    engine: Engine, provider: Provider, tmp_path: Path
) -> None:
    """The till died between its intent and the call."""
    gift = engine.terminal.check(ACTIVE)
    wanted = intents.redeem(gift.id, amount=1000).referenced("died-before")
    entry = engine.journal.intend(wanted, code=CODE, currency="USD", key="died-before")
    engine.close()
    again = engine_on(provider, tmp_path / "journal.db")
    try:
        start = len(provider.proxy.requests)
        if provider.api == "square":  # no cancel: not found is believed once it cannot arrive
            assert again.settler.settle_once() == 1
            later(again)
        assert again.settler.settle_once() == 0  # api.md's provider: canceled at once
        done = again.journal.entry(entry.id)
        assert (done.state, done.outcome) == ("settled", "declined")
        assert done.error == (NOT_SENT if provider.api == "square" else CANCELED_WORDS)
        assert asked_since(provider, start)[1] == 0
        assert ledger(provider) == (7500, 0)
        assert again.terminal.shift.reconciliation() == []
    finally:
        again.close()


@pytest.mark.parametrize("api", APIS)
def test_a_call_on_its_way_when_the_till_died_is_found_once_it_arrives_and_not_sent_again(
    engine: Engine, provider: Provider, tmp_path: Path
) -> None:
    """Crash recovery of a call in flight: the request is held on its way (a slow network,
    a queue) while the till dies and starts again. api.md's provider: the settler cancels it
    (not charged), and the request arriving later is refused. Square has no cancel: not
    found yet is not "not charged", the settler asks again until the call can no longer
    arrive, and finds it."""
    gift = engine.terminal.check(ACTIVE)
    wanted = intents.redeem(gift.id, amount=1000).referenced("on-its-way")
    entry = engine.journal.intend(wanted, code=CODE, currency="USD", key="on-its-way")
    provider.proxy.set("hold", only=MONEY[provider.api])
    failed: list[ProviderError] = []

    def the_dead_tills_call() -> None:  # its answer is never written: the till is gone
        try:
            engine.client.send(wanted, "on-its-way")
        except ProviderError as exc:
            failed.append(exc)

    call = threading.Thread(target=the_dead_tills_call)
    call.start()
    wait_for(lambda: asked_since(provider, 0)[1] == 1, 10, "the call to reach the proxy")
    again = engine_on(provider, tmp_path / "journal.db")
    try:
        if provider.api != "square":  # api.md's cancel; Adyen's by the merchant reference
            assert again.settler.settle_once() == 0  # canceled at the provider: not charged
            done = again.journal.entry(entry.id)
            assert (done.state, done.outcome, done.error) == (
                "settled",
                "declined",
                CANCELED_WORDS,
            )
            provider.proxy.release()  # it arrives: refused, nothing moves
            call.join(30)
            refused = {"posapp": "reference_canceled", "adyen": "canceled"}[provider.api]
            assert [exc.code for exc in failed if isinstance(exc, Declined)] == [refused]
            assert (provider.balance(CODE), len(provider.charged())) == (7500, 0)
            assert again.terminal.shift.reconciliation() == []
            return
        assert again.settler.settle_once() == 1  # not found: it is still on its way
        assert again.journal.entry(entry.id).state == "pending"
        assert ledger(provider) == (7500, 0)
        provider.proxy.release()  # it arrives, and the provider commits it
        call.join(30)
        wait_for(lambda: ledger(provider) == (6500, 1), 10, "the provider to commit it")
        later(again)
        assert again.settler.settle_once() == 0
        done = again.journal.entry(entry.id)
        assert (done.state, done.outcome) == ("settled", "completed")
        assert done.transaction_id in provider.redemptions()
        assert asked_since(provider, 0)[1] == 1  # the one call, never sent again
        assert ledger(provider) == (6500, 1)
    finally:
        provider.proxy.set("pass")
        provider.proxy.release()
        again.close()
