"""The cashier window under Xvfb, driven by key events, against the real provider over HTTP."""

from __future__ import annotations

import itertools
import time
import tkinter as tk

import httpx
import pytest

from hardware.printers.virtual import decode
from posapp.ui.dialogs import AmountDialog, ChoiceDialog, PinDialog
from tests.gui.conftest import PIN, Till, key, person_types, pump_until, wedge_scan
from tests.terminal.test_service import provider_balance

pytestmark = pytest.mark.gui
CARD = "SVS_GC-500000000000001"  # $75.00


def dialog_of(till: Till, kind: type) -> object:
    return pump_until(
        till.root,
        lambda: next((w for w in till.root.winfo_children() if isinstance(w, kind)), None),
        what=kind.__name__,
    )


def test_a_wedge_scan_shows_the_card_and_never_lands_in_a_field(till: Till) -> None:
    wedge_scan(till.window, CARD)
    pump_until(
        till.root, lambda: till.window.card_balance.cget("text") == "$75.00", what="the balance"
    )
    assert till.window.card_serial.cget("text").endswith("0001")
    assert till.window.card_status.cget("text") == "ACTIVE"
    assert till.window.scan_text.get() == ""  # the scan was caught, not typed
    assert till.window.sounds == ["good"]


def test_a_person_typing_reaches_the_field_and_enter_checks_it(till: Till) -> None:
    person_types(till.window, till.window.scan_field, "123456789012")
    assert till.window.scan_text.get() == "123456789012"
    key(till.window.scan_field, "Return", 9_000_000)
    pump_until(
        till.root, lambda: till.window.card_balance.cget("text") == "$50.00", what="the voucher"
    )


def test_the_same_card_twice_within_2_s_is_checked_once(till: Till) -> None:
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.gift is not None)
    seen = till.provider.proxy.seen
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: not till.window._held and not till.window.state.busy)
    assert till.provider.proxy.seen == seen


def test_a_bad_scan_sounds_different(till: Till) -> None:
    wedge_scan(till.window, "SVS_GC-999999999999999")
    pump_until(till.root, lambda: "not found" in till.window.message.cget("text"))
    assert till.window.sounds == ["bad"]


def test_f2_amount_enter_redeems_and_prints(till: Till) -> None:
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.gift is not None)
    key(till.window.scan_field, "F2", 1)
    dialog = dialog_of(till, AmountDialog)
    assert isinstance(dialog, AmountDialog)
    person_types(till.window, dialog, "2500")
    assert dialog.shown.cget("text") == "$25.00"
    key(dialog, "Return", 2)
    pump_until(till.root, lambda: till.printer.jobs, what="the receipt")
    (job,) = till.printer.jobs
    pump_until(
        till.root, lambda: till.window.card_balance.cget("text") == "$50.00", what="the new balance"
    )
    assert provider_balance(till.provider, "500000000000001") == 5000
    lines = decode(job).lines
    assert any(line.startswith("Card ") and line.endswith("***********0001") for line in lines)
    assert any(line.startswith("Amount") and line.endswith("$25.00") for line in lines)
    assert any(line.startswith("Balance left") and line.endswith("$50.00") for line in lines)
    assert decode(job).barcodes == [till.window.last_receipt.transaction_id]  # type: ignore[union-attr]


def test_f7_with_the_manager_pin_reverses(till: Till) -> None:
    test_f2_amount_enter_redeems_and_prints(till)
    key(till.window.scan_field, "F7", 3)
    chooser = dialog_of(till, ChoiceDialog)
    assert isinstance(chooser, ChoiceDialog)
    chooser.pick()
    pin = dialog_of(till, PinDialog)
    assert isinstance(pin, PinDialog)
    pin.value.set("0000")
    pin.ok()
    pump_until(till.root, lambda: "Wrong PIN" in pin.message.cget("text"), what="the wrong PIN")
    pin.value.set(PIN)
    pin.ok()
    pump_until(till.root, lambda: len(till.printer.jobs) == 2, what="the reversal receipt")
    assert provider_balance(till.provider, "500000000000001") == 7500
    assert "GIFT CARD REVERSAL" in decode(till.printer.jobs[1]).lines


def test_f8_on_a_store_without_cash_out_says_so(till: Till) -> None:
    admin = {"Authorization": f"Bearer {till.provider.made['admin_token']}"}
    httpx.patch(
        f"{till.provider.server.url}/v1/gift-card-config",
        json={"store_configurations": {"cash_out_enabled": False}},
        headers=admin,
    )
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.gift is not None)
    key(till.window.scan_field, "F8", 4)
    pin = dialog_of(till, PinDialog)
    assert isinstance(pin, PinDialog)
    pin.value.set(PIN)
    pin.ok()
    pump_until(
        till.root, lambda: "does not pay gift cards out in cash" in till.window.message.cget("text")
    )
    assert till.printer.jobs == []


def test_the_window_keeps_painting_while_the_provider_takes_2_s(till: Till) -> None:
    till.provider.proxy.set("delay", delay=2.0)
    beats: list[float] = []

    def beat() -> None:
        beats.append(time.monotonic())
        if len(beats) < 200:
            till.root.after(20, beat)

    till.root.after(20, beat)
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.state.busy, what="the call to start")
    pump_until(till.root, lambda: till.window.gift is not None, timeout=20, what="the slow answer")
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert len(gaps) > 50
    assert max(gaps) - 0.020 < 0.100, max(gaps)


def test_provider_stopped_mid_redemption_leaves_it_to_settle_then_settles(till: Till) -> None:
    wedge_scan(till.window, CARD)
    pump_until(till.root, lambda: till.window.gift is not None)
    till.provider.proxy.set("drop_answer")  # the provider commits; its answers never arrive
    till.window.run(
        "Redeeming…",
        lambda: till.window._redeem(till.window.gift, 1000),  # type: ignore[arg-type]
        till.window._printed,
    )
    pump_until(till.root, lambda: till.window.status.to_settle == 1, what="'to settle: 1'")
    assert till.window.bar["to_settle"].cget("text") == "to settle: 1"
    pump_until(till.root, lambda: till.printer.jobs, what="the receipt")
    assert "NOT CONFIRMED" in decode(till.printer.jobs[0]).lines
    till.provider.proxy.set("pass")  # the provider is back
    till.engine.settler.wake()
    pump_until(till.root, lambda: till.window.status.to_settle == 0, what="'to settle: 0'")
    assert till.window.bar["to_settle"].cget("text") == "to settle: 0"
    assert provider_balance(till.provider, "500000000000001") == 6500


def test_internal_errors_are_logged_and_shown(till: Till, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    button = tk.Button(till.root, command=broken)
    button.invoke()  # Tk calls report_callback_exception only in a real callback; invoke is one
    till.window._callback_error(RuntimeError, RuntimeError("a bug"), None)
    assert "Internal error; see the log" in till.window.message.cget("text")
    assert "internal error" in caplog.text


def test_f9_after_a_restart_reprints_the_receipt_the_printer_could_not_take(till: Till) -> None:
    from dataclasses import replace as changed

    from posapp.printing import receipt_json
    from tests.hardware.test_printing import BASE

    key(till.window.scan_field, "F9", 5)
    pump_until(till.root, lambda: "Nothing to reprint yet" in till.window.message.cget("text"))
    till.engine.journal.keep_receipt(None, receipt_json(changed(BASE, cashier="Kept")))
    key(till.window.scan_field, "F9", 6)
    pump_until(till.root, lambda: till.printer.jobs, what="the reprint")
    lines = decode(till.printer.jobs[0]).lines
    assert "DUPLICATE" in lines
    assert any(line.startswith("Cashier") and line.endswith("Kept") for line in lines)
