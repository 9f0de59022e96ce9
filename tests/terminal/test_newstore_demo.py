"""`posapp demo --api newstore` (issue 22 point 3): the demo against the fake NewStore's Gift
Card API, its cards in NewStore's states; the till checks, sells and cashes out there."""

from __future__ import annotations

from pathlib import Path

import pytest

from posapp.app import build_engine
from posapp.config import Config
from posapp.demo import DemoWorld
from posapp.demo_cards import cards_now
from posapp.terminal.service import CashierError


def test_the_newstore_demo_world_checks_sells_and_cashes_out(tmp_path: Path) -> None:
    world = DemoWorld(tmp_path, "newstore")
    try:
        world.wait_ready()
        config = world.config(Config(), tmp_path)
        assert world.newstore is not None
        assert (config.provider.api, config.provider.url) == ("newstore", world.url + "/v0/c")
        engine = build_engine(config, token=world.made["terminal_token"], start_settler=False)
        terminal = engine.terminal
        try:
            gift = terminal.check("SVS_GC-500000000000002")
            with pytest.raises(CashierError, match="NewStore checkout"):
                terminal.redeem(gift, 100)
            assert terminal.cash_out(gift).kind == "cash_out"
            sold = terminal.sell("SVS_GC-700000000000011", pricebook="gift-card-300")
            assert sold.kind == "activation"
        finally:
            engine.close()
        assert [m["type"] for m in world.newstore.movements] == [
            "gift_card_cash_out",
            "activation",
        ]
        said = {scan.strip(): words for scan, _last, words in cards_now(world)}
        assert said["SVS_GC-500000000000001"] == "$75.00"
        assert said["SVS_GC-500000000000002"] != "$12.50"  # cashed out
        assert said["SVS_GC-700000000000012"] == "blank, to sell (F5)"
        assert said["SVS_GC-700000000000011"] == "$300.00"
    finally:
        world.close()
