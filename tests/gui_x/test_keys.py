"""A cashier's keys and a wedge scanner's bursts, through the X server, against the real
provider's ledger and the terminal's journal."""

from __future__ import annotations

import pytest

from tests.gui_x.conftest import Till

pytestmark = pytest.mark.gui
CARD, CODE = "SVS_GC-500000000000001", "500000000000001"  # $75.00


def test_a_wedge_scan_shows_the_balance_and_types_nothing(till: Till) -> None:
    till.scan(CARD)
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the balance")
    assert till.serial_shown().endswith("0001")
    assert till.window.scan_field.get() == ""  # the burst was a scan, not typing
    assert till.window.sounds == ["good"]


def test_f2_digits_enter_redeems_once_on_the_ledger(till: Till) -> None:
    till.scan(CARD)
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the balance")
    till.key("F2")
    till.type("2500", 120, 160)
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == "$50.00", "the new balance")
    till.settle()
    assert till.ledger_balance(CODE) == 5000
    redemptions = [t for t in till.ledger_transactions(CODE) if t["type"] == "redemption"]
    assert [t["amount"] for t in redemptions] == [2500]
    (entry,) = till.journal()
    assert (entry.operation, entry.amount, entry.state) == ("redemption", 2500, "completed")
    assert len(till.printer.jobs) == 1


def test_esc_on_the_amount_leaves_the_ledger_as_it_was(till: Till) -> None:
    till.scan(CARD)
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the balance")
    till.key("F2")
    till.type("2500", 120, 160)
    till.key("Escape")
    till.settle()
    till.key("Return")  # Enter after Esc confirms nothing: the amount is gone
    till.settle()
    assert till.ledger_balance(CODE) == 7500
    assert till.ledger_transactions(CODE) == []
    assert till.journal() == []
    assert till.printer.jobs == []


def test_a_key_past_the_maximum_is_refused_and_enter_waits_for_backspace(till: Till) -> None:
    till.scan(CARD)
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the balance")
    till.key("F2")
    till.type("9999", 120, 160)  # $99.99 would pass the card's $75.00: the last 9 is refused
    till.key("Return")  # refused: the amount on show is not what was typed
    till.pump_until(lambda: "Fix the amount first" in till.window.till.message, "Enter refused")
    till.settle()
    assert till.ledger_balance(CODE) == 7500
    assert till.journal() == []
    till.key("BackSpace")  # starts the amount again: $9.99 is not left one Enter away
    till.key("Return")  # $0.00 is no amount: refused too
    till.settle()
    assert till.journal() == []
    till.type("999", 120, 160)  # $9.99, on purpose now
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == "$65.01", "the new balance")
    till.settle()
    assert till.ledger_balance(CODE) == 7500 - 999
    (entry,) = till.journal()
    assert (entry.operation, entry.amount) == ("redemption", 999)


def test_a_voucher_typed_by_hand_then_enter_is_checked(till: Till) -> None:
    till.type("123456789012", 80, 110)  # slower than a scanner: typing, into the field
    till.pump_until(lambda: till.window.scan_field.get() == "123456789012", "the typed code")
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == "$50.00", "the voucher's balance")
