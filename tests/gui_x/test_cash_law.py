"""A till in California (issue 25.3) through the real X server: a customer spends $3.50 of
a $12.50 card, and asks for the $9.00 left in cash. The store forbids cash-outs at its
provider, yet the panel says the customer may ask for it, F8 offers it naming California
Civil Code 1749.5, and the provider's ledger holds the cash-out with the statute; the
receipt says why. Keys through xdotool, checked on the provider's ledger."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from hardware.printers.decode import decode
from posapp.ui.confirm import ConfirmOverlay
from tests.gui_x.conftest import PIN, Till, XServer, close_till, make_config, open_till
from tests.gui_x.steps import overlay_open
from tests.gui_x.test_till import SMALL, SMALL_CODE, moved, shown
from tests.terminal.conftest import Provider

pytestmark = pytest.mark.gui

CA = "California Civil Code 1749.5"


@pytest.fixture
def california(xserver: XServer, provider: Provider, tmp_path: Path) -> Iterator[Till]:
    config = make_config(provider.proxy.url, fullscreen=xserver.mode == "kiosk")
    config = replace(config, store=replace(config.store, jurisdiction="US-CA"))
    gc.disable()  # as tests/gui_x/conftest.py's till: no collection on a worker thread
    made = open_till(xserver, provider, config, tmp_path / "journal.db")
    yield made
    close_till(made)


def test_f8_pays_a_nine_dollar_balance_out_as_the_law_requires(california: Till) -> None:
    till = california
    off = httpx.patch(
        f"{till.provider.server.url}/v1/gift-card-config",
        json={"store_configurations": {"cash_out_enabled": False}},
        headers=till.admin(),
    )
    assert off.status_code == 200, off.text
    shown(till, SMALL, "$12.50")
    till.key("F2")
    overlay_open(till, "AmountOverlay")
    till.type("350")  # $3.50 spent
    till.key("Return")
    till.pump_until(lambda: till.printer.jobs, "the redemption's receipt")
    till.pump_until(lambda: till.balance_shown() == "$9.00", "$9.00 left on screen")
    till.settle()
    till.pump_until(
        lambda: till.window.till.cash_out is not None and not till.window.till.cash_out.allowed,
        "the store's switch, off",
    )
    assert till.window.panel.law.cget("text") == (
        f"The customer may ask for this balance in cash ({CA})"
    )
    till.shot("cash-law-panel")
    till.key("F8")
    confirm = overlay_open(till, "ConfirmOverlay")
    assert isinstance(confirm, ConfirmOverlay)
    assert confirm.detail.cget("text") == (
        f"Required by {CA} when the customer asks for a balance this small in cash"
    )
    till.shot("cash-law-confirm")
    till.type(PIN, 80, 110)
    till.key("Return")
    till.pump_until(lambda: len(till.printer.jobs) == 2, "the cash-out's receipt")
    till.settle()
    assert moved(till, SMALL_CODE) == [("redemption", 350), ("gift_card_cash_out", 900)]
    (cash_out,) = [t for t in till.ledger_transactions(SMALL_CODE) if t["amount"] == 900]
    assert cash_out["reference"] == f"Cash-out required by {CA}"
    assert till.ledger_balance(SMALL_CODE) == 0
    printed = " ".join(" ".join(decode(till.printer.jobs[1]).lines).split())
    assert f"Cash-out required by {CA}" in printed
