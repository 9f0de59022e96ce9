"""The cashier window under Xvfb, driven by key events, against the real provider over HTTP.

The fast tier: events go to widgets with event_generate. tests/gui_x sends real keys
through the X server (xdotool), with and without a window manager."""

from __future__ import annotations

import itertools
import re
import time
import tkinter as tk

import httpx
import pytest

from hardware.printers.decode import decode
from posapp.core.till_events import CardFound, Scan
from posapp.ui.amount import AmountOverlay
from posapp.ui.confirm import ConfirmOverlay
from posapp.ui.pick import PickOverlay
from tests.gui.conftest import KEYSYMS, PIN, Till, key, person_types, pump_until, wedge_scan
from tests.terminal.test_service import provider_balance

pytestmark = pytest.mark.gui
CARD = "SVS_GC-500000000000001"  # $75.00
OTHER = "SVS_GC-500000000000002"  # $12.50


def overlay_of(till: Till, kind: type) -> object:
    return pump_until(
        till.root,
        lambda: till.window.overlay if isinstance(till.window.overlay, kind) else None,
        what=kind.__name__,
    )


def card_shown(till: Till, balance: str) -> None:
    pump_until(till.root, lambda: till.window.panel.balance.cget("text") == balance, what=balance)


def focused(till: Till) -> object:
    return till.root.focus_get()


def test_a_wedge_scan_shows_the_card_and_never_lands_in_a_field(till: Till) -> None:
    wedge_scan(till.window, CARD)
    card_shown(till, "$75.00")
    assert till.window.panel.serial.cget("text").endswith("0001")
    assert till.window.panel.status.cget("text") == "ACTIVE"
    assert till.window.scan_text.get() == ""  # the scan was caught, not typed
    assert till.window.sounds == ["good"]
    assert till.window.till.phase == "card"


def test_a_person_typing_reaches_the_field_and_enter_checks_it(till: Till) -> None:
    person_types(till.window, till.window.scan_field, "123456789012")
    assert till.window.scan_text.get() == "123456789012"
    key(till.window.scan_field, "Return", 9_000_000)
    card_shown(till, "$50.00")


def test_a_fast_burst_that_is_no_card_reaches_the_field(till: Till) -> None:
    """issue 10: keys 30 ms apart were taken for a scan and lost."""
    wedge_scan(till.window, "hello world", gap_ms=30)
    pump_until(till.root, lambda: "not" in till.window.till.message, what="the typed check")
    assert till.window.till.card is None  # checked as typed, found to be no card


def test_the_same_card_twice_within_2_s_is_checked_once(till: Till) -> None:
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.till.card is not None)
    seen = till.provider.proxy.seen
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: not till.window.keys.held and till.window.till.phase == "card")
    assert till.provider.proxy.seen == seen


def test_a_bad_scan_clears_the_card_and_every_money_action(till: Till) -> None:
    wedge_scan(till.window, CARD)
    card_shown(till, "$75.00")
    assert till.window.buttons["use_all"].cget("text") == "Use all $75.00 from ••0001\nF3"
    wedge_scan(till.window, "SVS_GC-999999999999999")
    pump_until(till.root, lambda: "not sold yet" in till.window.till.message)
    assert till.window.sounds == ["good", "bad"]
    assert till.window.panel.balance.cget("text") == "—"
    for name in ("redeem", "use_all", "cash_out", "balance"):
        assert till.window.buttons[name].instate(["disabled"]), name
    key(till.window.scan_field, "F2", 1)
    assert till.window.overlay is None
    assert till.window.sounds[-1] == "bad"


def test_f2_amount_enter_redeems_and_prints(till: Till) -> None:
    wedge_scan(till.window, CARD)
    # This card, not any card: test_words calls this with another card already on screen.
    pump_until(
        till.root,
        lambda: till.window.till.card is not None and till.window.till.card.code == CARD[-15:],
        what="card 1 on screen",
    )
    key(till.window.scan_field, "F2", 1)
    overlay = overlay_of(till, AmountOverlay)
    assert isinstance(overlay, AmountOverlay)
    pump_until(till.root, lambda: focused(till) is overlay.field, what="focus on the amount")
    person_types(till.window, overlay.field, "25.")
    assert overlay.field.get() == "$25.00"
    assert overlay.ok.cget("text") == "Redeem $25.00 from ••0001  (Enter)"
    key(overlay.field, "Return", 2)
    pump_until(till.root, lambda: till.printer.jobs, what="the receipt")
    (job,) = till.printer.jobs
    card_shown(till, "$50.00")
    assert provider_balance(till.provider, "500000000000001") == 5000
    lines = decode(job).lines
    assert any(line.startswith("Card ") and line.endswith("***********0001") for line in lines)
    assert any(line.startswith("Amount") and line.endswith("$25.00") for line in lines)
    assert any(line.startswith("Balance left") and line.endswith("$50.00") for line in lines)
    assert decode(job).barcodes == [till.window.services_.last.receipt.receipt_number]  # type: ignore[union-attr]


def test_digits_typed_at_a_fast_cashiers_pace_after_f2_all_count(till: Till) -> None:
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.till.card is not None)
    key(till.window.scan_field, "F2", 1)
    overlay = overlay_of(till, AmountOverlay)
    assert isinstance(overlay, AmountOverlay)
    t = 7_000_000
    for ch in "1250":
        key(overlay.field, ch, t)
        t += 40
    pump_until(till.root, lambda: overlay.field.get() == "$12.50", what="$12.50")


def test_a_key_past_the_maximum_is_refused_and_shows_what_it_refused(till: Till) -> None:
    wedge_scan(till.window, OTHER)
    card_shown(till, "$12.50")
    key(till.window.scan_field, "F2", 1)
    overlay = overlay_of(till, AmountOverlay)
    assert isinstance(overlay, AmountOverlay)
    person_types(till.window, overlay.field, "999")
    person_types(till.window, overlay.field, "9")
    assert till.window.till.entry is not None
    assert till.window.till.entry.minor == 999  # kept; the field shows what was refused
    assert overlay.field.get() == "$99.99"
    assert overlay.ok.instate(["disabled"])
    assert overlay.note.cget("text") == (
        "This card holds $12.50; $99.99 is more than that. Fix the amount first: BackSpace "
        "starts it again, Esc cancels"
    )
    assert till.window.sounds[-1] == "bad"


def test_a_comma_in_an_en_us_amount_is_refused_with_words_that_stay(till: Till) -> None:
    """The new-cashier trial: "12,5" gave $1.25 with no word; the overlay says how keys fill."""
    wedge_scan(till.window, CARD)
    card_shown(till, "$75.00")
    key(till.window.scan_field, "F2", 1)
    overlay = overlay_of(till, AmountOverlay)
    assert isinstance(overlay, AmountOverlay)
    assert overlay.hint.cget("text") == (
        "Digits fill from the cents: 1 2 5 is $1.25. “.” starts the cents: 12.5 is $12.50"
    )
    person_types(till.window, overlay.field, "12,5")
    assert overlay.field.get() == "$0.12"  # after the refused "," the "5" is refused too
    assert till.window.sounds[-2:] == ["bad", "bad"]
    assert str(overlay.note.cget("text")).endswith(
        "Type the amount like 12.50. Fix the amount first: BackSpace starts it again, Esc cancels"
    )
    person_types(till.window, overlay.field, "\b")  # BackSpace: the cashier starts again
    assert overlay.note.cget("text") == ""
    assert overlay.field.get() == "$0.00"  # not $0.12 one Enter away
    person_types(till.window, overlay.field, "12.5")
    assert overlay.field.get() == "$12.50"


def test_f3_waits_for_enter_and_esc_cancels(till: Till) -> None:
    wedge_scan(till.window, CARD)
    card_shown(till, "$75.00")
    key(till.window.scan_field, "F3", 1)
    overlay = overlay_of(till, ConfirmOverlay)
    assert isinstance(overlay, ConfirmOverlay)
    assert overlay.words.cget("text") == "Redeem the full balance, $75.00, from ••0001"
    pump_until(till.root, lambda: focused(till) is overlay.ok, what="focus on OK")
    key(overlay.ok, "Escape", 2)
    pump_until(till.root, lambda: till.window.overlay is None)
    assert provider_balance(till.provider, "500000000000001") == 7500
    key(till.window.scan_field, "F3", 3)
    overlay = overlay_of(till, ConfirmOverlay)
    assert isinstance(overlay, ConfirmOverlay)
    key(overlay.ok, "Return", 4)
    pump_until(till.root, lambda: till.printer.jobs, what="the receipt")
    card_shown(till, "$0.00")
    assert provider_balance(till.provider, "500000000000001") == 0


def test_overlays_are_frames_of_the_one_window(till: Till) -> None:
    wedge_scan(till.window, CARD)
    card_shown(till, "$75.00")
    for key_name, kind in (("F2", AmountOverlay), ("F6", AmountOverlay), ("F7", PickOverlay)):
        key(till.window.scan_field, key_name, 1)
        overlay = overlay_of(till, kind)
        assert isinstance(overlay, kind)
        first = overlay.first_field  # type: ignore[attr-defined]
        pump_until(till.root, lambda first=first: focused(till) is first, what="first field")
        assert not [w for w in till.root.winfo_children() if isinstance(w, tk.Toplevel)]
        key(first, "Escape", 2)
        pump_until(till.root, lambda: till.window.overlay is None)
        pump_until(till.root, lambda: focused(till) is till.window.scan_field)
    assert "Finish" not in till.window.till.message


def test_a_partial_scan_says_which_card_it_nearly_was_and_what_it_lacks(till: Till) -> None:
    """The trial: a partial scan said only "not a gift card this store knows (tried: …)"."""
    person_types(till.window, till.window.scan_field, "SVS_GC-12345")
    key(till.window.scan_field, "Return", 9_000_000)
    pump_until(till.root, lambda: till.window.till.tone == "bad", what="the scan refused")
    assert till.window.till.message.endswith(
        "Closest: SVS gift card: needs 15 digits after SVS_GC-, got 5"
    )
    assert till.window.sounds[-1] == "bad"


def test_f7_with_the_manager_pin_reverses(till: Till) -> None:
    test_f2_amount_enter_redeems_and_prints(till)
    key(till.window.scan_field, "F7", 3)
    chooser = overlay_of(till, PickOverlay)
    assert isinstance(chooser, PickOverlay)
    pump_until(till.root, lambda: chooser.tree.selection(), what="the redemption to pick")
    chooser.enter()
    pin = overlay_of(till, ConfirmOverlay)
    assert isinstance(pin, ConfirmOverlay)
    # The PIN prompt names what it approves: what, how much, which card, when.
    assert re.fullmatch(
        r"Reverse the redemption of \$25\.00 on ••0001 made at \d\d:\d\d", pin.words.cget("text")
    )
    assert pin.title.cget("text") == "The manager's PIN approves:"
    assert focused(till) is pin.pin_field
    pin.pin = "0000"
    pin.enter()
    pump_until(till.root, lambda: "Wrong PIN" in pin.note.cget("text"), what="the wrong PIN")
    assert pin.pin == ""
    pin.pin = PIN
    pin.enter()
    pump_until(till.root, lambda: len(till.printer.jobs) == 2, what="the reversal receipt")
    assert provider_balance(till.provider, "500000000000001") == 7500
    assert "GIFT CARD REVERSAL" in decode(till.printer.jobs[1]).lines
    # Reversed once, it is no longer offered: the list holds only what can still be reversed.
    pump_until(till.root, lambda: len(till.window.entries) == 2, what="the shift list")
    # The shift list, newest first: the reversal, then the redemption it undid, as reversed.
    shift = till.window.shift
    rows = [shift.item(row)["values"] for row in shift.get_children()]
    assert [(row[1], row[4]) for row in rows] == [("Reversal", "done"), ("Redemption", "reversed")]
    key(till.window.scan_field, "F7", 3)
    chooser = overlay_of(till, PickOverlay)
    assert isinstance(chooser, PickOverlay)
    assert chooser.tree.get_children() == ()
    assert "Nothing in this shift can be reversed" in chooser.note.cget("text")


def test_a_reversal_shows_the_card_it_reversed_not_the_one_on_screen(till: Till) -> None:
    """The trial: a reversal of ••0001's redemption, with ••6612 on screen, said "Gift card
    reversal: $9.99 done" on ••6612's panel: the cashier took ••6612 for the reversed card."""
    test_f2_amount_enter_redeems_and_prints(till)  # $25.00 from ••0001
    wedge_scan(till.window, OTHER)
    card_shown(till, "$12.50")
    key(till.window.scan_field, "F7", 3)
    chooser = overlay_of(till, PickOverlay)
    assert isinstance(chooser, PickOverlay)
    pump_until(till.root, lambda: chooser.tree.selection(), what="the redemption to pick")
    chooser.enter()
    pin = overlay_of(till, ConfirmOverlay)
    assert isinstance(pin, ConfirmOverlay)
    pin.pin = PIN
    pin.enter()
    pump_until(till.root, lambda: len(till.printer.jobs) == 2, what="the reversal receipt")
    card_shown(till, "$75.00")  # ••0001, read again after the reversal
    assert till.window.panel.serial.cget("text").endswith("0001")
    assert till.window.till.message == (
        "Reversed $25.00 on ••0001; receipt printed. "
        "Take $25.00 from the customer another way, or take the goods back."
    )


def test_f8_on_a_store_without_cash_out_says_so(till: Till) -> None:
    admin = {"Authorization": f"Bearer {till.provider.made['admin_token']}"}
    httpx.patch(
        f"{till.provider.server.url}/v1/gift-card-config",
        json={"store_configurations": {"cash_out_enabled": False}},
        headers=admin,
    )
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.till.card is not None)
    key(till.window.scan_field, "F8", 4)
    pin = overlay_of(till, ConfirmOverlay)
    assert isinstance(pin, ConfirmOverlay)
    assert pin.words.cget("text") == "Pay out $75.00 in cash from ••0001"
    pin.pin = PIN
    pin.enter()
    pump_until(till.root, lambda: "does not pay gift cards out in cash" in till.window.till.message)
    assert till.printer.jobs == []


def test_a_cashed_out_card_reads_cashed_out_after_a_reprint_and_a_new_scan(till: Till) -> None:
    window = till.window

    def badge() -> str:
        return str(window.panel.status.cget("text"))

    wedge_scan(window, OTHER)
    pump_until(till.root, lambda: window.till.card is not None)
    key(window.scan_field, "F8", 4)
    pin = overlay_of(till, ConfirmOverlay)
    assert isinstance(pin, ConfirmOverlay)
    pin.pin = PIN
    pin.enter()
    pump_until(till.root, lambda: len(till.printer.jobs) == 1, what="the cash-out receipt")
    pump_until(till.root, lambda: badge() == "CASHED OUT", what=f"cashed out, not {badge()}")
    assert window.panel.status.cget("style") == "muted.Status.TLabel"
    key(window.scan_field, "F9", 5)  # a reprint of the cash-out receipt
    pump_until(till.root, lambda: window.till.message.startswith("Reprinted"), what="reprint")
    assert badge() == "CASHED OUT"
    key(window.scan_field, "Escape", 6)
    pump_until(till.root, lambda: window.till.card is None, what="the card cleared")
    wedge_scan(window, OTHER)  # the customer comes back with it another day
    pump_until(till.root, lambda: window.till.card is not None, what="the card again")
    assert (badge(), window.panel.balance.cget("text")) == ("CASHED OUT", "$0.00")
    assert window.buttons["cash_out"].instate(["disabled"])


def test_sell_by_denomination_shows_the_price_and_confirms_the_new_card(till: Till) -> None:
    pump_until(till.root, lambda: till.window.till.currency, what="the store's currency")
    key(till.window.scan_field, "F5", 1)
    overlay = overlay_of(till, AmountOverlay)
    assert isinstance(overlay, AmountOverlay)
    button = overlay.denominations["gift-card-300"]
    assert button.cget("text") == "$300.00 gift card  (A)"  # not its price book's id
    assert overlay.denominations["gift-card-500"].cget("text") == "$500.00 gift card  (B)"
    button.invoke()
    pump_until(till.root, lambda: till.window.till.phase == "selling")
    wedge_scan(till.window, "SVS_GC-700000000000001")
    confirm = overlay_of(till, ConfirmOverlay)
    assert isinstance(confirm, ConfirmOverlay)
    assert confirm.words.cget("text") == "Sell ••0001 for $300.00"
    assert till.printer.jobs == []  # nothing sold before Enter
    confirm.enter()
    pump_until(till.root, lambda: till.printer.jobs, what="the activation receipt")
    lines = decode(till.printer.jobs[0]).lines
    assert any(line.startswith("Sold for") and line.endswith("$300.00") for line in lines)


def test_an_item_gifts_buttons_name_its_item_and_no_money(till: Till) -> None:
    """The trial: "Use all $0.00" and "Cash out $0.00" on a card holding 2 × Coffee."""
    wedge_scan(till.window, "SVS_GC-500000000000008")
    card_shown(till, "2 x Coffee")
    buttons = till.window.buttons
    assert buttons["redeem"].cget("text") == "Redeem 1 × Coffee from ••0008\nF2"
    assert buttons["use_all"].cget("text") == "Use full balance: money cards only\nF3"
    assert buttons["cash_out"].cget("text") == "Cash out: money cards only\nF8"
    assert buttons["use_all"].instate(["disabled"])
    assert buttons["cash_out"].instate(["disabled"])


def test_the_busy_indicator_runs_only_while_a_call_waits(till: Till) -> None:
    """The trial: the indicator ran on for seconds after the card was shown. An answer
    painted before Tk had drawn the indicator left it running (winfo_ismapped was False)."""
    window = till.window
    wedge_scan(window, CARD)
    card_shown(till, "$75.00")
    till.root.update()
    assert not window.busy.winfo_ismapped()
    assert window.busy_label.cget("text") == ""
    till.provider.proxy.set("delay", delay=1.0)
    key(window.scan_field, "F3", 1)
    confirm = overlay_of(till, ConfirmOverlay)
    assert isinstance(confirm, ConfirmOverlay)
    confirm.enter()
    pump_until(till.root, lambda: window.busy.winfo_ismapped(), what="the indicator")
    assert window.busy_label.cget("text") == "Asking the provider…"
    pump_until(till.root, lambda: window.till.phase == "card", timeout=20, what="the answer")
    till.provider.proxy.set("pass")
    till.root.update()
    assert not window.busy.winfo_ismapped()
    assert window.busy_label.cget("text") == ""
    # The race itself: a check and its answer both painted before Tk draws anything.
    gift = window.till.card
    assert gift is not None
    window.send(Scan(OTHER, now=1e6))
    checking = window.till.checking
    assert checking is not None
    window.send(CardFound(checking, gift))
    till.root.update()
    assert not window.busy.winfo_ismapped()


def test_a_scan_and_f3_during_a_slow_redemption_start_nothing(till: Till) -> None:
    """issue 10: the second card's F3 started a second redemption, and the first call's
    answer painted on the second card's panel."""
    wedge_scan(till.window, CARD)
    card_shown(till, "$75.00")
    till.provider.proxy.set("delay", delay=1.0)
    key(till.window.scan_field, "F3", 1)
    confirm = overlay_of(till, ConfirmOverlay)
    assert isinstance(confirm, ConfirmOverlay)
    confirm.enter()
    pump_until(till.root, lambda: till.window.till.busy, what="the call to start")
    wedge_scan(till.window, OTHER)
    pump_until(till.root, lambda: "Scan again after" in till.window.till.message)
    key(till.window.scan_field, "F3", 2)
    assert till.window.overlay is None
    pump_until(till.root, lambda: till.printer.jobs, timeout=20, what="the first answer")
    till.provider.proxy.set("pass")
    card_shown(till, "$0.00")
    assert till.window.till.card is not None
    assert till.window.till.card.code.endswith("0001")
    assert provider_balance(till.provider, "500000000000002") == 1250


def test_the_window_keeps_painting_while_the_provider_takes_2_s(till: Till) -> None:
    till.provider.proxy.set("delay", delay=2.0)
    beats: list[float] = []

    def beat() -> None:
        beats.append(time.monotonic())
        if len(beats) < 200:
            till.root.after(20, beat)

    till.root.after(20, beat)
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.till.phase == "checking", what="the check")
    pump_until(
        till.root, lambda: till.window.till.card is not None, timeout=20, what="the slow answer"
    )
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert len(gaps) > 50
    assert max(gaps) - 0.020 < 0.100, max(gaps)


def test_provider_stopped_mid_redemption_leaves_it_to_settle_then_settles(till: Till) -> None:
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.till.card is not None)
    till.provider.proxy.set("drop_answer")  # the provider commits; its answers never arrive
    key(till.window.scan_field, "F2", 1)
    overlay = overlay_of(till, AmountOverlay)
    assert isinstance(overlay, AmountOverlay)
    person_types(till.window, overlay.field, "1000")
    overlay.enter()
    pump_until(till.root, lambda: till.window.status.to_settle == 1, what="'not confirmed yet: 1'")
    assert till.window.bar["to_settle"].cget("text") == "not confirmed yet: 1"
    pump_until(till.root, lambda: till.printer.jobs, what="the receipt")
    assert "NOT CONFIRMED" in decode(till.printer.jobs[0]).lines
    hold = "Hold the goods, do not take another payment until this is confirmed"  # trial till #1/A
    pump_until(till.root, lambda: hold in till.window.till.message)
    assert till.window.till.card is None  # its balance on screen could be wrong
    till.provider.proxy.set("pass")  # the provider is back
    till.engine.settler.wake()
    pump_until(till.root, lambda: till.window.status.to_settle == 0, what="all confirmed")
    assert till.window.bar["to_settle"].cget("text") == "all confirmed"
    assert provider_balance(till.provider, "500000000000001") == 6500


def test_internal_errors_are_logged_and_shown(till: Till, caplog: pytest.LogCaptureFixture) -> None:
    till.window._callback_error(RuntimeError, RuntimeError("a bug"), None)
    assert (
        till.window.panel.message.cget("text") == "Something went wrong; the details are in the log"
    )
    assert "a bug" not in till.window.panel.message.cget("text")
    assert "internal error" in caplog.text


def test_f9_after_a_restart_reprints_the_receipt_the_printer_could_not_take(till: Till) -> None:
    from dataclasses import replace as changed

    from posapp.adapters.printer import receipt_json
    from tests.hardware.test_printing import BASE

    key(till.window.scan_field, "F9", 5)
    pump_until(till.root, lambda: "Nothing to reprint yet" in till.window.till.message)
    till.engine.journal.keep_receipt(None, receipt_json(changed(BASE, cashier="Kept")))
    key(till.window.scan_field, "F9", 6)
    pump_until(till.root, lambda: till.printer.jobs, what="the reprint")
    lines = decode(till.printer.jobs[0]).lines
    assert "DUPLICATE" in lines
    assert any(line.startswith("Cashier") and line.endswith("Kept") for line in lines)


def test_a_card_burst_in_the_amount_field_is_a_scan_of_that_card(till: Till) -> None:
    """Only a burst that matches a card pattern is a scan, wherever the focus is; the open
    overlay was for the card before, so it closes."""
    wedge_scan(till.window, CARD)
    card_shown(till, "$75.00")
    key(till.window.scan_field, "F2", 1)
    overlay = overlay_of(till, AmountOverlay)
    assert isinstance(overlay, AmountOverlay)
    pump_until(till.root, lambda: focused(till) is overlay.field, what="focus on the amount")
    wedge_scan(till.window, OTHER)
    card_shown(till, "$12.50")
    assert till.window.overlay is None
    assert till.window.scan_text.get() == ""


def test_a_scan_with_shift_around_its_capitals_is_still_a_scan(till: Till) -> None:
    """A real wedge (and xdotool) presses Shift for each capital: Shift is no key of its own."""
    t = 3_000_000
    for ch in CARD:
        if ch.isupper() or ch == "_":
            key(till.window.scan_field, "Shift_L", t)
        key(till.window.scan_field, KEYSYMS.get(ch, ch), t)
        t += 5
    key(till.window.scan_field, "Return", t)
    card_shown(till, "$75.00")
    assert till.window.scan_text.get() == ""


def test_the_store_currency_is_asked_for_until_it_arrives(till: Till) -> None:
    """A provider down when posapp started: the status watch asks again (every 10 s; here
    at once), so Sell and Refund do not stay "Still connecting"."""
    till.window.till.currency = ""
    till.engine.terminal._store = None  # as if the first ask had failed
    key(till.window.scan_field, "F5", 40)
    pump_until(till.root, lambda: "Still connecting" in till.window.till.message)
    till.window.status_bar.watch(till.window.services_, till.window.send)
    pump_until(till.root, lambda: till.window.till.currency == "USD", what="the currency")
    key(till.window.scan_field, "F5", 41)
    assert overlay_of(till, AmountOverlay) is not None


def test_an_answer_after_its_deadline_reaches_only_the_shift_list(
    till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    from posapp.ui import calls

    monkeypatch.setattr(calls, "deadline_s", lambda _provider: 0.3)
    wedge_scan(till.window, CARD)
    card_shown(till, "$75.00")
    till.provider.proxy.set("delay", delay=1.5)
    key(till.window.scan_field, "F3", 1)
    confirm = overlay_of(till, ConfirmOverlay)
    assert isinstance(confirm, ConfirmOverlay)
    confirm.enter()
    pump_until(till.root, lambda: "Not confirmed yet: " in till.window.till.message)
    assert till.window.till.card is None  # its balance on screen could be wrong now
    till.provider.proxy.set("pass")
    wedge_scan(till.window, OTHER)
    card_shown(till, "$12.50")
    pump_until(till.root, lambda: till.printer.jobs, timeout=20, what="the late answer")
    pump_until(
        till.root,
        lambda: len(till.window.shift.get_children()) == 1,
        what="the late answer in the shift list",
    )
    assert till.window.panel.balance.cget("text") == "$12.50"  # the late answer painted nothing
    assert till.window.till.card is not None
    assert till.window.till.card.code.endswith("0002")
