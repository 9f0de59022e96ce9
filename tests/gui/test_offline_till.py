"""Selling offline (issue 24), the widget tier: with [offline] on and the provider stopped, the
status bar says "offline: selling up to $25.00 a card" (amber, not the red OFFLINE), the keys
that need the provider are greyed and say why. (Off, the bar says OFFLINE as before:
tests/gui_x/test_not_sent.py.)"""

from __future__ import annotations

from dataclasses import replace

import pytest

from hardware.printers.decode import decode
from posapp.config import Config
from posapp.config_offline import OfflineConfig
from posapp.ui.amount import AmountOverlay
from posapp.ui.confirm import ConfirmOverlay
from posapp.ui.preview import PreviewScreen
from posapp.ui.window import CashierWindow
from tests.gui.conftest import Till, person_types, pump_until, wedge_scan
from tests.gui.test_screens import manager_screen

OFFLINE = OfflineConfig(floor=2500, shift_limit=10000, card_seen_days=30)
CARD = "SVS_GC-500000000000001"  # $75.00


@pytest.fixture
def till_config(till_config: Config) -> Config:
    return replace(till_config, offline=OFFLINE)


def look_again(window: CashierWindow) -> None:
    """The status watch's next look now, not in 10 s."""
    assert window.status_bar.job is not None
    window.root.after_cancel(window.status_bar.job)
    window.status_bar.watch(window.services_, window.send)


def provider_stopped(till: Till) -> None:
    pump_until(till.root, lambda: till.window.till.currency, what="the store's currency")
    till.provider.proxy.close()
    look_again(till.window)
    pump_until(till.root, lambda: till.window.till.offline, what="the watch to find it down")


def test_the_status_bar_says_the_till_sells_offline_and_keys_say_why_not(till: Till) -> None:
    provider_stopped(till)
    label = till.window.bar["provider"]
    pump_until(till.root, lambda: "offline:" in str(label.cget("text")), what="the bar")
    assert label.cget("text") == "offline: selling up to $25.00 a card"
    assert str(label.cget("style")) == "warn.Status.TLabel"
    for name in ("sell", "refund", "reverse"):
        assert till.window.buttons[name].instate(["disabled"]), name
    assert not till.window.buttons["reports"].instate(["disabled"])
    till.window.act("sell")  # F5: greyed, and says why
    assert "offline, only redemptions can be taken" in till.window.till.message
    assert till.window.overlay is None


def test_a_card_seen_offline_redeems_through_the_confirm_that_names_it(till: Till) -> None:
    window = till.window
    wedge_scan(window, CARD)  # seen online first: its balance kept
    pump_until(till.root, lambda: window.panel.balance.cget("text") == "$75.00", what="$75.00")
    window.escape()  # the card off the screen: the next scan is not a double read
    provider_stopped(till)
    wedge_scan(window, CARD)
    pump_until(till.root, lambda: window.panel.status.cget("text") == "OFFLINE", what="OFFLINE")
    details = str(window.panel.details.cget("text")).splitlines()
    assert details == ["Last seen online today: $75.00", "It may pay up to $25.00 offline"]
    assert window.buttons["redeem"].instate(["!disabled"])
    assert window.buttons["use_all"].instate(["disabled"])  # $75.00 is over the floor
    window.act("redeem")
    amount = pump_until(till.root, lambda: isinstance(window.overlay, AmountOverlay), what="F2")
    assert amount
    person_types(window, window.overlay.field, "12.5")  # type: ignore[union-attr]
    window.overlay.enter()  # type: ignore[union-attr]
    confirm = pump_until(
        till.root, lambda: window.overlay if isinstance(window.overlay, ConfirmOverlay) else None
    )
    assert confirm.words.cget("text") == "OFFLINE: redeem $12.50 from ••0001, to be confirmed"
    confirm.enter()
    pump_until(till.root, lambda: window.till.message.startswith("Taken offline"), what="taken")
    assert window.till.card is None
    rows = pump_until(till.root, lambda: window.shift.get_children(), what="the shift list")
    assert window.shift.item(rows[0])["values"][4] == "offline: to send"
    (entry,) = till.engine.journal.entries()
    assert (entry.offline, entry.amount) == (True, 1250)


def test_the_preview_and_f9_show_the_offline_receipt_as_printed(till: Till) -> None:
    """Issue 24: the receipt of a redemption taken offline says "OFFLINE: to be confirmed",
    in the preview and reprinted, not NOT CONFIRMED (its entry waits to be sent)."""
    test_a_card_seen_offline_redeems_through_the_confirm_that_names_it(till)
    printed = decode(till.printer.jobs[-1]).lines
    assert "OFFLINE: to be confirmed" in printed
    assert "NOT CONFIRMED" not in printed
    preview = manager_screen(till, "preview", PreviewScreen)
    assert isinstance(preview, PreviewScreen)
    pump_until(till.root, lambda: preview.list.get_children(), what="the list")
    receipt = preview.chosen()
    assert receipt is not None
    assert (receipt.offline, receipt.not_confirmed) == (True, False)
    preview.enter()  # printed again
    pump_until(till.root, lambda: preview.note.cget("text").startswith("Reprinted"))
    lines = decode(till.printer.jobs[-1]).lines
    assert "DUPLICATE" in lines
    assert "OFFLINE: to be confirmed" in lines
    assert "NOT CONFIRMED" not in lines
