"""What the cashier reads when the journal cannot be written (issue 18.2), in the window,
with the journal on a small tmpfs that fills up as the provider commits; checked against
the provider's ledger: one charge."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from posapp.adapters.journal import Journal
from posapp.app import run_terminal
from posapp.ui.amount import AmountOverlay
from posapp.ui.window import CashierWindow
from tests.gui.conftest import Till, key, person_types, pump_until, wedge_scan
from tests.helpers import SmallDisk
from tests.terminal.conftest import terminal_config
from tests.terminal.test_journal_failures import (
    NOT_WRITTEN,
    WAIT,
    AfterTheCall,
    fill_up,
    immutable,
)

pytestmark = pytest.mark.gui
CARD, CODE = "SVS_GC-500000000000001", "500000000000001"  # $75.00


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    made = SmallDisk(tmp_path / "disk")
    yield made
    made.unmount()


@pytest.fixture
def journal_path(disk: SmallDisk) -> Path:
    return disk.path / "journal.db"


def redeem(till: Till, typed: str) -> None:
    """F2 on the card shown, the amount typed, Enter."""
    key(till.window.scan_field, "F2", 1)
    overlay = pump_until(
        till.root,
        lambda: till.window.overlay if isinstance(till.window.overlay, AmountOverlay) else None,
        what="the amount overlay",
    )
    person_types(till.window, overlay.field, typed)
    overlay.enter()


def ledger(till: Till) -> tuple[int, int]:
    return till.provider.balance(CODE), len(till.provider.redemptions())


def test_the_cashier_reads_not_confirmed_and_cannot_charge_the_card_again(
    till: Till, disk: SmallDisk
) -> None:
    window = till.window
    wedge_scan(window, CARD)
    pump_until(till.root, lambda: window.till.card is not None, what="the card")
    AfterTheCall(till.engine, lambda: fill_up(disk))  # the provider commits, then the disk is full
    redeem(till, "1000")
    pump_until(till.root, lambda: "Not confirmed" in window.till.message, what="the words")
    words = window.panel.message.cget("text")
    assert words == NOT_WRITTEN
    assert window.till.tone == "bad"
    assert window.till.card is None  # its balance on screen could be wrong now
    pump_until(till.root, lambda: window.status.to_settle == 1, what="'not confirmed yet: 1'")
    assert window.bar["to_settle"].cget("text") == "not confirmed yet: 1"
    assert ledger(till) == (6500, 1)

    # The cashier scans the card again and presses again: refused, in words.
    wedge_scan(window, CARD)
    pump_until(till.root, lambda: window.panel.balance.cget("text") == "$65.00", what="$65.00")
    redeem(till, "1000")
    pump_until(till.root, lambda: "not confirmed yet" in window.till.message, what="the refusal")
    assert window.panel.message.cget("text") == WAIT
    assert ledger(till) == (6500, 1)

    # Room on the disk again: the running settler writes it, the status bar says so.
    disk.free()
    till.engine.settler.wake()
    pump_until(till.root, lambda: window.status.to_settle == 0, what="all confirmed")
    assert window.bar["to_settle"].cget("text") == "all confirmed"
    (entry,) = till.engine.journal.entries()
    assert (entry.state, entry.amount) == ("completed", 1000)
    assert ledger(till) == (6500, 1)


def test_a_full_disk_before_the_call_says_nothing_was_charged(till: Till, disk: SmallDisk) -> None:
    window = till.window
    wedge_scan(window, CARD)
    pump_until(till.root, lambda: window.till.card is not None, what="the card")
    fill_up(disk)
    redeem(till, "1000")
    pump_until(till.root, lambda: "Nothing was charged" in window.till.message, what="the words")
    assert window.panel.message.cget("text") == (
        f"Nothing was charged. The till cannot write to its journal {disk.path / 'journal.db'}: "
        "the disk it is on is full. Free some space on that disk, then try again."
    )
    assert ledger(till) == (7500, 0)


def test_a_receipt_neither_printed_nor_kept_still_says_the_redemption_was_done(
    till: Till, disk: SmallDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of paper, and the journal's disk full after the outcome was written: the printer's
    words, never the journal's "then try again" after the money moved."""
    window, journal = till.window, till.engine.journal
    wedge_scan(window, CARD)
    pump_until(till.root, lambda: window.till.card is not None, what="the card")
    written = journal.record_movement

    def then_full(*args: Any, **kwargs: Any) -> Any:
        done = written(*args, **kwargs)
        fill_up(disk)
        return done

    monkeypatch.setattr(journal, "record_movement", then_full)
    till.printer.paper_out = True
    redeem(till, "1000")
    pump_until(till.root, lambda: "done" in window.till.message, what="the redemption's words")
    assert window.till.message.startswith("Gift card redemption: $10.00 done;")
    assert window.till.message.endswith(
        "is paper out: the receipt is kept; reprint it with F9 once it is fixed"
    )
    assert ledger(till) == (6500, 1)
    assert [e.state for e in journal.entries()] == ["completed"]


def test_the_till_says_a_read_only_journal_at_start_in_one_sentence(
    xvfb: Any,
    disk: SmallDisk,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`posapp`'s own start (run_terminal), with its window: the words on the panel."""
    path = disk.path / "journal.db"
    Journal(path).close()
    immutable(path)
    config = terminal_config("http://127.0.0.1:9")
    config = replace(config, journal=replace(config.journal, path=str(path)))
    monkeypatch.setenv("POSAPP_PROVIDER_TOKEN", "pgc_token")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    shown: list[tuple[str, str]] = []
    say = CashierWindow.say

    def said(window: CashierWindow, words: str, tone: str = "ok") -> None:
        say(window, words, tone)
        shown.append((window.panel.message.cget("text"), tone))
        window.root.after_idle(window.close_requested)  # seen: close, and the loop ends

    def attached(window: CashierWindow, services: Any) -> None:
        shown.append(("attached: the journal was taken as writable", "bad"))
        window.root.after_idle(window.close_requested)

    monkeypatch.setattr(CashierWindow, "say", said)
    monkeypatch.setattr(CashierWindow, "attach", attached)
    caplog.set_level(logging.INFO)
    try:
        assert run_terminal(config, tmp_path / "posapp.toml") == 0
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False, capture_output=True)
    assert shown == [
        (
            f"The till cannot write to its journal {path}: the file is read-only. Let the user "
            "who runs posapp write to it and to its folder (or set [journal] path to a file it "
            "can write), then start posapp again.",
            "bad",
        )
    ]
    assert "Traceback" not in caplog.text
