"""Closing with a money call in flight (the close button or SIGTERM) says so and waits for
the answer, up to the call's deadline."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

from posapp.app import stop_on_sigterm
from posapp.check import describe_config
from posapp.ui.amount import AmountOverlay
from tests.gui.conftest import Till, key, person_types, pump_until, wedge_scan
from tests.gui.test_cashier import overlay_of

pytestmark = pytest.mark.gui


def start_a_slow_redemption(till: Till) -> None:
    wedge_scan(till.window, "SVS_GC-500000000000001")
    pump_until(till.root, lambda: till.window.till.card is not None)
    till.provider.proxy.set("delay", delay=1.0)
    key(till.window.scan_field, "F2", 1)
    overlay = overlay_of(till, AmountOverlay)
    assert isinstance(overlay, AmountOverlay)
    person_types(till.window, overlay.field, "500")
    overlay.enter()
    pump_until(till.root, lambda: till.window.till.busy, what="the call in flight")


def test_closing_with_a_call_in_flight_says_so_and_waits_for_its_answer(till: Till) -> None:
    start_a_slow_redemption(till)
    closed: list[bool] = []
    till.window.close_requested(lambda: closed.append(till.window.till.busy))
    words = till.window.panel.message.cget("text")
    assert words.startswith("Closing: waiting for the answer to Redeem $5.00 from ••0001")
    assert closed == []
    pump_until(till.root, lambda: closed, timeout=20, what="the close after the answer")
    assert closed == [False]  # closed only once the answer came
    assert till.printer.jobs


def test_sigterm_closes_the_same_way(till: Till) -> None:
    closed: list[bool] = []
    till.window.on_close = lambda: closed.append(till.window.till.busy)
    before = signal.getsignal(signal.SIGTERM)
    stop_on_sigterm(till.window)
    try:
        start_a_slow_redemption(till)
        os.kill(os.getpid(), signal.SIGTERM)
        pump_until(till.root, lambda: "Closing" in till.window.panel.message.cget("text"))
        assert closed == []
        pump_until(till.root, lambda: closed, timeout=20, what="the close after the answer")
        assert closed == [False]
    finally:
        signal.signal(signal.SIGTERM, before)
        signal.set_wakeup_fd(-1)


def test_closing_with_nothing_in_flight_closes_at_once(till: Till) -> None:
    closed: list[bool] = []
    till.window.close_requested(lambda: closed.append(True))
    assert closed == [True]


def test_closing_waits_as_long_as_posapp_check_says(till: Till, tmp_path: Path) -> None:
    """Issue 19: closing said "at most 35 s" where `posapp check` said "10 s a call"."""
    start_a_slow_redemption(till)
    till.window.close_requested(lambda: None)
    closing = re.search(r"at most (\d+) s", till.window.panel.message.cget("text"))
    checked = re.search(
        r"money movement.* at most (\d+) s", describe_config(till.window.config, tmp_path)
    )
    assert closing
    assert checked
    assert closing.group(1) == checked.group(1)
    pump_until(till.root, lambda: not till.window.till.busy, timeout=20, what="the answer")
