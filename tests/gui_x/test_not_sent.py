"""Trial till #11/K, through the real X server: a refund to a new card while the provider
cannot be reached was logged "declined" (a cashier may tell the customer it was refused),
and F12 Refund cards listed it as "(not known yet)" above "Give the customer their card's
code": it was never sent, and no card will ever come. Now it is said and listed as not
sent, nothing happened, try again; Refund cards offers no code for it."""

from __future__ import annotations

import pytest

from posapp.core import reach
from tests.gui_x.conftest import PIN, Till
from tests.gui_x.steps import menu_screen, overlay_open

pytestmark = pytest.mark.gui


def test_a_refund_under_offline_is_refused_before_the_pin(till: Till) -> None:
    """The retrial of a till (6): F6 asked the manager's PIN while the status bar already said
    OFFLINE, then said "Not sent". Said before the PIN now; nothing journalled."""
    till.provider.proxy.close()  # the provider stopped: nothing can be sent
    till.pump_until(
        lambda: "OFFLINE" in str(till.window.bar["provider"].cget("text")), "OFFLINE", 30
    )
    till.key("F6")
    amount = overlay_open(till, "AmountOverlay")
    till.type("700")
    till.key("Return")
    till.pump_until(lambda: till.window.till.message.startswith("Not sent"), "the refusal")
    till.settle()
    till.shot("refund-offline-before-pin")
    assert till.window.till.message == reach.OFFLINE_FIRST
    assert till.window.overlay is amount  # no PIN pad: the amount stays, Esc cancels
    assert till.journal() == []


def test_a_refund_never_sent_says_not_sent_and_refund_cards_offer_no_code(till: Till) -> None:
    till.provider.proxy.close()  # the provider stopped: nothing can be sent
    till.pump_until(  # as in the trial: the status bar has said so (no connection is left)
        lambda: "OFFLINE" in str(till.window.bar["provider"].cget("text")), "OFFLINE", 30
    )
    # As if the till had not heard it yet (its watch asks every 10 s): the watch held, the
    # PIN is asked, and the refund is never sent.
    till.root.after_cancel(till.window.status_bar.job)
    till.settle()
    till.window.till.offline = False
    till.key("F6")
    overlay_open(till, "AmountOverlay")
    till.type("700")
    till.key("Return")
    overlay_open(till, "ConfirmOverlay")  # a refund asks the manager's PIN
    till.type(PIN, 80, 110)
    till.key("Return")
    till.pump_until(lambda: till.says().startswith("Not sent: nothing happened."), "the words")
    assert "cannot be reached" in till.says()
    till.pump_until(lambda: till.window.shift.get_children(), "the shift list")
    till.settle()
    till.shot("refund-not-sent")
    (row,) = till.window.shift.get_children()
    values = till.window.shift.item(row)["values"]
    assert values[4] == "not sent"  # not "declined"
    (entry,) = till.journal()
    assert (entry.operation, entry.never_sent) == ("issue", True)
    assert till.provider.redemptions() == []  # nothing reached the provider

    # The manager's Refund cards: no code that does not exist.
    screen = menu_screen(till, "refunds")
    till.pump_until(lambda: "No card was issued" in screen.note.cget("text"), "the empty list")
    till.settle()
    till.shot("refund-cards-none-not-sent")
    assert screen.tree.get_children() == ()
    assert "Give the customer" not in screen.note.cget("text")
