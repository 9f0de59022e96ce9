"""A person's keys on the manager screens and the shift list, through the real X server: what
the trials typed and where it went (a Tab, Ctrl+A, a click on the list)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gui_x.conftest import PIN, Till
from tests.gui_x.steps import manager_menu, overlay_open, sold_on, typed_amount
from tests.gui_x.test_counter import cards_screen, rows
from tests.gui_x.test_manager_money import button
from tests.gui_x.test_till import CARD, NEW, NEW_CODE, shown

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


def signin(till: Till) -> Any:
    """The manager menu's "Cashier sign-in" (four Tabs down), its name field focused."""
    till.key(*["Tab"] * 4, "Return")
    screen = till.pump_until(
        lambda: till.window.till.screen == "signin" and till.window.overlay, "the sign-in"
    )
    till.pump_until(lambda: till.root.focus_get() is screen.field, "focus on the name")
    till.settle()
    return screen


def test_the_sign_in_name_is_typed_over_and_ctrl_a_selects_all(till: Till) -> None:
    """Till #9/I: the name on show kept the cursor at its start ("Bea" made "BeaAnn") and
    Ctrl+A went to the line's start ("BeaBeaAnn"): receipts under the wrong name."""
    till.window.terminal.shift.sign_in("Ann")  # Ann's shift; Bea takes over
    manager_menu(till)
    screen = signin(till)
    assert screen.field.get() == "Ann"
    till.type("Bea")
    till.pump_until(lambda: screen.field.get() == "Bea", "Bea typed over Ann")
    till.key("ctrl+a")
    till.type("Cy")
    till.pump_until(lambda: screen.field.get() == "Cy", "Cy typed over Bea")
    till.key("Return")
    till.pump_until(lambda: "Cy is on" in screen.note.cget("text"), "Cy signed in")
    assert till.window.terminal.shift.cashier == "Cy"


def test_ctrl_a_in_the_search_selects_what_was_searched(till: Till) -> None:
    """Demo #11: Ctrl+A in the gift cards' search went to the line's start."""
    screen = cards_screen(till)
    till.click(screen.search_field)
    till.type("0004")
    till.key("ctrl+a")
    till.type("0002")
    till.pump_until(lambda: screen.search_field.get() == "0002", "the search typed over")
    till.key("Return")
    till.pump_until(lambda: rows(screen) and rows(screen)[0][0].endswith("0002"), "found")


def reports(till: Till) -> Any:
    """The manager menu's "Reports" (three Tabs down), the X report on show."""
    manager_menu(till)
    till.key(*["Tab"] * 3, "Return")
    screen = till.pump_until(
        lambda: till.window.till.screen == "reports" and till.window.overlay, "the reports"
    )
    till.pump_until(lambda: "X REPORT" in screen.text.get("1.0", "end"), "the X report")
    till.settle()
    return screen


def test_the_report_buttons_are_pressed_from_the_keyboard(till: Till) -> None:
    """Till #5/E: Tab reached "X report" but neither Return nor Space pressed it, and no
    button had a key: a till with a keyboard and a scanner could print no X or Z report."""
    screen = reports(till)
    for words in ("X report", "Z report (close shift)", "Last Z again", "Reconcile"):
        assert int(button(screen, words).cget("underline")) == 0  # its key, as menus show it
    till.shot("reports-keys")
    till.type("x")  # its key, underlined on the button
    till.pump_until(lambda: len(till.printer.jobs) == 1, "the X report printed")
    till.key("Tab")  # from the report to the first button, "X report (X)"
    till.pump_until(lambda: "X report" in str(till.root.focus_get().cget("text")), "focus")
    till.key("Return")
    till.pump_until(lambda: len(till.printer.jobs) == 2, "the X report printed by Return")
    till.key("space")
    till.pump_until(lambda: len(till.printer.jobs) == 3, "the X report printed by Space")
    till.type("r")
    till.pump_until(lambda: "agree" in screen.text.get("1.0", "end"), "reconciled")
    till.settle()
    till.type("z")  # an empty shift: said, and closed on a second press
    till.pump_until(lambda: "nothing to close" in screen.note.cget("text"), "the empty shift")
    till.settle()
    till.type("z")  # closing the shift asks the manager's PIN first
    form = till.pump_until(lambda: screen.form, "the Z report's PIN")
    till.pump_until(lambda: till.root.focus_get() is form.first_field, "focus on the PIN")
    till.type(PIN, 80, 110)
    till.key("Return")
    till.pump_until(lambda: "Z REPORT" in screen.text.get("1.0", "end"), "the Z report")
    till.settle()
    assert till.window.services_.last.receipt is not None
    assert till.window.services_.last.receipt.kind == "z_report"


def test_a_voucher_typed_after_a_tap_on_the_shift_list_is_checked(till: Till) -> None:
    """Till #6/F: after a click on the shift list, a voucher typed by hand showed nothing and
    Enter did nothing (a scan still worked)."""
    shown(till, CARD, "$75.00")
    till.key("F2")
    overlay_open(till, "AmountOverlay")
    till.type("100", 80, 110)
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == "$74.00", "the redemption done")
    till.pump_until(lambda: till.window.shift.get_children(), "the row in the shift list")
    till.settle()
    tree = till.window.shift
    row = tree.get_children()[0]
    x, y, width, height = tree.bbox(row)
    till.xdotool(
        "mousemove",
        str(tree.winfo_rootx() + x + width // 2),
        str(tree.winfo_rooty() + y + height // 2),
        "click",
        "1",
    )
    till.pump_until(lambda: tree.selection() == (row,), "the row selected")
    till.type("123456789012", 80, 110)  # slower than a scanner: a person's keys
    till.pump_until(lambda: till.window.scan_field.get() == "123456789012", "the typed code")
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == "$50.00", "the voucher's balance")
    assert tree.selection() == (row,)  # the row the cashier picked stays picked


def test_a_key_pressed_again_on_what_it_opened_says_nothing_wrong(till: Till) -> None:
    """Till #14, demo's N: a second F2 in Redeem said "Redeem is not open here", a second F10
    in Reports "Reports is not open here"."""
    shown(till, CARD, "$75.00")
    till.key("F2")
    amount = overlay_open(till, "AmountOverlay")
    till.type("100", 80, 110)
    till.pump_until(lambda: amount.field.get() == "$1.00", "$1.00 typed")
    till.key("F2")
    till.settle()
    assert "not open here" not in till.window.till.message
    assert amount.note.cget("text") == ""
    assert "bad" not in till.window.sounds
    till.type("0", 80, 110)  # the amount goes on where it was
    till.pump_until(lambda: amount.field.get() == "$10.00", "$10.00 typed")
    assert till.window.overlay is amount
    till.key("Escape")
    till.pump_until(lambda: till.window.overlay is None, "the amount closed")
    till.key("F10")
    screen = till.pump_until(
        lambda: till.window.till.screen == "reports" and till.window.overlay, "the reports"
    )
    till.pump_until(lambda: "X REPORT" in screen.text.get("1.0", "end"), "the X report")
    till.key("F10")
    till.settle()
    assert till.window.overlay is screen
    assert "not open here" not in screen.note.cget("text")
    assert "not open here" not in till.window.till.message
    assert till.ledger_balance("500000000000001") == 7500


def test_backspace_after_a_refused_sale_amount_starts_it_again(till: Till) -> None:
    """Till P: $600.00 refused on Enter ("enter the amount again"), then BackSpace, as the red
    words teach, took one key back and "2.00" made $600.02."""
    till.key("F5")
    amount = typed_amount(till, "60000", "$600.00")
    till.key("Return")
    till.pump_until(lambda: "at most" in till.window.till.message, "the refusal")
    till.key("BackSpace")
    till.pump_until(lambda: amount.field.get() == "$0.00", "the amount started again")
    # The retrial of a till (7): "Sell a card for $0.00 (Enter)" was on, and did nothing.
    till.pump_until(lambda: amount.ok.cget("text") == "Type the amount first", "OK saying so")
    assert amount.ok.instate(["disabled"])
    till.shot("sell-zero-ok-off")
    till.type("2000")
    till.pump_until(lambda: amount.field.get() == "$20.00", "$20.00 typed")
    sold_on(till, NEW)
    assert till.ledger_balance(NEW_CODE) == 2000
    assert [(e.operation, e.amount) for e in till.journal()] == [("activation", 2000)]
