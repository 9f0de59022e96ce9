"""Issue 21 point 3: a card's PIN through the terminal's use cases, for every API's port. The
real provider and its real client run behind tests/pin_card.py's double of a brand that needs
a PIN; what is checked is where the PIN goes (the call) and where it never goes (the
journal's file, the logs, an exception's words, a receipt)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from posapp.app import Engine
from posapp.core.serials import SerialPattern, SerialPatterns
from posapp.terminal.ports import WRONG_PIN, CashierError, Declined, PinNeeded
from tests.pin_card import PinCards
from tests.terminal.conftest import APIS, Provider

CODE = "500000000000001"  # $75.00 in the demo stores
PIN = "90817263"


@pytest.fixture
def pins(engine: Engine) -> PinCards:
    double = PinCards(engine.client, {CODE: PIN})
    engine.terminal.provider = double
    return double


def everything_written(tmp_path: Path) -> bytes:
    """The journal's files as they are on disk (the database, its WAL)."""
    return b"".join(p.read_bytes() for p in tmp_path.glob("journal.db*"))


@pytest.mark.parametrize("api", APIS)
def test_the_pin_goes_with_the_calls_and_nowhere_else(
    engine: Engine,
    pins: PinCards,
    provider: Provider,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    terminal = engine.terminal
    with pytest.raises(PinNeeded) as needed:  # not a CashierError: the till asks for the PIN
        terminal.check(f"SVS_GC-{CODE}")
    assert needed.value.code == "pin_needed"
    with pytest.raises(Declined) as wrong:
        terminal.check(f"SVS_GC-{CODE}", pin="1111")
    assert wrong.value.code == WRONG_PIN
    assert "1111" not in str(wrong.value)

    gift = terminal.check(f"SVS_GC-{CODE}", pin=PIN)
    receipt = terminal.redeem(gift, 1000, pin=PIN)
    assert provider.balance(CODE) == 6500
    assert pins.sent[-1] == PIN  # the redemption carried it
    assert PIN not in repr(receipt)
    assert PIN not in repr(terminal.journal.entries())
    assert PIN.encode() not in everything_written(tmp_path)
    assert PIN not in caplog.text


@pytest.mark.parametrize("api", APIS)
def test_a_movement_without_the_pin_is_refused_and_moves_nothing(
    engine: Engine, pins: PinCards, provider: Provider
) -> None:
    gift = engine.terminal.check(f"SVS_GC-{CODE}", pin=PIN)
    with pytest.raises(CashierError, match="needs its PIN"):
        engine.terminal.cash_out(gift)
    with pytest.raises(CashierError, match="needs its PIN"):
        engine.terminal.redeem(gift, 500)
    assert provider.balance(CODE) == 7500
    assert [e.state for e in engine.terminal.journal.entries()] == ["declined", "declined"]


@pytest.mark.parametrize("api", APIS)
def test_a_pin_the_scan_carries_goes_with_the_check(engine: Engine, pins: PinCards) -> None:
    """A pattern's `pin` group (issue 21 point 3): the scan's PIN is the check's."""
    pinned = SerialPattern("SVS with PIN", r"^SVS_GC-(\d{15})(?:=(?P<pin>\d{4,8}))?$")
    engine.terminal.patterns = SerialPatterns.load([pinned])
    gift = engine.terminal.check(f"SVS_GC-{CODE}={PIN}")
    assert (gift.code, pins.sent[-1]) == (CODE, PIN)
    with pytest.raises(PinNeeded):
        engine.terminal.check(f"SVS_GC-{CODE}")


@pytest.mark.parametrize("api", ["adyen"])
def test_the_adyen_adapter_asks_for_the_pin_and_it_goes_nowhere_else(
    engine: Engine, provider: Provider, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The same against the fake Adyen through its real adapter: PinNeeded (the class the
    till catches), a wrong PIN in words, then the PIN sent with the payment (its cvc) only."""
    caplog.set_level(logging.DEBUG)
    assert provider.adyen is not None
    number = "600000000000009"
    provider.adyen.add_card(number, 5000, "active", brand="valuelink", pin=PIN)
    terminal = engine.terminal
    with pytest.raises(PinNeeded):
        terminal.check(f"SVS_GC-{number}")
    with pytest.raises(Declined) as wrong:
        terminal.check(f"SVS_GC-{number}", pin="11112222")
    assert wrong.value.code == WRONG_PIN
    gift = terminal.check(f"SVS_GC-{number}", pin=PIN)
    terminal.redeem(gift, 1000, pin=PIN)
    assert provider.balance(number) == 4000
    assert PIN.encode() not in everything_written(tmp_path)
    assert PIN not in caplog.text


@pytest.mark.parametrize("api", APIS)
def test_a_reversal_reads_its_card_with_the_pin_it_is_given(
    engine: Engine, pins: PinCards, provider: Provider
) -> None:
    """The card of a redemption to reverse is read before (issue 18.3), with its PIN when the
    till has it (the card on screen); without, the reversal (which names the payment, not
    the card) goes through unread."""
    gift = engine.terminal.check(f"SVS_GC-{CODE}", pin=PIN)
    engine.terminal.redeem(gift, 1000, pin=PIN)
    engine.terminal.redeem(gift, 500, pin=PIN)
    first, second = engine.terminal.journal.entries()[:2]
    refused = pins.refused
    engine.terminal.reverse(first.id, pin=PIN)
    assert (pins.refused, pins.sent[-1]) == (refused, PIN)  # the card read with it
    engine.terminal.reverse(second.id)
    assert pins.refused == refused + 1  # the read without it was refused, not the reversal
    assert provider.balance(CODE) == 7500
