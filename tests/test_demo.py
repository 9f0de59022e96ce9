"""`posapp demo` keeps its provider and journal in one folder: a demo restarted after a crash
settles what was in flight, against the provider that saw it."""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from posapp.app import build_engine
from posapp.config import Config
from posapp.core.intent import Intent
from posapp.demo import DemoWorld, cards_now, demo_folder, describe, log_to_file
from tests.helpers import wait_for


def test_a_restarted_demo_settles_what_the_last_run_left_pending(tmp_path: Path) -> None:
    world = DemoWorld(tmp_path)
    world.wait_ready()
    config = world.config(Config(), tmp_path)
    engine = build_engine(config, token=world.made["terminal_token"], start_settler=False)
    gift = engine.terminal.check("SVS_GC-500000000000001")
    # The intent is journalled, then the demo dies before the provider is called.
    engine.journal.intend(
        Intent("redemption", gift_id=gift.id, amount=1000),
        code=gift.code,
        currency="USD",
        key="k-1",
    )
    engine.close()
    world.close()

    again = DemoWorld(tmp_path)
    again.wait_ready()
    assert again.made["store_id"] == world.made["store_id"]  # the same store, new tokens
    engine = build_engine(
        again.config(Config(), tmp_path), token=again.made["terminal_token"], start_settler=False
    )
    try:
        assert engine.settler.settle_once(include_pending=True) == 0
        (entry,) = engine.terminal.shift.shift_entries()
        assert (entry.state, entry.outcome) == ("settled", "completed")
        assert engine.terminal.check("SVS_GC-500000000000001").balance == 6500
    finally:
        engine.close()
        again.close()


def test_the_demo_folder_is_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert demo_folder() == tmp_path / "posapp" / "demo"
    assert demo_folder().is_dir()


def test_a_restarted_demo_describes_the_cards_as_the_provider_holds_them_now(
    tmp_path: Path,
) -> None:
    world = DemoWorld(tmp_path)
    world.wait_ready()
    engine = build_engine(
        world.config(Config(), tmp_path), token=world.made["terminal_token"], start_settler=False
    )
    try:
        engine.terminal.redeem(engine.terminal.check("SVS_GC-500000000000001"), 6250)
        engine.terminal.sell("SVS_GC-700000000000011", amount=2500)
        engine.terminal.cash_out(engine.terminal.check("123456789012"))
    finally:
        engine.close()
        world.close()

    again = DemoWorld(tmp_path)
    try:
        again.wait_ready()
        said = describe(again, tmp_path / "receipts", tmp_path / "demo.log")
    finally:
        again.close()
    listed = {
        line.split()[0]: " ".join(line.split()[1:])
        for line in said.splitlines()
        if line.startswith("  ")
    }
    assert listed["SVS_GC-500000000000001"] == "$12.50"  # not the $75.00 it started with
    assert listed["SVS_GC-700000000000011"] == "$25.00"  # sold: no longer blank
    assert listed["SVS_GC-700000000000012"] == "blank, to sell (F5)"
    assert listed["SVS_GC-500000000000003"] == "Used up"
    assert listed["SVS_GC-500000000000004"] == "Expired ($40.00)"
    assert listed["SVS_GC-500000000000008"] == "2 x Coffee"
    # The demo trial (10): "Disabled" here and in the simulator, "CASHED OUT" on the till.
    assert listed["123456789012"] == "Cashed out"
    assert f"Log: {tmp_path / 'demo.log'}" in said


def test_the_square_demo_describes_its_cards_from_the_fake(tmp_path: Path) -> None:
    world = DemoWorld(tmp_path, "square")
    try:
        world.wait_ready()
        world.fake.by_gan(world.made["cards"][0]["code"])["balance_money"]["amount"] = 1234
        now = {scan.strip(): words for scan, _last, words in cards_now(world)}
        said = describe(world, tmp_path / "receipts", tmp_path / "demo.log")
    finally:
        world.close()
    # The README says the Square demo keeps nothing: its start text says the same.
    assert "delete the folder" not in said
    assert (
        f"Demo data: nothing is kept; this run's journal is in {tmp_path}, "
        "deleted when the demo stops"
    ) in said.splitlines()
    assert now[world.made["cards"][0]["scan"].strip()] == "$12.34"
    assert now["SVS_GC-700000000000011"] == "blank, to sell (F5)"


def test_the_demo_console_shows_the_card_list_and_no_log_lines(tmp_path: Path) -> None:
    """`posapp demo --no-window`, a real process: a request the provider logs at INFO goes
    to demo.log in the demo folder, not between the printed lines."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "posapp", "demo", "--no-window"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        printed = []
        for line in process.stdout:
            printed.append(line)
            if line.startswith("Running without a window"):
                break
        url = next(p for p in printed if p.startswith("Demo provider: ")).split()[-1]
        assert httpx.get(f"{url}/healthz").status_code == 200
        log = tmp_path / "posapp" / "demo" / "demo.log"
        wait_for(lambda: "GET /healthz 200" in log.read_text(), 10.0, "the request logged")
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    printed.append(out)
    assert f"Log: {log}\n" in printed
    assert not [line for line in "".join(printed).splitlines() if " INFO " in line]
    assert " INFO " not in err
    assert process.returncode == 0


def test_the_demo_log_keeps_info_and_masks_serials_the_console_warnings_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = logging.getLogger()
    console = io.StringIO()
    handler = logging.StreamHandler(console)
    monkeypatch.setattr(root, "handlers", [handler])
    monkeypatch.setattr(root, "level", logging.WARNING)
    log_to_file(tmp_path / "demo.log")
    try:
        logging.getLogger("posapp.settle").info("entry 1 settled for SVS_GC-500000000000001")
        logging.getLogger("posapp.settle").warning("entry 2: no answer")
    finally:
        for added in root.handlers[1:]:
            added.close()
    kept = (tmp_path / "demo.log").read_text()
    assert "INFO posapp.settle entry 1 settled for" in kept
    assert "500000000000001" not in kept  # masked to the last four (house rule 8)
    assert "0001" in kept
    assert "entry 2: no answer" in kept
    assert console.getvalue().splitlines() == ["entry 2: no answer"]
