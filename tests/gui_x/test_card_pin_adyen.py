"""Issue 21 point 3 against the fake Adyen through its real adapter, in the real window with
real keys (kiosk and openbox): the demo's ValueLink card that needs its PIN asks for it on the
masked keypad, a wrong PIN is Adyen's refusal said in words and asked again, the right one
shows the card, and F2 redeems from it: checked on the fake's own ledger and payments."""

from __future__ import annotations

from typing import Any

import pytest

from posapp.adyen_fake.demo_cards import DEMO_PIN
from tests.gui_x.conftest import PIN, Till
from tests.gui_x.steps import closed, overlay_open, typed_amount
from tests.terminal.conftest import Provider

pytestmark = [pytest.mark.gui, pytest.mark.parametrize("api", ["adyen"])]
CARD, CODE = "SVS_GC-500000000000008", "500000000000008"  # $40.00, PIN DEMO_PIN


def test_a_card_that_needs_its_pin_is_redeemed_with_it_through_adyen(
    adyen_till: Till, provider: Provider
) -> None:
    till = adyen_till
    assert provider.adyen is not None
    till.scan(CARD)
    pad: Any = overlay_open(till, "CardPinOverlay")
    assert till.window.till.card is None
    assert "needs its PIN" in pad.asked.cget("text")
    till.shot("card-pin-adyen")
    till.type("1111")
    till.key("Return")
    till.pump_until(
        lambda: pad.title.cget("text") == "Wrong PIN: the PIN of card ••0008 again",
        "Adyen's refusal said",
    )
    assert pad.asked.cget("text") == "The PIN is wrong: ask the customer to type it again"
    till.type(DEMO_PIN)
    till.pump_until(lambda: pad.dots.cget("text") == "••••", "four dots")
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.balance_shown() == "$40.00", "the card shown")
    till.key("F2")
    typed_amount(till, "1000", "$10.00")
    till.key("Return")
    till.pump_until(lambda: till.says().startswith("Gift card redemption: $10.00 done"), "done")
    till.settle()
    assert provider.balance(CODE) == 3000  # the fake Adyen's own ledger
    assert len(provider.redemptions()) == 1  # one payment took money
    assert [(e.operation, e.state) for e in till.journal()] == [("redemption", "completed")]
    assert till.balance_shown() == "$30.00"  # read again with its PIN after the payment

    # F7 on that redemption, the card still on screen with its PIN: the card is read with it
    # before the manager's PIN, then the payment is reversed at Adyen.
    till.key("F7")
    pick: Any = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    (row,) = pick.tree.get_children()
    pick.tree.selection_set(row)
    pick.tree.focus(row)
    till.key("Return")
    overlay_open(till, "ConfirmOverlay")  # the card was read: the manager's PIN now
    till.type(PIN, 80, 110)
    till.key("Return")
    closed(till)
    till.pump_until(lambda: provider.balance(CODE) == 4000, "the $10.00 back at Adyen")
    till.settle()
    assert [(e.operation, e.state) for e in till.journal()] == [
        ("redemption", "completed"),
        ("reversal", "completed"),
    ]
    # Read again with its PIN, the card stays on screen with the $10.00 back.
    till.pump_until(lambda: till.balance_shown() == "$40.00", "the card shown after")
    assert till.window.till.card_pin is not None
