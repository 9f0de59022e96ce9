"""A scanner's burst that is no card (a scratched card, a book's ISBN) where the focus is not
a code field: the trials' garbled scans pressed OK on a money confirm and the focused button
of a manager screen (Quit). Through the real X server, checked on the provider's ledger."""

from __future__ import annotations

import httpx
import pytest

from tests.gui_x.conftest import Till
from tests.gui_x.steps import manager_menu, typed_amount
from tests.gui_x.test_till import (
    NEW,
    NEW_CODE,
    SMALL,
    SMALL_CODE,
    closed,
    moved,
    overlay_open,
    shown,
)

pytestmark = pytest.mark.gui
GARBLED = "SVS_GC-12"  # a scratched card: no pattern matches
ISBN = "9780131103627"  # the book next to the gift card


@pytest.mark.parametrize("scanned", [GARBLED, ISBN])
def test_a_garbled_scan_on_the_full_balance_confirm_cancels_it_and_moves_nothing(
    till: Till, scanned: str
) -> None:
    """Till #2/B: the scanner's trailing Enter redeemed the whole $7.50 and $20.00."""
    shown(till, SMALL, "$12.50")
    till.key("F3")
    overlay_open(till, "ConfirmOverlay")
    till.scan(scanned)
    till.pump_until(lambda: "not a gift card" in till.says(), "the scan refused in words")
    till.settle()
    assert till.window.overlay is None  # the confirm is gone: the next Enter moves nothing
    # Not "as another card was scanned": it was no card (the retrial of a till, 5).
    assert till.says().endswith(
        "Cancelled: Redeem the full balance, $12.50, from ••0002, as a scan came in that is "
        "not a card."
    )
    till.shot("garbled-scan-on-confirm")
    till.key("Return")
    till.settle()
    assert moved(till, SMALL_CODE) == []
    assert till.ledger_balance(SMALL_CODE) == 1250
    assert till.journal() == []


@pytest.mark.parametrize("scanned", [GARBLED, ISBN])
def test_a_garbled_scan_in_the_redeem_amount_is_a_scan_not_digits(till: Till, scanned: str) -> None:
    """The retrial of a till (5): F2 "5.00", then a book's ISBN: its digits went into the
    amount ("Only 2 digits go after the decimal mark"), unlike the confirm and PIN screens."""
    shown(till, SMALL, "$12.50")
    till.key("F2")
    amount = overlay_open(till, "AmountOverlay")
    till.type("500")
    till.pump_until(lambda: amount.field.get() == "$5.00", "$5.00 typed")
    till.scan(scanned)
    till.pump_until(lambda: "not a gift card" in till.says(), "the scan refused in words")
    till.settle()
    assert till.window.overlay is None  # closed, as on the confirm: the Enter pressed nothing
    assert till.says().endswith(
        "Cancelled: Redeem $5.00 from ••0002, as a scan came in that is not a card."
    )
    till.shot("garbled-scan-in-amount")
    till.key("Return")
    till.settle()
    assert moved(till, SMALL_CODE) == []
    assert till.journal() == []


def test_a_books_barcode_on_the_sell_confirm_sells_nothing(till: Till) -> None:
    """Till #2/B on F5: the ISBN's Enter activated the card before the customer paid."""
    till.key("F5")
    typed_amount(till, "1000", "$10.00")
    till.key("Return")
    till.pump_until(lambda: till.window.till.phase == "selling", "the till to wait for a card")
    till.scan(NEW)
    confirm = overlay_open(till, "ConfirmOverlay")
    till.scan(ISBN)
    till.pump_until(lambda: "not a gift card" in confirm.note.cget("text"), "the ISBN refused")
    till.settle()
    assert till.window.till.phase == "confirming"  # still asking, Esc or Enter decides
    assert sold(till) == []
    assert till.journal() == []
    till.key("Escape")
    closed(till)
    assert sold(till) == []


def sold(till: Till) -> list[object]:
    """The card to sell as the provider has it: none until a sale activates it."""
    return list(
        httpx.get(
            f"{till.provider.server.url}/v1/gift-cards",
            params={"code": NEW_CODE, "include_canceled": True},
            headers=till.admin(),
        ).json()
    )


def test_garbled_scans_on_the_manager_menu_press_no_button(till: Till) -> None:
    """Till #4/D: with the focus on "Quit posapp", two garbled scans opened Quit and quit."""
    menu = manager_menu(till)
    menu.choices["quit"].focus_set()
    till.pump_until(lambda: till.root.focus_get() is menu.choices["quit"], "focus on Quit")
    for scanned in (GARBLED, ISBN):
        till.scan(scanned)
        till.pump_until(lambda: "not a gift card" in menu.note.cget("text"), "the scan refused")
        till.settle()
        assert till.window.till.screen == "manager"  # Quit was not opened
        assert till.window.overlay is menu
        assert till.root.winfo_exists()
    till.shot("garbled-scan-on-manager-menu")
    till.key("Return")  # a person's Enter still presses the focused button
    till.pump_until(lambda: till.window.till.screen == "quit", "the Quit screen")
    quit_screen = till.window.overlay
    till.settle()
    till.scan(GARBLED)
    till.pump_until(lambda: "not a gift card" in quit_screen.note.cget("text"), "refused")
    till.settle()
    assert not till.window._closing  # the till did not quit
    till.key("Tab", "Return")  # Return on "Back (Esc)": back, not quit
    till.pump_until(lambda: till.window.till.screen != "quit", "back from Quit")
    till.settle()
    assert not till.window._closing
