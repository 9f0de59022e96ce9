"""`posapp demo` keeps its provider and journal in one folder: a demo restarted after a crash
settles what was in flight, against the provider that saw it."""

from __future__ import annotations

from pathlib import Path

import pytest

from posapp.app import build_engine
from posapp.config import Config
from posapp.core.intent import Intent
from posapp.demo import DemoWorld, demo_folder


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
        (entry,) = engine.terminal.shift_entries()
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
