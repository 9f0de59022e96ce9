"""The second trial's manager screens (wave 2: till #3, #4, #7, #8, #10; demo #2, #3, #4, #7),
through the real X server: keys as a manager presses them, checked on the screen, the journal
and the provider's ledger."""

from __future__ import annotations

from typing import Any

import pytest

from hardware.printers.virtual import decode
from tests.gui_x.conftest import PIN, Till, close_till, open_till
from tests.gui_x.test_manager_setup import manager_screen
from tests.gui_x.test_till import CARD, closed, shown
from tests.terminal.conftest import Provider, provider  # noqa: F401

pytestmark = pytest.mark.gui

SIGN_IN = 4  # Tabs down the manager menu: Gift cards, Settings, Preview, Reports, Sign-in


def cashier_on(receipt: bytes) -> list[str]:
    return [" ".join(line.split()) for line in decode(receipt).lines if "Cashier" in line]


def test_a_sign_in_survives_a_restart_and_esc_leaves_no_manager_menu_open(
    till: Till, tmp_path: Any
) -> None:
    """Till #4 and #8/H: after "Sign in", Esc went back to the manager menu, open with no
    PIN for whoever stood at the till; and a restart forgot Bea (receipts said Ann again,
    the X report "Cashier not known" for the time before)."""
    screen = manager_screen(till, "signin", SIGN_IN)
    till.type("Bea")
    till.key("Return")
    till.pump_until(lambda: "Bea is on this shift" in screen.note.cget("text"), "the sign-in")
    till.shot("signin-done")
    till.key("Escape")
    closed(till)
    assert till.window.till.phase in ("idle", "card")  # the cashier's screen, no menu
    assert till.window.till.screen is None
    # posapp starts again (a power cut, a restart): Bea stays on the receipts.
    config, ours = till.engine.config, till.provider
    close_till(till)
    again = open_till(till.x, ours, config, tmp_path / "journal.db")
    try:
        assert again.engine.terminal.cashier == "Bea"
        shown(again, "SVS_GC-500000000000001", "$75.00")
        again.key("F4")
        again.pump_until(lambda: again.printer.jobs, "the balance slip")
        assert cashier_on(again.printer.jobs[-1]) == ["Cashier Bea"]
        x = again.engine.terminal.x_report()
        said = [line.label for line in x.lines if "ashier" in line.label]
        assert "Cashier not known" not in said
        assert said[-1] == "Cashier Bea"
    finally:
        close_till(again)


__all__ = ["CARD", "PIN"]
