"""Issue 21 point 7: the real window, with real keys under Xvfb (kiosk and openbox), redeems,
reverses and settles a lost answer against the fake Adyen through its real adapter; each
checked on the fake's own ledger (its cards and payments), never on what the till believes.
(A card that needs its PIN: tests/gui_x/test_card_pin_adyen.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.gui_x.conftest import PIN, Till
from tests.gui_x.steps import closed, overlay_open, typed_amount
from tests.terminal.conftest import Provider

pytestmark = [pytest.mark.gui, pytest.mark.parametrize("api", ["adyen"])]
CARD, CODE = "SVS_GC-500000000000001", "500000000000001"  # active, $75.00, no PIN


def redeem_ten(till: Till) -> None:
    till.scan(CARD)
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the card shown")
    till.key("F2")
    typed_amount(till, "1000", "$10.00")
    till.key("Return")


def test_a_redemption_and_its_reversal_move_the_card_at_adyen_once_each(
    adyen_till: Till, provider: Provider
) -> None:
    till = adyen_till
    redeem_ten(till)
    till.pump_until(lambda: till.says().startswith("Gift card redemption: $10.00 done"), "done")
    till.settle()
    assert provider.balance(CODE) == 6500
    assert len(provider.charged()) == 1
    till.key("F7")
    pick: Any = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    (row,) = pick.tree.get_children()
    pick.tree.selection_set(row)
    pick.tree.focus(row)
    till.key("Return")
    overlay_open(till, "ConfirmOverlay")
    till.type(PIN, 80, 110)
    till.key("Return")
    closed(till)
    till.pump_until(lambda: provider.balance(CODE) == 7500, "the $10.00 back at Adyen")
    till.settle()
    assert provider.charged() == []  # the payment reversed: nothing stands charged
    assert [(e.operation, e.state) for e in till.journal()] == [
        ("redemption", "completed"),
        ("reversal", "completed"),
    ]


def test_a_lost_answer_is_settled_by_canceling_the_payment_and_said_not_charged(
    adyen_till: Till, provider: Provider
) -> None:
    """Adyen took the payment and its answer was lost on the way back: the till says it is
    not confirmed, the settler cancels the payment by its merchant reference (Adyen has no
    look-up by reference), records it not charged and says so; the card moved once, back."""
    till = adyen_till
    assert provider.adyen is not None
    # Adyen commits the payment; its answer never reaches the till.
    till.provider.proxy.set("drop_answer", only=b"/payments")
    redeem_ten(till)
    till.pump_until(lambda: provider.adyen is not None and provider.adyen.by_psp, "the payment")
    till.provider.proxy.set("pass")
    till.pump_until(
        lambda: [e.state for e in till.journal()] == ["settled"], "the settler to settle it"
    )
    till.pump_until(lambda: "Not charged" in till.says(), "the window to say it", timeout=15)
    till.shot("adyen-lost-answer-settled")
    (entry,) = till.journal()
    assert entry.outcome == "declined"  # recorded as not charged
    (payment,) = provider.adyen.by_psp.values()  # sent once: retries reused its key
    assert payment.reference == entry.idempotency_key
    # It had taken the $10.00 (the answer was lost after Adyen committed), and the cancel by
    # its merchant reference gave it back: the card as before, nothing stands charged.
    assert (payment.amount, payment.status) == (1000, "reversed")
    assert provider.balance(CODE) == 7500
    assert provider.charged() == []
