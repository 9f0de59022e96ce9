"""A person's keys on the manager screens and the shift list, through the real X server: what
the trials typed and where it went (a Tab, Ctrl+A, a click on the list)."""

from __future__ import annotations

import pytest

from tests.gui_x.conftest import Till
from tests.gui_x.test_counter import cards_screen, rows

pytestmark = pytest.mark.gui
VOUCHER = "123456789099"  # a typed voucher's code: 12 digits, one of the store's patterns


def test_a_code_and_its_tab_bunched_up_move_on_to_the_balance(till: Till) -> None:
    """Demo #1: a code typed by hand and Tab at once reached Tk as one burst (a busy machine;
    a scanner set to end with Tab does the same). The Tab was swallowed, the cursor went to
    the code's start, and the amount typed next made "500123456789099": $5.00 on a code
    nobody holds, the real card empty."""
    screen = cards_screen(till)
    till.click(screen.actions["Create"])
    form = till.pump_until(lambda: screen.form, "the new card's form")
    till.pump_until(lambda: till.root.focus_get() is form.first_field, "focus on its code")
    till.xdotool("key", "--delay", "5", *VOUCHER, "Tab")  # the keys as Tk got them: a burst
    till.pump_until(lambda: form.values["Code"]() == VOUCHER, "the code in its field")
    till.settle()
    assert till.root.focus_get() is form.amounts[0]  # the Tab moved on, as a person's does
    till.type("500")
    till.key("Tab")
    till.type("stock")
    till.key("Return")
    till.pump_until(lambda: "Created" in screen.note.cget("text"), "the card created")
    till.settle()
    assert screen.note.cget("text") == f"Created card {VOUCHER} with $5.00."
    assert rows(screen) == [(VOUCHER, "Active")]
    assert till.ledger_balance(VOUCHER) == 500
