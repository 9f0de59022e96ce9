"""Issue 19, the counter's half (points 10, 11, 12, 14, 15), through the real X server: the
settle of a lost answer, the manager's gift cards screen, the reports, the PIN keypad."""

from __future__ import annotations

import httpx
import pytest

from hardware.printers.virtual import decode
from posapp.ui import theme
from tests.gui_x.conftest import Till
from tests.gui_x.test_till import CARD, CODE, ITEMS, SMALL, closed, moved, overlay_open, shown

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


# --- 10. a lost answer settles: the panel and a slip say what happened and what to do -------


def lost_redemption(till: Till, typed: str, amount: str) -> None:
    """F2, the amount, Enter: the provider's answers are lost until the test lets them
    through (the settler's too), so the till says NOT CONFIRMED and keeps it to settle."""
    till.key("F2")
    field = overlay_open(till, "AmountOverlay")
    till.type(typed)
    till.pump_until(lambda: field.field.get() == amount, amount)
    till.key("Return")
    till.pump_until(lambda: "NOT CONFIRMED" in till.says(), "the redemption not confirmed")
    till.pump_until(lambda: till.printer.jobs, "its NOT CONFIRMED receipt")
    till.pump_until(lambda: till.window.status.to_settle == 1, "'not confirmed yet: 1'")
    till.settle()
    assert till.window.till.card is None  # its balance on screen could be wrong


def slips(till: Till) -> list[list[str]]:
    return [decode(job).lines for job in till.printer.jobs if b"SETTLED" in job]


def test_a_lost_answer_that_settles_done_says_hand_over_the_goods(till: Till) -> None:
    """Issue 19.10: after the settle the panel went on saying NOT CONFIRMED in orange while
    the shift list said "settled: done"."""
    shown(till, CARD, "$75.00")
    till.provider.proxy.set("drop_answer", only=b"/v1/")  # the provider commits; no answer
    lost_redemption(till, "1250", "$12.50")
    till.provider.proxy.set("pass")  # the provider's answers get through again
    till.engine.settler.wake()
    words = (
        "Settled: a redemption of $12.50 on ••0001 went through. The card was charged: "
        "hand over the goods."
    )
    till.pump_until(lambda: till.says() == words, "the settle said on the panel")
    till.pump_until(lambda: slips(till), "the settle's slip")
    till.settle()
    assert "NOT CONFIRMED" not in till.says()
    assert str(till.window.panel.message.cget("foreground")) == theme.COLOURS["ok"]
    till.shot("settled-done")
    (slip,) = slips(till)
    assert "SETTLED: NOW CONFIRMED" in slip
    assert any(line.startswith("Outcome") and line.endswith("Charged") for line in slip)
    assert "The card was charged: hand over the goods." in " ".join(slip)
    assert "NOT CONFIRMED" not in slip
    states = [till.window.shift.item(row)["values"][4] for row in till.window.shift.get_children()]
    assert states == ["settled: done"]
    assert moved(till, CODE) == [("redemption", 1250)]  # charged once
    assert till.window.status.to_settle == 0


def test_a_lost_answer_that_settles_not_charged_says_take_the_payment_again(till: Till) -> None:
    """The redemption never reached the provider, and the card was spent elsewhere before
    the till could send it again: it settles declined, and the till says so."""
    shown(till, CARD, "$75.00")
    till.provider.proxy.set("reset_before", only=b"/redemptions")  # never reaches it
    lost_redemption(till, "1250", "$12.50")
    spent = httpx.post(  # the card used at another till meanwhile: $70.00 of its $75.00
        f"{till.provider.server.url}/v1/gifts/{till.ledger_gift(CODE)['id']}/redemptions",
        json={"amount": 7000},
        headers={**till.admin(), "Idempotency-Key": "elsewhere"},
    )
    assert spent.status_code == 201, spent.text
    till.provider.proxy.set("pass")
    till.engine.settler.wake()
    words = (
        "Settled: a redemption of $12.50 on ••0001 did not go through. The card was not "
        "charged: do not hand over the goods; take the payment again."
    )
    till.pump_until(lambda: till.says() == words, "the settle said on the panel")
    till.pump_until(lambda: slips(till), "the settle's slip")
    till.settle()
    assert str(till.window.panel.message.cget("foreground")) == theme.COLOURS["warn"]
    till.shot("settled-not-charged")
    (slip,) = slips(till)
    assert any(line.startswith("Outcome") and line.endswith("Not charged") for line in slip)
    assert "take the payment again." in " ".join(slip)
    states = [till.window.shift.item(row)["values"][4] for row in till.window.shift.get_children()]
    assert states == ["settled: not charged"]
    assert moved(till, CODE) == [("redemption", 7000)]  # only the other till's
    assert till.ledger_balance(CODE) == 500


def test_a_settle_while_the_amount_is_open_is_said_once_it_closes(till: Till) -> None:
    """A settle that comes while the cashier types the next amount is not lost: its slip
    prints at once, and the panel says it as the overlay closes."""
    shown(till, CARD, "$75.00")
    till.provider.proxy.set("drop_answer", only=b"/v1/")
    lost_redemption(till, "1250", "$12.50")
    till.engine.settler.stop()  # it settles when the test says, below
    till.provider.proxy.set("pass")
    shown(till, SMALL, "$12.50")
    till.key("F2")
    overlay_open(till, "AmountOverlay")
    assert till.engine.settler.settle_once() == 0  # as the settler's thread does
    till.pump_until(lambda: slips(till), "the settle's slip, printed at once")
    till.settle()
    assert till.window.overlay is not None  # the amount the cashier types stays open
    till.key("Escape")
    closed(till)
    assert till.says().startswith("Settled: a redemption of $12.50 on ••0001 went through.")
