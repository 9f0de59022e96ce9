"""`posapp demo --api adyen`: the demo against the fake Adyen, its cards in Adyen's states
(active, used up, not sold yet, blocked, deactivated, one that needs its PIN)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
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


def test_posapp_demo_api_adyen_without_a_window(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    child = subprocess.Popen(
        [str(Path(sys.executable).parent / "posapp"), "demo", "--api", "adyen", "--no-window"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    said = ""
    while "Running without a window" not in (line := child.stdout.readline()):
        assert line, said
        said += line
    first = said.splitlines()[0]
    assert first.startswith(
        "Demo provider (a fake of Adyen's Checkout and Stored Value APIs): http://127.0.0.1:"
    )
    answer = httpx.post(f"{first.split()[-1]}/checkout/v71/payments", json={})
    assert answer.json()["errorCode"] == "000"  # Adyen's ServiceError, and a lock
    assert answer.status_code == 401
    assert f"SVS_GC-500000000000008     $40.00, PIN {DEMO_PIN}" in said
    child.send_signal(signal.SIGTERM)
    assert child.wait(30) == 0
    child.stdout.close()
    assert list((tmp_path / "tmp").iterdir()) == []
