"""Wave 2's words, through real keys (the two cashier trials): what the till says when an
amount is refused, when a card cannot pay, when a card is not sold yet, after a refund,
and what a greyed money key says. Kiosk and openbox, checked against the provider's ledger
where money is involved."""

from __future__ import annotations

from tkinter import ttk

import pytest

from posapp.ui import theme
from tests.gui_x.conftest import PIN, Till
from tests.gui_x.steps import closed, overlay_open, sell, sold_on
from tests.gui_x.test_till import cut

pytestmark = pytest.mark.gui
NEW, NEW_CODE = "SVS_GC-500000000000099", "500000000000099"  # not in the store yet
FIX = "Fix the amount first: BackSpace starts it again, Esc cancels"


def test_sell_shows_its_range_and_refuses_600_as_it_is_typed(till: Till) -> None:
    """The trial: F5 "600.00" stood in black with "Sell a card for $600.00 (Enter)" until
    Enter; the Sell screen did not say its $5.00-$500.00 until a wrong amount was refused."""
    till.key("F5")
    sell = overlay_open(till, "AmountOverlay")
    assert sell.limit.cget("text") == "A card is sold for $5.00 to $500.00"
    till.type("600.00", 80, 110)
    till.pump_until(lambda: till.window.sounds[-1:] == ["bad"], "the key past $500.00 refused")
    till.settle()
    assert sell.field.get() == "$600.00"  # what was refused, in the refusal's colour
    assert sell.ok.cget("text") == "Refused: $600.00  (BackSpace)"
    assert sell.ok.instate(["disabled"])
    assert sell.note.cget("text") == (
        f"A card is sold for $500.00 at most; $600.00 is more than that. {FIX}"
    )
    till.shot("sell-600")
    till.key("Return")  # nothing to sell: Enter is refused, no card is waited for
    till.pump_until(lambda: till.window.sounds[-2:] == ["bad", "bad"], "Enter refused")
    till.settle()
    assert till.window.till.phase == "entering"
    till.key("BackSpace")  # starts the amount again
    till.type("20.00", 80, 110)
    till.pump_until(lambda: sell.field.get() == "$20.00", "$20.00")
    sold_on(till, NEW)
    assert till.ledger_balance(NEW_CODE) == 2000  # $20.00, never $600.00
    assert [(e.operation, e.amount) for e in till.journal()] == [("activation", 2000)]


def test_a_huge_sale_amount_names_the_sale_limit_and_fits_the_dialog(till: Till) -> None:
    """The trial: "99999999999" read "$9,999,999.99 is more than one transaction can be; the
    most is $1,000,000.00", three lines that spilled past the dialog's bottom edge."""
    till.key("F5")
    sell = overlay_open(till, "AmountOverlay")
    till.type("99999999999", 30, 50)
    till.pump_until(lambda: sell.field.get() == "$999.99", "the fifth key refused")
    till.settle()
    words = sell.note.cget("text")
    assert words.startswith("A card is sold for $500.00 at most; $999.99 is more than that.")
    assert "1,000,000" not in words
    till.root.update_idletasks()
    assert cut(sell) == []  # the words and every button inside the dialog
    bottom = sell.note.winfo_rooty() + sell.note.winfo_reqheight()
    assert bottom <= sell.panel.winfo_rooty() + sell.panel.winfo_height()
    till.shot("sell-huge")
    till.key("Escape")
    closed(till)
    assert till.journal() == []


def test_too_many_decimals_says_the_way_on(till: Till) -> None:
    """The trial: "12.555" was refused with a bare "USD has 2 decimals"."""
    till.scan("SVS_GC-500000000000001")
    till.pump_until(lambda: till.balance_shown() == "$75.00", "the card")
    till.settle()
    till.key("F2")
    amount = overlay_open(till, "AmountOverlay")
    till.type("12.555", 80, 110)
    till.pump_until(lambda: till.window.sounds[-1:] == ["bad"], "the third decimal refused")
    till.settle()
    assert amount.field.get() == "$12.55"
    assert amount.note.cget("text") == f"Only 2 digits go after the decimal mark. {FIX}"
    assert isinstance(amount.ok, ttk.Button)
    assert amount.ok.instate(["disabled"])


def test_a_card_not_sold_yet_scanned_outside_f5_says_f5_sells_it(till: Till) -> None:
    """The demo trial (11): a blank card off the shelf, scanned with no F5 open, read "Gift
    card not found: check the card, or scan it again"; the cashier thought it was bad."""
    till.scan(NEW)
    till.pump_until(lambda: "not sold yet" in till.says(), "the words for a card not sold")
    till.settle()
    assert (
        till.says()
        == (  # the card named, as a sentence (the Adyen trial, 5a #4, #13)
            f"Card ••{NEW_CODE[-4:]}: This card is not sold yet: F5 sells it. If the customer says "
            "it holds money, scan it again or check its code."
        )
    )
    till.shot("not-sold-yet")
    sell(till, "2500", "$25.00", NEW)  # as it says: F5, the amount, then the card
    assert till.ledger_balance(NEW_CODE) == 2500


def test_an_expired_card_says_what_to_tell_the_customer_and_f4_is_not_green(till: Till) -> None:
    """The demo trial (8): the expired card showed "$40.00 held, expired ..." and nothing to
    tell the customer; its greyed keys gave no reason; F4 turned the line green, "$40.00 held;
    balance slip printed", which read as "fine"."""
    till.scan("SVS_GC-500000000000004")
    till.pump_until(lambda: "Tell the customer" in till.says(), "the words for the customer")
    till.settle()
    assert till.says().endswith(
        "Tell the customer the card has expired; a manager can change that (F12, Gift cards)."
    )
    for name, words in (
        ("redeem", "Redeem: expired\nF2"),
        ("use_all", "Use full balance: expired\nF3"),
        ("cash_out", "Cash out: expired\nF8"),
    ):
        button = till.window.buttons[name]
        assert (button.cget("text"), button.instate(["disabled"])) == (words, True)
    assert cut(till.root) == []
    till.shot("expired-card")
    till.key("F4")
    till.pump_until(lambda: till.printer.jobs, "the balance slip")
    till.pump_until(lambda: "balance slip" in till.says(), "F4's words")
    till.settle()
    assert till.window.till.tone == "warn"
    assert "It cannot pay: expired" in till.says()
    assert "Tell the customer the card has expired" in till.says()
    till.shot("expired-f4")
    assert till.journal() == [] or all(e.operation == "balance" for e in till.journal())


def test_a_refund_says_the_slip_is_the_customers_card_and_the_pin_notice_after_it(
    till: Till,
) -> None:
    """The demo trial (6): the refund's result was one amber line, "Refund to gift card:
    $15.99 done; receipt printed. 1 wrong PIN was entered since the last right one (the last
    on 05 Dec at 21:25): ...", and nothing said the slip is the customer's card."""
    till.key("F6")
    refund = overlay_open(till, "AmountOverlay")
    till.type("1599", 80, 110)
    till.pump_until(lambda: refund.field.get() == "$15.99", "$15.99")
    till.key("Return")
    pin = overlay_open(till, "ConfirmOverlay")  # a refund asks the manager's PIN
    till.type("1111", 80, 110)
    till.key("Return")
    till.pump_until(lambda: "Wrong PIN" in pin.note.cget("text"), "the wrong PIN refused")
    till.type(PIN, 80, 110)
    till.key("Return")
    till.pump_until(lambda: "Give the customer" in till.says(), "the refund's words")
    till.settle()
    (issued,) = [e for e in till.journal() if e.operation == "issue"]
    assert till.ledger_balance(issued.code) == 1599
    # The result alone, in its own colour; the manager's notice on a line apart, muted
    # (the demo retrial, 37: still one amber block).
    done, manager = till.says(), str(till.window.panel.aside.cget("text"))
    assert str(till.window.panel.message.cget("foreground")) != theme.COLOURS["warn"]
    assert str(till.window.panel.aside.cget("foreground")) == theme.COLOURS["muted"]
    assert done == (
        f"Refund of $15.99 put on the new card ••{issued.code[-4:]}; receipt printed. "
        "Give the customer this slip: it is their card."
    )
    assert manager.startswith("Manager: 1 wrong PIN before this one (the latest ")
    assert manager.endswith(": if that was not a manager, change the PIN")
    till.shot("refund-done")
    assert cut(till.root) == []


def test_an_item_redemption_is_listed_with_its_item(till: Till) -> None:
    """The demo trial (34): the shift list said "1 item" for 1 × Coffee."""
    till.scan("SVS_GC-500000000000008")
    till.pump_until(lambda: "Coffee" in till.balance_shown(), "the item card")
    till.settle()
    till.key("F2")
    overlay_open(till, "ConfirmOverlay")
    till.key("Return")
    till.pump_until(lambda: till.window.shift.get_children(), "the shift list's row")
    till.settle()
    (row,) = till.window.shift.get_children()
    assert till.window.shift.item(row)["values"][3] == "1 × Coffee"


def test_a_cannot_be_reached_line_goes_when_the_provider_answers_again(till: Till) -> None:
    """The till trial (42): with the provider back and the status bar green again, the red
    "cannot be reached" line stayed on the panel until the next action."""
    till.provider.proxy.set("reset_before")  # nothing reaches the provider
    till.scan("SVS_GC-500000000000001")
    till.pump_until(lambda: "cannot be reached" in till.says(), "the provider not reached")
    till.settle()
    till.provider.proxy.set("pass")
    assert till.window.status_bar.job is not None
    till.root.after_cancel(till.window.status_bar.job)  # the 10 s status watch, now
    till.window.status_bar.watch(till.window.services_, till.window.send)
    till.pump_until(lambda: "cannot be reached" not in till.says(), "the old line to go")
    assert till.says() == "The gift card provider answers again"
    assert till.window.till.tone == "ok"


def test_the_x_report_has_a_scrollbar_and_a_line_for_what_was_taken_in(till: Till) -> None:
    """The demo trial (127, 69): the X report had no visible scrollbar, so what sat below
    the fold was found only with the mouse wheel; and the drawer's side of the card sales
    (sold less voided) was no line of its own."""
    sell(till, "3000", "$30.00", NEW)
    till.key("F10")
    reports = till.pump_until(
        lambda: till.window.till.screen == "reports" and till.window.overlay, "the reports"
    )
    till.pump_until(lambda: "Taken in" in reports.text.get("1.0", "end"), "the X report")
    till.settle()
    lines = [" ".join(line.split()) for line in reports.text.get("1.0", "end").splitlines()]
    assert "Taken in for cards sold $30.00" in lines
    assert reports.bar.winfo_ismapped()
    assert reports.bar.get() == reports.text.yview()  # the bar shows where the view is
    assert cut(till.root) == []
    till.shot("x-report-bar")
    top = reports.text.yview()
    if top[1] < 1.0:  # more below: the keys scroll it too
        reports.text.focus_set()
        till.key("Next")
        till.pump_until(lambda: reports.text.yview() != top, "Page Down to scroll")
    till.key("Escape")
    closed(till)
