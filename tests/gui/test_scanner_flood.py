"""A scanner flood through a real pty into the real till (issue 18.7): the card scanned
after the flood is on the screen within a second, and nothing queued on the way."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import replace

import pytest

from hardware.scanners.feed import CAPACITY
from hardware.scanners.simulator import ScannerSimulator
from posapp.app import start_scanner
from tests.gui.conftest import Till, key, pump_until, wedge_scan
from tests.helpers import wait_for

pytestmark = pytest.mark.gui


def test_the_card_scanned_after_a_flood_is_shown_within_a_second(
    till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    simulator = ScannerSimulator()
    config = till.engine.config
    config = replace(config, scanner=replace(config.scanner, mode="serial", terminator="CR"))
    scanner = start_scanner(config, till.window, port=simulator.path)
    window = till.window
    most_queued = [0]
    caplog.set_level(logging.WARNING, logger="hardware.scanner")
    try:
        wait_for(lambda: scanner.status == "connected", 10, "the reader to open the pty")
        # Two known cards in turn, 10,000 scans a second for 3 s: each one the till takes is
        # a real check at the provider.
        block = b"SVS_GC-500000000000001\rSVS_GC-500000000000003\r" * 50
        sent = [0]

        def stuck_scanner() -> None:
            start = time.monotonic()
            while (now := time.monotonic()) < start + 3.0:
                while sent[0] < (int((now - start) * 100) + 1) * 100:
                    os.write(simulator.master, block)
                    sent[0] += 100
                time.sleep(0.002)

        writer = threading.Thread(target=stuck_scanner, daemon=True)
        writer.start()

        def watched() -> bool:
            most_queued[0] = max(most_queued[0], window.worker.pool._work_queue.qsize())
            return not writer.is_alive()

        pump_until(till.root, watched, 20, "the flood to end")
        simulator.scan("SVS_GC-500000000000002")  # a real card, right after
        scanned = time.monotonic()
        pump_until(
            till.root,
            lambda: window.panel.balance.cget("text") == "$12.50",
            5,
            "the card scanned after the flood",
        )
        shown = time.monotonic() - scanned
        flood_lines = pump_until(
            till.root,
            lambda: [r for r in caplog.records if "scans dropped" in r.getMessage()],
            5,
            "the flood's count in the log",
        )
    finally:
        scanner.stop()
        simulator.close()
    assert sent[0] >= 25_000
    assert shown < 1.0, f"shown {shown:.2f} s after it was scanned"
    assert window.panel.serial.cget("text").endswith("0002")
    assert window.scans.feed.most_waiting <= CAPACITY
    assert window.scans.feed.dropped_total > 20_000
    assert most_queued[0] <= 2  # one card check at a time, the newest waiting
    assert len(flood_lines) == 1  # a count, not a line per scan
    assert "scans dropped in" in flood_lines[0].getMessage()


def test_a_keyboard_scanner_stuck_in_a_loop_fills_no_field(till: Till) -> None:
    """A burst at scanner speed, with no Enter, longer than any card: its keys are dropped,
    not held and then typed into the field (2,000 of them landed there); the next real scan
    is checked."""
    window = till.window
    t = 3_000_000
    for _ in range(2000):
        key(window.scan_field, "7", t)
        t += 3
    pump_until(till.root, lambda: not window.keys.held, what="the held keys to go")
    assert window.scan_text.get() == ""
    assert len(window.keys.wedge.buffer) <= 256
    wedge_scan(window, "SVS_GC-500000000000002")
    pump_until(till.root, lambda: window.panel.balance.cget("text") == "$12.50", what="the card")
