"""Never twice with Adyen (issue 21.4): for each intent, the fake Adyen commits, every answer
to it is lost on the way back (the proxy), the till leaves it NOT CONFIRMED, and the settler
settles it by asking first (adapters/adyen_settle.py): the card moved once, or (a payment
canceled by its merchant reference) not at all, and the journal says which."""

from __future__ import annotations

import pytest

from posapp.app import Engine
from posapp.terminal.ports import Declined
from posapp.terminal.settle import CANCELED_WORDS
from tests.terminal.conftest import Provider

pytestmark = pytest.mark.parametrize("api", ["adyen"])

ACTIVE, BLANK = "500000000000001", "700000000000011"
PAYMENTS, CANCELS = b"POST /checkout/v71/payments ", b"POST /checkout/v71/cancels "
MONEY = (
    b"/checkout/v71/payments",
    b"/changeStatus",
    b"/issue",
    b"/voidTransaction",
)


def scan(number: str) -> str:
    return f"SVS_GC-{number}"


def seen(provider: Provider, start: int, line: bytes) -> int:
    return sum(line in request for request in provider.proxy.requests[start:])


def lost(provider: Provider) -> None:
    """Every money call's answer dropped after the fake committed (and its retries')."""
    provider.proxy.set("drop_answer", only=MONEY)


def settled(engine: Engine, provider: Provider, *, forget: bool = False) -> None:
    provider.proxy.set("pass")
    if forget:
        provider.forget_keys()  # Adyen no longer answers the key (31 days on)
    assert engine.settler.settle_once() == 0


def test_a_payment_left_unknown_is_canceled_by_its_reference_never_paid_again(
    engine: Engine, provider: Provider
) -> None:
    assert provider.adyen is not None
    gift = engine.terminal.check(scan(ACTIVE))
    lost(provider)
    assert engine.terminal.redeem(gift, 1000).not_confirmed
    assert provider.balance(ACTIVE) == 6500  # Adyen committed; the till never heard
    start = len(provider.proxy.requests)
    settled(engine, provider)
    assert seen(provider, start, PAYMENTS) == 0  # never paid again
    assert seen(provider, start, CANCELS) == 1
    (entry,) = engine.journal.entries()
    assert (entry.state, entry.outcome, entry.error) == ("settled", "declined", CANCELED_WORDS)
    assert provider.balance(ACTIVE) == 7500  # canceled: the card holds what it held
    payment = provider.adyen.payment(entry.idempotency_key)
    assert payment is not None
    assert payment.status == "reversed"


def test_a_payment_held_on_its_way_is_refused_when_it_arrives_after_the_cancel(
    engine: Engine, provider: Provider
) -> None:
    gift = engine.terminal.check(scan(ACTIVE))
    provider.proxy.set("reset_before", only=PAYMENTS)  # never reached Adyen
    assert engine.terminal.redeem(gift, 1000).not_confirmed
    settled(engine, provider)
    (entry,) = engine.journal.entries()
    assert (entry.outcome, entry.error) == ("declined", CANCELED_WORDS)
    # The request arrives late, with its key: Adyen makes no payment by a canceled reference.
    with pytest.raises(Declined) as refused:
        engine.client.send(entry.intent, entry.idempotency_key + "-late")
    assert (refused.value.code, str(refused.value)) == (
        "canceled",
        "Adyen canceled this transaction: nothing was charged",
    )
    assert provider.balance(ACTIVE) == 7500


def test_one_lost_answer_is_answered_by_the_retry_with_the_same_key(
    engine: Engine, provider: Provider
) -> None:
    gift = engine.terminal.check(scan(ACTIVE))
    provider.proxy.set("drop_answer", times=1, only=PAYMENTS)
    receipt = engine.terminal.redeem(gift, 1000)
    assert not receipt.not_confirmed
    assert (provider.balance(ACTIVE), len(provider.redemptions())) == (6500, 1)


def test_a_cash_out_left_unknown_is_canceled_and_the_card_keeps_its_money(
    engine: Engine, provider: Provider
) -> None:
    gift = engine.terminal.check(scan("500000000000002"))
    lost(provider)
    assert engine.terminal.cash_out(gift).not_confirmed
    settled(engine, provider)
    (entry,) = engine.journal.entries()
    assert (entry.operation, entry.outcome) == ("cash_out", "declined")
    assert provider.balance("500000000000002") == 1250


@pytest.mark.parametrize("forget", [False, True])
def test_a_reversal_left_unknown_is_answered_again_by_its_key_and_gives_back_once(
    engine: Engine, provider: Provider, forget: bool
) -> None:
    terminal = engine.terminal
    terminal.redeem(terminal.check(scan(ACTIVE)), 1000)
    (redemption,) = terminal.shift.shift_entries()
    provider.proxy.set("drop_answer", only=b"/reversals")
    assert terminal.reverse(redemption.id).not_confirmed
    assert provider.balance(ACTIVE) == 7500
    settled(engine, provider, forget=forget)
    reversal = terminal.shift.shift_entries()[1]
    assert (reversal.state, reversal.outcome) == ("settled", "completed")
    assert provider.balance(ACTIVE) == 7500  # given back once


@pytest.mark.parametrize("forget", [False, True])
def test_a_card_sold_left_unknown_is_read_on_the_card_and_sold_once(
    engine: Engine, provider: Provider, forget: bool
) -> None:
    lost(provider)
    assert engine.terminal.sell(scan(BLANK), amount=2500).not_confirmed
    assert provider.balance(BLANK) == 2500
    settled(engine, provider, forget=forget)
    (entry,) = engine.journal.entries()
    assert (entry.state, entry.outcome, entry.balance_after) == ("settled", "completed", 2500)
    assert provider.balance(BLANK) == 2500  # activated once, with the amount once


def test_a_card_sold_that_never_reached_adyen_stays_unknown_and_says_why(
    engine: Engine, provider: Provider
) -> None:
    provider.proxy.set("reset_before", only=b"/changeStatus")
    assert engine.terminal.sell(scan(BLANK), amount=2500).not_confirmed
    provider.proxy.set("pass")
    assert engine.settler.settle_once() == 1  # Adyen can neither say nor cancel it
    (entry,) = engine.journal.entries()
    assert entry.state == "unknown"
    assert "no way to cancel one still on its way" in (entry.error or "")
    assert provider.balance(BLANK) == 0


def test_a_refund_card_left_unknown_is_answered_again_by_its_key_one_card_issued(
    engine: Engine, provider: Provider
) -> None:
    assert provider.adyen is not None
    cards_before = len(provider.adyen.cards)
    lost(provider)
    assert engine.terminal.refund_to_card(1999).not_confirmed
    settled(engine, provider)
    (entry,) = engine.journal.entries()
    assert (entry.state, entry.outcome) == ("settled", "completed")
    assert len(provider.adyen.cards) == cards_before + 1  # one card issued, not two
    assert provider.balance(entry.code) == 1999


@pytest.mark.parametrize("forget", [False, True])
def test_a_void_left_unknown_is_read_on_the_card_and_done_once(
    engine: Engine, provider: Provider, forget: bool
) -> None:
    terminal = engine.terminal
    terminal.sell(scan(BLANK), amount=2500)
    (sale,) = terminal.shift.shift_entries()
    provider.proxy.set("drop_answer", only=b"/voidTransaction")
    assert terminal.reverse(sale.id).not_confirmed
    settled(engine, provider, forget=forget)
    void = terminal.shift.shift_entries()[1]
    assert (void.operation, void.state, void.outcome) == ("void", "settled", "completed")
    assert provider.balance(BLANK) == 0
