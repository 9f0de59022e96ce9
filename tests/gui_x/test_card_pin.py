"""Issue 21 point 3 through the real X server with real keys, kiosk and openbox: a card whose
brand needs its PIN asks for it on the masked keypad; a wrong PIN says so and asks again; the
right one shows the card, and F2 redeems from it with the PIN, checked on the provider's
ledger. The provider is the real one behind tests/pin_card.py's double of such a brand."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.gui_x.conftest import Till
from tests.gui_x.steps import closed, overlay_open, typed_amount
from tests.pin_card import PinCards

pytestmark = pytest.mark.gui
CARD, CODE = "SVS_GC-500000000000001", "500000000000001"  # $75.00
PIN = "5937"


@pytest.fixture
def pins(till: Till) -> Iterator[PinCards]:
    double = PinCards(till.engine.client, {CODE: PIN})
    till.engine.terminal.provider = double
    return double


def test_a_card_that_needs_its_pin_is_asked_for_it_and_redeemed_with_it(
    till: Till, pins: PinCards
) -> None:
    till.scan(CARD)
    pad: Any = overlay_open(till, "CardPinOverlay")
    assert till.window.till.card is None
    assert "$" not in till.balance_shown()  # the card is not shown
    till.shot("card-pin")
    till.type("1111")
    till.pump_until(lambda: pad.dots.cget("text") == "••••", "four dots")
    till.key("Return")
    till.pump_until(
        lambda: pad.title.cget("text") == "Wrong PIN: the PIN of card ••0001 again",
        "the wrong PIN said",
    )
    assert till.window.overlay is pad  # asked again, on the same keypad
    till.shot("card-pin-wrong")
    till.type(PIN[:3] + "9")
    till.key("BackSpace")
    till.type(PIN[3])
    till.pump_until(lambda: pad.dots.cget("text") == "••••", "four dots again")
    till.shot("card-pin-dots")
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the card shown")
    till.key("F2")
    typed_amount(till, "1000", "$10.00")
    till.key("Return")
    till.pump_until(
        lambda: till.says().startswith("Gift card redemption: $10.00 done"), "the redemption"
    )
    till.settle()
    assert till.ledger_balance(CODE) == 6500
    assert [(e.operation, e.state) for e in till.journal()] == [("redemption", "completed")]
    assert pins.refused == 2  # the scan with no PIN and the wrong PIN; nothing after
    assert pins.sent[-2:] == [PIN, PIN]  # the redemption, and the card read after it


def test_esc_on_the_keypad_cancels_and_a_new_scan_asks_again(till: Till, pins: PinCards) -> None:
    till.scan(CARD)
    overlay_open(till, "CardPinOverlay")
    till.type("12")
    till.key("Escape")
    closed(till)
    assert (till.window.till.phase, till.window.till.card) == ("idle", None)
    till.scan(CARD)
    pad: Any = overlay_open(till, "CardPinOverlay")
    assert pad.dots.cget("text") == ""  # nothing kept from before
    assert pins.refused == 2
