"""The retrial of a real till (O): after $12.50 was cashed out from ••0002, scanning the first
receipt offered its reversal with no word about the card, and with the PIN put $12.50 back on
the closed card. The till looks the card up before the PIN and refuses in words; the ledger
is unchanged. Keys through the X server, checked on the provider's ledger."""

from __future__ import annotations

import pytest

from tests.gui_x.conftest import PIN, Till
from tests.gui_x.steps import closed, overlay_open
from tests.gui_x.test_till import SMALL, SMALL_CODE, moved, shown

pytestmark = pytest.mark.gui


def test_a_redemption_is_not_reversed_onto_a_card_cashed_out_since(till: Till) -> None:
    shown(till, SMALL, "$12.50")
    till.key("F2")
    overlay_open(till, "AmountOverlay")
    till.type("500")  # cents first, as the keypad reads them: $5.00
    till.key("Return")
    till.pump_until(lambda: till.printer.jobs, "the redemption's receipt")
    till.settle()
    redeemed = len(till.printer.jobs)
    till.key("F8")  # the rest, $7.50, paid out in cash: the card is closed
    overlay_open(till, "ConfirmOverlay")
    till.type(PIN, 80, 110)
    till.key("Return")
    till.pump_until(lambda: len(till.printer.jobs) > redeemed, "the cash-out's receipt")
    till.settle()
    assert moved(till, SMALL_CODE) == [("redemption", 500), ("gift_card_cash_out", 750)]

    till.key("F7")
    pick = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    rows = pick.tree.get_children()
    redemption = [r for r in rows if "Redemption" in [str(v) for v in pick.tree.item(r)["values"]]]
    pick.tree.selection_set(redemption[0])
    pick.tree.focus(redemption[0])
    till.key("Return")
    closed(till)  # no PIN pad: the card was looked up first
    till.pump_until(lambda: till.says().startswith("Not reversed"), "the refusal")
    till.settle()
    assert till.says() == (
        "Not reversed: ••0002 was paid out in cash since, so the card is closed and the $5.00 "
        "cannot go back on it. Nothing was done: if the customer is owed $5.00, give it "
        "another way, as the store refunds"
    )
    till.shot("reversal-on-closed-card")
    assert moved(till, SMALL_CODE) == [("redemption", 500), ("gift_card_cash_out", 750)]
    gift = till.ledger_gift(SMALL_CODE)
    assert (gift["status"], gift["balance"]) == ("disabled", 0)
