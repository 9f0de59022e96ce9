"""A store in California (issue 25.3), the widget tier: a $9.00 card's panel says the
customer may ask for it in cash, naming the law; F8 offers the cash-out although the store
forbids cash-outs at its provider, its confirm names the law; the receipt says why, and the
provider's ledger holds the cash-out with the statute."""

from __future__ import annotations

import httpx
import pytest

from hardware.printers.decode import decode
from posapp.ui.confirm import ConfirmOverlay
from tests.gui.conftest import PIN, Till, key, pump_until, wedge_scan
from tests.gui.test_cashier import card_shown, overlay_of

pytestmark = pytest.mark.gui

CA = "California Civil Code 1749.5"
CODE = "500000000000002"


@pytest.fixture
def jurisdiction() -> str:
    return "US-CA"


def admin(till: Till) -> dict[str, str]:
    return {"Authorization": f"Bearer {till.provider.made['admin_token']}"}


def nine_dollars_and_no_cash_outs(till: Till) -> str:
    """The demo's $12.50 card set to $9.00, and the store's cash-outs forbidden."""
    url = till.provider.server.url
    (card,) = httpx.get(f"{url}/v1/gift-cards", params={"code": CODE}, headers=admin(till)).json()
    set_to = httpx.patch(
        f"{url}/v1/gift-cards/{card['id']}", json={"balance": 900}, headers=admin(till)
    )
    assert set_to.status_code == 200, set_to.text
    off = httpx.patch(
        f"{url}/v1/gift-card-config",
        json={"store_configurations": {"cash_out_enabled": False}},
        headers=admin(till),
    )
    assert off.status_code == 200, off.text
    return str(card["id"])


def test_the_law_on_the_panel_on_f8_and_on_the_receipt(till: Till) -> None:
    gift_id = nine_dollars_and_no_cash_outs(till)
    window = till.window
    pump_until(
        till.root,
        lambda: window.till.cash_out is not None and not window.till.cash_out.allowed,
        what="the store's switch, off",
    )
    wedge_scan(window, f"SVS_GC-{CODE}")
    card_shown(till, "$9.00")
    assert window.panel.law.cget("text") == (
        f"The customer may ask for this balance in cash ({CA})"
    )
    button = window.buttons["cash_out"]
    pump_until(till.root, lambda: button.instate(["!disabled"]), what="F8 on")
    assert button.cget("text") == "Cash out $9.00 from ••0002\nF8"
    key(window.scan_field, "F8", 4)
    confirm = overlay_of(till, ConfirmOverlay)
    assert isinstance(confirm, ConfirmOverlay)
    assert confirm.words.cget("text") == "Pay out $9.00 in cash from ••0002"
    assert confirm.detail.cget("text") == (
        f"Required by {CA} when the customer asks for a balance this small in cash"
    )
    assert confirm.detail.winfo_ismapped()
    confirm.pin = PIN
    confirm.enter()
    pump_until(till.root, lambda: len(till.printer.jobs) == 1, what="the cash-out receipt")
    printed = " ".join(" ".join(decode(till.printer.jobs[0]).lines).split())  # lines wrapped
    assert f"Cash-out required by {CA}" in printed
    moved = httpx.get(
        f"{till.provider.server.url}/v1/transactions",
        params={"gift_id": gift_id, "type": "gift_card_cash_out"},
        headers=admin(till),
    ).json()
    assert [(t["amount"], t["reference"]) for t in moved] == [(900, f"Cash-out required by {CA}")]
    pump_until(till.root, lambda: window.panel.law.cget("text") == "", what="no law once closed")


def test_a_balance_above_the_threshold_says_no_law(till: Till) -> None:
    wedge_scan(till.window, "SVS_GC-500000000000001")  # $75.00
    card_shown(till, "$75.00")
    assert till.window.panel.law.cget("text") == ""
