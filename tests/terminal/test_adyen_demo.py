"""`posapp demo --api adyen`: the demo against the fake Adyen, its cards in Adyen's states
(active, used up, not sold yet, blocked, deactivated, one that needs its PIN)."""

from __future__ import annotations

from pathlib import Path

import pytest

from posapp.adyen_fake.demo_cards import DEMO_PIN
from posapp.app import build_engine
from posapp.config import Config
from posapp.demo import DemoWorld
from posapp.demo_cards import cards_now
from posapp.terminal.service import CashierError


def test_the_adyen_demo_world_runs_every_use_case(tmp_path: Path) -> None:
    """The same engine the window drives, against the fake Adyen the demo starts."""
    world = DemoWorld(tmp_path, "adyen")
    try:
        world.wait_ready()
        config = world.config(Config(), tmp_path)
        assert world.adyen is not None
        assert (config.provider.api, config.provider.brand) == ("adyen", "valuelink")
        assert config.provider.url == world.url + "/checkout/v71"
        engine = build_engine(config, token=world.made["terminal_token"], start_settler=False)
        terminal = engine.terminal
        try:
            sale = terminal.redeem(terminal.check("SVS_GC-500000000000001"), 2500)
            assert sale.transaction_id
            terminal.reverse(terminal.shift.shift_entries()[0].id)
            assert world.adyen.card("500000000000001") is not None
            assert (world.adyen.card("500000000000001") or {})["balance"] == 7500
            assert terminal.sell("SVS_GC-700000000000011", pricebook="gift-card-300").kind == (
                "activation"
            )
            refund = terminal.refund_to_card(1500)
            assert refund.new_card_code is not None
            new_card = terminal.check(refund.new_card_code)  # the demo reads Adyen's numbers
            assert new_card.balance == 1500
            with pytest.raises(CashierError, match=r"(?i)blocked"):
                terminal.redeem(terminal.check("SVS_GC-500000000000006"), 100)
            assert all(e.moved_money for e in terminal.shift.shift_entries())
        finally:
            engine.close()
        said = {scan.strip(): words for scan, _last, words in cards_now(world)}
        assert said["SVS_GC-500000000000001"] == "$75.00"
        assert said["SVS_GC-500000000000003"] == "Used up"
        assert said["SVS_GC-500000000000008"].endswith(f", PIN {DEMO_PIN}")
        assert said["SVS_GC-700000000000011"] != said["SVS_GC-700000000000012"]  # sold now
    finally:
        world.close()
