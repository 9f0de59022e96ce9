"""Issue 19, the counter's half (points 10, 11, 12, 14, 15), through the real X server: the
settle of a lost answer, the manager's gift cards screen, the reports, the PIN keypad."""

from __future__ import annotations

import pytest

from tests.gui_x.conftest import Till
from tests.gui_x.test_till import CARD, ITEMS, closed, overlay_open, shown

pytestmark = pytest.mark.gui


def test_the_pin_keypads_columns_are_even(till: Till) -> None:
    """Issue 19.15: the PIN keypad's columns were uneven (the OK's long words widened its
    column); each key is as wide as the others, on every PIN prompt."""
    shown(till, CARD, "$75.00")
    till.key("F8")  # cash-out: the PIN prompt
    prompt = overlay_open(till, "ConfirmOverlay")
    till.settle()
    till.shot("pin-pad")
    assert prompt.pad is not None
    widths = {key: button.winfo_width() for key, button in prompt.pad.keys.items()}
    assert max(widths.values()) - min(widths.values()) <= 1, widths
    lefts = sorted({button.winfo_x() for button in prompt.pad.keys.values()})
    assert len(lefts) == 3, lefts
    assert abs((lefts[1] - lefts[0]) - (lefts[2] - lefts[1])) <= 1, lefts
    till.key("Escape")
    closed(till)


def test_the_x_report_shows_item_redemptions_apart_from_the_money(till: Till) -> None:
    """Issue 19.15: an item gift's redemption was counted among "Redemptions" with the
    money. Redeemed by keys, then F10: the money and the items each on their own line."""
    shown(till, CARD, "$75.00")
    till.key("F2")
    amount = overlay_open(till, "AmountOverlay")
    till.type("1000")
    till.pump_until(lambda: amount.field.get() == "$10.00", "$10.00")
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == "$65.00", "the redemption")
    shown(till, ITEMS, "2 x Coffee")
    till.key("F2")
    overlay_open(till, "ConfirmOverlay")
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == "1 x Coffee", "the item redeemed")
    till.settle()
    till.key("F10")
    reports = till.pump_until(
        lambda: till.window.till.screen == "reports" and till.window.overlay, "the reports"
    )
    till.pump_until(lambda: "Redemptions" in reports.text.get("1.0", "end"), "the X report")
    till.settle()
    till.shot("x-report-items")
    lines = [" ".join(line.split()) for line in reports.text.get("1.0", "end").splitlines()]
    at = lines.index("Redemptions (1) $10.00")
    assert lines[at + 1] == "Item redemptions (1) 1 × Coffee"
    (cashier,) = [line for line in lines if "ashier" in line]  # one statement of who
    assert cashier.startswith("No cashier signed in from ")
    till.key("Escape")
    closed(till)
