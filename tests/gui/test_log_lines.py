"""What the till did and what the cashier was told goes in its log (the Adyen trial, 5a #6:
the demo's log held one line after a whole shift; tests/test_till_log.py: where the file is)."""

from __future__ import annotations

import logging

import pytest

from tests.gui.conftest import Till, pump_until, wedge_scan
from tests.gui.test_cashier import test_f2_amount_enter_redeems_and_prints

pytestmark = pytest.mark.gui


def test_a_redemption_and_a_refusal_are_logged(
    till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    test_f2_amount_enter_redeems_and_prints(till)
    wedge_scan(till.window, "SVS_GC-999999999999999")
    pump_until(till.root, lambda: "not sold yet" in till.window.till.message)
    lines = [r.getMessage() for r in caplog.records]
    assert "Redeem $25.00 from ••0001: done" in lines
    assert any(line.startswith("said: This card is not sold yet: F5 sells it") for line in lines)
