"""What the card panel says after a refusal (the Adyen trial, 5a #4, #13; the trial of a
till, 5b #8): the refused card named, as a sentence; F8 off, saying why, once the store's
cash-out limit refused it. (5b #9, the "cannot be reached" line after a redemption not sent:
tests/core/test_till_reach.py.)"""

from __future__ import annotations

import httpx
import pytest

from posapp.ui.confirm import ConfirmOverlay
from tests.gui.conftest import PIN, Till, key, pump_until, wedge_scan
from tests.gui.test_cashier import CARD, card_shown, overlay_of

pytestmark = pytest.mark.gui


def test_a_refused_scan_names_its_card_in_a_sentence(till: Till) -> None:
    wedge_scan(till.window, CARD)
    card_shown(till, "$75.00")
    wedge_scan(till.window, "SVS_GC-999999999999999")
    pump_until(till.root, lambda: "not sold yet" in till.window.till.message)
    assert till.window.panel.message.cget("text") == (
        "Card ••9999: This card is not sold yet: F5 sells it. If the customer says it holds "
        "money, scan it again or check its code."
    )


def test_f8_above_the_stores_limit_is_off_and_says_why(till: Till) -> None:
    window = till.window
    wedge_scan(window, CARD)
    card_shown(till, "$75.00")
    assert window.buttons["cash_out"].cget("text") == "Cash out $75.00 from ••0001\nF8"
    admin = {"Authorization": f"Bearer {till.provider.made['admin_token']}"}
    httpx.patch(  # while the till runs: it learns it at the cash-out
        f"{till.provider.server.url}/v1/gift-card-config",
        json={"store_configurations": {"cash_out_enabled": True, "cash_out_max": 1000}},
        headers=admin,
    ).raise_for_status()
    key(window.scan_field, "F8", 4)
    pin = overlay_of(till, ConfirmOverlay)
    assert isinstance(pin, ConfirmOverlay)
    pin.pin = PIN
    pin.enter()
    limit = "above the store's cash-out limit of $10.00"
    pump_until(till.root, lambda: limit in window.till.message, what="the refusal")
    button = window.buttons["cash_out"]
    pump_until(till.root, lambda: button.instate(["disabled"]), what="F8 off")
    assert button.cget("text") == "Cash out: above the limit\nF8"
    key(window.scan_field, "F8", 5)
    assert window.overlay is None
    assert limit in window.till.message
