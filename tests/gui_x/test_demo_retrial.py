"""The demo retrial's findings, through the real X server: keys as a cashier or a manager
presses them, checked on the screen, the journal and the provider's ledger."""

from __future__ import annotations

from datetime import datetime
from tkinter import font as tkfont
from tkinter import ttk

import pytest

from hardware.printers.decode import decode
from tests.gui_x.conftest import PIN, Till
from tests.gui_x.steps import closed, menu_screen, overlay_open, sell, typed_amount
from tests.gui_x.test_counter import cards_screen, searched
from tests.gui_x.test_manager_money import (
    BLANK,
    BLANK_CODE,
    ledger,
    shift_rows,
)
from tests.gui_x.test_manager_screens import refund_to_new_card

pytestmark = pytest.mark.gui


def refund_cards_screen(till: Till) -> object:
    """F12, the manager's PIN, Refund cards: the screen once its list is read."""
    screen = menu_screen(till, "refunds")
    till.pump_until(lambda: screen.note.cget("text"), "the list read")
    till.settle()
    return screen


def test_a_voided_refund_card_is_listed_voided_not_as_a_refund_to_give(till: Till) -> None:
    """The retrial (87): a refund card voided in F7 (canceled, $0.00) was listed "done"
    under "Give the customer their card's code: it holds their refund"."""
    _receipt, kept = refund_to_new_card(till, "700", "$7.00")
    printed = len(till.printer.jobs)
    till.key("F6")  # a second one, its slip waited for (the first one's words are alike)
    overlay_open(till, "AmountOverlay")
    till.type("1599")
    till.key("Return")
    overlay_open(till, "ConfirmOverlay")
    till.type(PIN, 80, 110)
    till.key("Return")
    closed(till)
    till.pump_until(lambda: len(till.printer.jobs) > printed, "the second refund's slip")
    till.settle()
    _receipt, card = decode(till.printer.jobs[-1]).barcodes
    till.key("Escape")
    till.settle()
    till.key("F7")  # the manager voids the second card
    pick = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    till.key("Return")
    confirm = overlay_open(till, "ConfirmOverlay")
    assert confirm.words.cget("text").startswith(f"Void the refund card ••{card[-4:]}")
    till.type(PIN, 80, 110)
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.says().startswith(f"Voided ••{card[-4:]}"), "the void")
    screen = refund_cards_screen(till)
    till.shot("refund-cards-voided")
    listed = {  # as strings: item()'s values turn a code's leading 0 into an int's
        screen.tree.set(row, "code"): screen.tree.set(row, "state")
        for row in screen.tree.get_children()
    }
    assert listed == {card: "voided", kept: "done"}
    assert screen.note.cget("text") == (
        'Give the customer their card\'s code: it holds their refund. A card "voided" was '
        "closed (F7) and holds nothing: never give its code."
    )


def test_a_card_spent_since_its_sale_is_refused_before_the_pin_in_words(till: Till) -> None:
    """The retrial (52, 53): F7 on a card sold for $25.00 and spent $5.00 since asked the PIN
    first, promising "the customer gets their $25.00 back", then said "cannot be voided"
    with no advice, and the shift list gained a "Card voided ... declined" row. The card is
    looked up first: refused before any PIN, what to do instead said, nothing journalled."""
    sell(till, "2500", "$25.00", BLANK)
    till.key("F2")
    typed_amount(till, "500", "$5.00")
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.balance_shown() == "$20.00", "the redemption")
    till.settle()
    before = len(till.journal())
    till.key("F7")
    pick = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    till.key("Down")  # the sale, below the redemption
    till.pump_until(
        lambda: pick.tree.set(pick.tree.selection()[0], "what") == "Card sold", "the sale"
    )
    till.key("Return")
    closed(till)  # no PIN pad: the pick closes with the words
    till.pump_until(lambda: "cannot be voided" in till.says(), "the refusal")
    till.settle()
    till.shot("void-spent-refused")
    assert till.window.overlay is None
    assert till.says() == (
        "••0011 holds $20.00, not the $25.00 it was sold for: it was used since, so it cannot "
        "be voided. Nothing was done. To void it, first reverse each redemption on it (F7); "
        "or, by the store's rules, pay out what it holds (F8, cash-out) or refund the "
        "customer another way."
    )
    assert len(till.journal()) == before  # no "Card voided ... declined" row
    assert shift_rows(till)[0][0] == "Redemption"
    moved, gift = ledger(till, BLANK_CODE)
    assert moved == [("activation", 2500), ("redemption", 500)]
    assert (gift["status"], gift["balance"]) == ("active", 2000)
    # Once the redemption is reversed, the void is offered, its PIN words right.
    till.key("F7")
    pick = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    till.key("Return")  # the redemption, the newest
    overlay_open(till, "ConfirmOverlay")
    till.type(PIN, 80, 110)
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.says().startswith("Reversed $5.00"), "the reversal")
    till.settle()
    till.key("F7")
    pick = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    till.key("Return")  # the sale, the only one left
    confirm = overlay_open(till, "ConfirmOverlay")
    assert confirm.words.cget("text").startswith("Void the card sold ••0011 ($25.00, ")
    assert confirm.pin_field is not None


def test_the_z_reports_pin_says_back_beside_close_the_shift(till: Till) -> None:
    """The retrial (82): the Z report's PIN screen had "Close (Esc)" beside "Close the shift
    (Enter)", two "Close"s meaning opposite things. Esc's button says "Back"; it goes back
    to the reports, the shift still open."""
    refund_to_new_card(till, "500", "$5.00")
    till.key("F10")
    reports = till.pump_until(
        lambda: till.window.till.screen == "reports" and till.window.overlay, "the reports"
    )
    till.settle()
    till.key("z")
    form = till.pump_until(lambda: reports.form, "the Z report's PIN")
    till.settle()
    till.shot("z-pin-back")
    assert (form.back.cget("text"), form.ok.cget("text")) == (
        "Back (Esc)",
        "Close the shift (Enter)",
    )
    till.key("Escape")
    till.pump_until(lambda: reports.form is None, "back to the reports")
    assert till.window.till.screen == "reports"
    assert len(till.journal()) == 1  # the refund: no Z


def test_the_manager_list_says_from_when_and_cuts_no_status(till: Till) -> None:
    """The retrial (59): "Not usable yet" gave no date; "Another shop's" was cut in its
    column."""
    screen = cards_screen(till)
    (row,) = searched(till, screen, "0005")
    at = datetime.fromisoformat(till.ledger_gift("500000000000005")["usable_at"])
    usable = f"{at.day} {at:%b %Y}"
    assert row == ("500000000000005", f"Not usable until {usable}")
    till.shot("cards-not-usable-until")
    font = tkfont.nametofont(str(ttk.Style().lookup("Treeview", "font") or "TkDefaultFont"))
    wide = screen.tree.column("status", "width")
    assert wide >= font.measure(row[1]) + 8
    assert searched(till, screen, "0009") == [("500000000000009", "Another shop's card")]
    assert wide >= font.measure("Another shop's card") + 8
    till.shot("cards-another-shop")
