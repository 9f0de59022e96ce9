"""The second trial's manager screens (wave 2: till #3, #4, #7, #8, #10; demo #2, #3, #4, #7),
through the real X server: keys as a manager presses them, checked on the screen, the journal
and the provider's ledger."""

from __future__ import annotations

import gc
import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

import httpx
import pytest

from hardware.printers.decode import decode
from posapp.terminal.ports import CashierError
from tests.gui_x.conftest import PIN, Till, XServer, close_till, make_config, open_till
from tests.gui_x.steps import closed, overlay_open
from tests.gui_x.test_counter import cards_screen, rows, searched
from tests.gui_x.test_manager_money import button, ledger
from tests.gui_x.test_manager_setup import manager_screen
from tests.gui_x.test_till import CARD, shown
from tests.terminal.conftest import Provider, provider  # noqa: F401

pytestmark = pytest.mark.gui

SIGN_IN = 4  # Tabs down the manager menu: Gift cards, Settings, Preview, Reports, Sign-in


def cashier_on(receipt: bytes) -> list[str]:
    return [" ".join(line.split()) for line in decode(receipt).lines if "Cashier" in line]


def test_a_sign_in_survives_a_restart_and_esc_leaves_no_manager_menu_open(
    till: Till, tmp_path: Any
) -> None:
    """Till #4 and #8/H: after "Sign in", Esc went back to the manager menu, open with no
    PIN for whoever stood at the till; and a restart forgot Bea (receipts said Ann again,
    the X report "Cashier not known" for the time before)."""
    screen = manager_screen(till, "signin", SIGN_IN)
    till.type("Bea")
    till.key("Return")
    till.pump_until(lambda: "Bea is on this shift" in screen.note.cget("text"), "the sign-in")
    till.shot("signin-done")
    till.key("Escape")
    closed(till)
    assert till.window.till.phase in ("idle", "card")  # the cashier's screen, no menu
    assert till.window.till.screen is None
    # posapp starts again (a power cut, a restart): Bea stays on the receipts.
    config, ours = till.engine.config, till.provider
    close_till(till)
    again = open_till(till.x, ours, config, tmp_path / "journal.db")
    try:
        assert again.engine.terminal.shift.cashier == "Bea"
        shown(again, "SVS_GC-500000000000001", "$75.00")
        again.key("F4")
        again.pump_until(lambda: again.printer.jobs, "the balance slip")
        assert cashier_on(again.printer.jobs[-1]) == ["Cashier Bea"]
        x = again.engine.terminal.shift.x_report()
        said = [line.label for line in x.lines if "ashier" in line.label]
        assert "Cashier not known" not in said
        assert said[-1] == "Cashier Bea"
    finally:
        close_till(again)


__all__ = ["CARD", "PIN"]


def create_form(till: Till, code: str, keys: str) -> Any:
    """Gift cards, Create, the code typed, Tab, the balance, Tab, a reason: the form."""
    screen = cards_screen(till)
    till.click(screen.actions["Create"])
    form = till.pump_until(lambda: screen.form, "the new card's form")
    till.pump_until(lambda: till.root.focus_get() is form.first_field, "focus on its code")
    till.type(code)
    till.pump_until(lambda: form.values["Code"]() == code, "the code typed")
    till.key("Tab")
    till.type(keys)
    till.key("Tab")
    till.type("prize")
    till.settle()
    return screen, form


def test_a_card_on_a_code_no_pattern_reads_is_refused_in_words_and_gets_no_money(
    till: Till,
) -> None:
    """Till #3/C: "XYZ-1" was created with $1.00, then the cashier's screen said "not a gift
    card this store knows": money no one could spend. And Create's bare "OK (Enter)" named
    neither card nor amount (demo #4)."""
    screen, form = create_form(till, "XYZ-1", "100")
    assert form.ok.cget("text") == "Create the card with $1.00 (Enter)"
    till.key("Return")
    till.pump_until(lambda: "No card pattern" in form.note.cget("text"), "the refusal")
    till.settle()
    till.shot("create-unreadable")
    assert form.note.cget("text").startswith(
        "No card pattern of this till reads “XYZ-1”: a cashier could never use its money. "
        "This store's patterns: SVS gift card, Voucher, typed."
    )
    assert screen.form is form  # kept, to correct
    assert form.values["Code"]() == "XYZ-1"
    admin = till.admin()
    found = httpx.get(
        f"{till.provider.server.url}/v1/gift-cards",
        params={"code": "XYZ-1", "include_canceled": True},
        headers=admin,
    ).json()
    assert found == []  # nothing at the provider
    assert [e for e in till.journal() if e.operation == "card_created"] == []
    # A code the till reads, typed bare: OK names it and its money, and it is created.
    till.click(form.first_field)
    till.key("ctrl+slash", "BackSpace")
    till.type("700000000000055")
    till.pump_until(
        lambda: form.ok.cget("text") == "Create ••0055 with $1.00 (Enter)", "OK naming it"
    )
    till.shot("create-ok-names")
    till.key("Return")
    till.pump_until(lambda: screen.form is None, "the form to close")
    assert till.ledger_balance("700000000000055") == 100


def test_settings_tabs_are_one_column_of_one_width_and_fields_read_at_body_size(
    till: Till,
) -> None:
    """The second trial's cosmetics: ragged Settings tabs (each as wide as its words), and
    the manager's typed fields in a font smaller than everything else."""
    screen = manager_screen(till, "settings", 1)
    book = screen.book
    till.settle()
    till.shot("settings-tabs")
    edges: dict[int, int] = {}  # tab -> the rightmost pixel that still picks it
    for y in range(0, book.winfo_height(), 4):
        for x in range(0, book.winfo_width() // 2, 2):
            try:
                tab = book.index(f"@{x},{y}")
            except tk.TclError:
                continue
            edges[tab] = max(edges.get(tab, 0), x)
    assert len(edges) == len(book.tabs())
    assert max(edges.values()) - min(edges.values()) <= 2, edges
    body = tkfont.Font(font=till.window.fonts["body"]).actual("size")
    fields = [w for w in all_widgets(screen) if isinstance(w, ttk.Entry)]
    assert fields
    for field in fields:
        if str(field.cget("font")) not in (str(till.window.fonts["huge"]),):
            assert tkfont.Font(font=field.cget("font")).actual("size") >= body


def all_widgets(widget: tk.Misc) -> list[tk.Misc]:
    found = []
    for child in widget.winfo_children():
        found += [child, *all_widgets(child)]
    return found


def refund_to_new_card(till: Till, keys: str, shows: str) -> tuple[str, str]:
    """F6, the amount, Enter, the manager's PIN: a refund to a new card; its slip's two
    barcodes (the receipt's, then the new card's)."""
    till.key("F6")
    amount = overlay_open(till, "AmountOverlay")
    till.type(keys)
    till.pump_until(lambda: amount.field.get() == shows, shows)
    till.key("Return")
    overlay_open(till, "ConfirmOverlay")
    till.type(PIN, 80, 110)
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.says().startswith("Refund of "), "the refund")
    till.settle()
    receipt, card = decode(till.printer.jobs[-1]).barcodes
    return receipt, card


def test_a_refund_slips_receipt_barcode_shows_its_card_not_a_void_of_it(till: Till) -> None:
    """Demo #2: the refund slip's first barcode (the receipt's), scanned when the customer
    came back to spend it, opened "Void the refund card ••1332 ($15.99) and close it": one
    habitual PIN from wiping the customer's card. It shows the card; a void is the
    manager's explicit choice in F7, which says what it would do."""
    receipt, card = refund_to_new_card(till, "1599", "$15.99")
    till.key("Escape")
    till.settle()
    till.scan(receipt)
    till.pump_until(lambda: till.balance_shown() == "$15.99", "the refund card shown")
    till.settle()
    till.shot("refund-slip-scanned")
    assert till.window.overlay is None  # no void offered, no PIN asked
    assert till.serial_shown().endswith(card[-4:])
    assert till.says().startswith(
        f"This is the refund slip of card ••{card[-4:]}: its card is shown, to spend. "
        "To void that card instead, the manager picks it in F7."
    )
    assert (till.ledger_gift(card)["status"], till.ledger_balance(card)) == ("active", 1599)
    # The manager's explicit choice: F7, the row, and the PIN overlay says what it does.
    till.key("F7")
    pick = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    till.key("Return")
    confirm = overlay_open(till, "ConfirmOverlay")
    assert confirm.words.cget("text").startswith(f"Void the refund card ••{card[-4:]} ($15.99")
    assert confirm.detail.cget("text") == (
        "The customer's refund card loses its $15.99 and is closed: their refund is gone "
        "unless they get it another way."
    )
    assert confirm.detail.winfo_ismapped()
    till.shot("refund-void-says-what")
    till.key("Escape")
    closed(till)
    assert (till.ledger_gift(card)["status"], till.ledger_balance(card)) == ("active", 1599)


def test_a_reversal_says_the_cash_side_before_the_pin_and_after(till: Till) -> None:
    """Demo #7: void and reversal words never said what to give the customer or take back."""
    shown(till, CARD, "$75.00")
    till.key("F2")
    amount = overlay_open(till, "AmountOverlay")
    till.type("500")
    till.pump_until(lambda: amount.field.get() == "$5.00", "$5.00")
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == "$70.00", "the redemption")
    till.settle()
    till.key("F7")
    pick = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    till.key("Return")
    confirm = overlay_open(till, "ConfirmOverlay")
    assert confirm.detail.cget("text") == (
        "The card gets its $5.00 back: the customer then pays for the goods another way, "
        "or gives them back."
    )
    till.shot("reversal-cash-side")
    till.type(PIN, 80, 110)
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.says().startswith("Reversed $5.00"), "the reversal")
    assert till.says().endswith("Take $5.00 from the customer another way, or take the goods back.")
    assert till.ledger_balance("500000000000001") == 7500


def redeem(till: Till, keys: str, shows: str, left: str) -> None:
    till.key("F2")
    amount = overlay_open(till, "AmountOverlay")
    till.type(keys)
    till.pump_until(lambda: amount.field.get() == shows, shows)
    till.key("Return")
    till.pump_until(lambda: till.balance_shown() == left, "the redemption")
    till.settle()


def printed(job: bytes) -> list[str]:
    return [" ".join(line.split()) for line in decode(job).lines]


def test_f9_reprints_the_row_chosen_in_the_shift_list(till: Till) -> None:
    """Till #7/G: a row chosen in the shift list was ignored; F9 reprinted the last receipt,
    so the customer's refund slip from earlier could not be printed again."""
    _receipt, card = refund_to_new_card(till, "1599", "$15.99")
    shown(till, CARD, "$75.00")
    redeem(till, "500", "$5.00", "$70.00")
    till.pump_until(lambda: len(till.window.shift.get_children()) == 2, "two rows")
    refund_row = till.window.shift.get_children()[1]  # the older: the refund
    till.window.shift.see(refund_row)
    till.settle()
    x, y, _w, _h = till.window.shift.bbox(refund_row, "#2")
    till.xdotool(
        "mousemove",
        str(till.window.shift.winfo_rootx() + x + 5),
        str(till.window.shift.winfo_rooty() + y + 5),
        "click",
        "1",
    )
    till.pump_until(lambda: till.window.shift.selection() == (refund_row,), "the row chosen")
    jobs = len(till.printer.jobs)
    till.key("F9")
    till.pump_until(lambda: len(till.printer.jobs) > jobs, "the reprint")
    till.settle()
    lines = printed(till.printer.jobs[-1])
    assert "DUPLICATE" in " ".join(lines)
    assert any(line.startswith("REFUND TO GIFT CARD") for line in lines)
    assert any(card in line.replace(" ", "") for line in lines)  # its code, in full
    assert till.says().startswith("Reprinted: Refund to gift card")
    till.shot("f9-chosen-row")
    assert till.window.shift.selection() == ()  # once: the next F9 is the last printed


def test_a_second_z_on_an_empty_shift_says_so_and_the_last_z_and_refunds_stay(
    till: Till,
) -> None:
    """Till #7/G and demo #3: a second Z press closed an empty shift and printed an all-zero
    Z with no word, F9 then reprinted that one (the day's Z was gone), and F12, Refund cards
    ("this shift and the one before") lost the refund issued an hour earlier."""
    _receipt, card = refund_to_new_card(till, "1599", "$15.99")
    journal = till.engine.journal
    till.key("F10")
    reports = till.pump_until(
        lambda: till.window.till.screen == "reports" and till.window.overlay, "the reports"
    )
    till.settle()

    def z_pressed() -> None:
        till.click(button(reports, "Z report (close shift)"))

    def with_pin() -> None:
        form = till.pump_until(lambda: reports.form, "the Z report's PIN")
        till.pump_until(lambda: till.root.focus_get() is form.first_field, "focus on the PIN")
        till.type(PIN, 80, 110)
        till.key("Return")
        till.pump_until(lambda: "Shift closed" in reports.text.get("1.0", "end"), "the Z")
        till.settle()

    z_pressed()
    with_pin()
    day_z = printed(till.printer.jobs[-1])
    assert "Refunds to cards (1) $15.99" in day_z
    shift = journal.current_shift()
    jobs = len(till.printer.jobs)
    z_pressed()  # again, as someone wanting a second copy would
    till.pump_until(lambda: "nothing to close" in reports.note.cget("text"), "the words")
    till.settle()
    till.shot("z-empty-shift")
    assert reports.note.cget("text").startswith(
        "Nothing was done in this shift since the last Z report: there is nothing to close."
    )
    assert reports.form is None  # no PIN asked: nothing closed
    assert journal.current_shift() == shift
    assert len(till.printer.jobs) == jobs
    # The day's Z, again.
    till.click(button(reports, "Last Z again"))
    till.pump_until(lambda: len(till.printer.jobs) > jobs, "the copy")
    again = printed(till.printer.jobs[-1])
    assert "DUPLICATE" in " ".join(again)
    assert "Refunds to cards (1) $15.99" in again
    # Closing the empty shift anyway, on a second press, then the refund is still listed.
    z_pressed()
    with_pin()
    assert journal.current_shift() != shift
    till.key("Escape")
    closed(till)
    screen = manager_screen(till, "refunds", 5)
    till.pump_until(lambda: screen.tree.get_children(), "the refund cards")
    till.settle()
    till.shot("refund-cards-after-two-z")
    (row,) = screen.tree.get_children()
    assert screen.tree.set(row, "code") == card  # as shown (values() would read it as a number)
    assert screen.title.cget("text") == "Cards issued as refunds in the last 31 days"


@pytest.mark.parametrize(
    ("store", "said"),
    [
        (
            {"cash_out_enabled": False},
            "This store does not pay gift cards out in cash: redeem the card instead. The "
            "manager can allow cash-out at the provider",
        ),
        (
            {"cash_out_enabled": True, "cash_out_max": 5000},
            "This card holds $75.00, above the store's cash-out limit of $50.00: it is not paid "
            "out in cash. Redeem it instead",
        ),
    ],
)
def test_f8_says_the_stores_cash_out_refusal_before_the_pin_and_logs_both_alike(
    xserver: XServer,
    provider: Provider,  # noqa: F811
    tmp_path: Any,
    store: dict[str, Any],
    said: str,
) -> None:
    """Till #10/J: F8 asked the manager's PIN, then said "This store does not pay gift cards
    out in cash", which the till knew; the same for a card above the store's limit, which
    then left a "declined" row where the other left none."""
    answer = httpx.patch(
        f"{provider.server.url}/v1/gift-card-config",
        json={"store_configurations": store},
        headers={"Authorization": f"Bearer {provider.made['admin_token']}"},
    )
    assert answer.status_code == 200
    config = make_config(provider.proxy.url, fullscreen=xserver.mode == "kiosk")
    gc.disable()  # as the till fixture: no collection on a worker thread while Tk lives
    till = open_till(xserver, provider, config, tmp_path / "journal.db")
    try:
        till.pump_until(lambda: till.window.till.cash_out is not None, "the store's policy")
        shown(till, CARD, "$75.00")
        till.key("F8")
        till.pump_until(lambda: till.says() == said, "the refusal")
        till.settle()
        till.shot("f8-refused-before-pin")
        assert till.window.overlay is None  # no PIN asked
        assert till.journal() == []  # nothing journalled, either way
        assert till.ledger_balance("500000000000001") == 7500
        # The service says the same, fresh from the provider, should the till not know yet.
        with pytest.raises(CashierError, match="cash"):
            till.engine.terminal.cash_out(till.engine.terminal.check(CARD))
        assert till.journal() == []
    finally:
        close_till(till)


def chosen(till: Till, screen: Any, typed: str) -> None:
    """The card searched for, its row chosen."""
    assert searched(till, screen, typed)
    screen.tree.selection_set(screen.tree.get_children()[0])
    till.settle()


def test_manager_changes_are_confirmed_and_said_and_a_canceled_card_stays_found(
    till: Till,
) -> None:
    """Demo #4: Enable / disable flipped a $25 card at once, no confirm, no word; Adjust
    balance said nothing when done; after Cancel card the list said "No card found" for the
    card just canceled. And a bad expiry showed "expires_at is not a real date and time" and
    closed the dialog, the typing lost."""
    screen = cards_screen(till)
    chosen(till, screen, "0006")  # disabled, $25.00
    till.click(screen.actions["Enable / disable"])
    form = till.pump_until(lambda: screen.form, "the confirm")
    assert form.title.cget("text") == "Enable ••0006: its $25.00 can be spent again"
    assert form.ok.cget("text") == "Enable ••0006 (Enter)"
    till.shot("enable-confirm")
    assert till.ledger_gift("500000000000006")["status"] == "disabled"  # nothing yet
    till.key("Return")
    till.pump_until(lambda: "Enabled ••0006" in screen.note.cget("text"), "the words")
    assert till.ledger_gift("500000000000006")["status"] == "active"
    assert rows(screen) == [("500000000000006", "Active")]
    # Adjust balance says it was done.
    chosen(till, screen, "0002")
    till.click(screen.actions["Adjust balance"])
    form = till.pump_until(lambda: screen.form, "the balance form")
    till.pump_until(lambda: till.root.focus_get() is form.first_field, "focus on the balance")
    till.type("2000")
    till.key("Tab")
    till.type("goodwill")
    till.key("Return")
    till.pump_until(lambda: screen.form is None, "the form to close")
    till.pump_until(lambda: "Set ••0002" in screen.note.cget("text"), "the words")
    assert screen.note.cget("text") == "Set ••0002 to $20.00 (was $12.50)."
    assert till.ledger_balance("500000000000002") == 2000
    # A bad expiry: said in words on the dialog, which stays with what was typed.
    till.click(screen.actions["Expiry"])
    form = till.pump_until(lambda: screen.form, "the expiry form")
    till.pump_until(lambda: till.root.focus_get() is form.first_field, "focus on the day")
    till.type("2026-13-45")
    till.key("Return")
    till.pump_until(lambda: "is not a day" in form.note.cget("text"), "the refusal")
    till.shot("expiry-refused")
    assert (
        form.note.cget("text")
        == "“2026-13-45” is not a day: type it as YYYY-MM-DD, like 2027-12-31"
    )
    assert "expires_at" not in form.note.cget("text")
    assert screen.form is form
    assert form.values["Expires (YYYY-MM-DD, empty: never)"]() == "2026-13-45"
    till.key("ctrl+a", "BackSpace")
    till.type("2031-01-31")
    till.key("Return")
    till.pump_until(lambda: "expires" in screen.note.cget("text"), "the words")
    assert screen.note.cget("text") == "••0002 now expires at the end of 31 Jan 2031."
    assert till.ledger_gift("500000000000002")["expires_at"].startswith("2031-01-31")
    # Cancel card: the buttons say Close and Cancel ••0002, and the card stays in the list.
    till.click(screen.actions["Cancel card"])
    form = till.pump_until(lambda: screen.form, "the cancel form")
    assert [b.cget("text") for b in (form.ok,)] == ["Cancel ••0002 and its $20.00 (Enter)"]
    assert button(form, "Close (Esc)")
    till.pump_until(lambda: till.root.focus_get() is form.first_field, "focus on the reason")
    till.type("stolen")
    till.key("Return")
    till.pump_until(lambda: "Canceled ••0002" in screen.note.cget("text"), "the words")
    till.shot("canceled-still-listed")
    assert screen.note.cget("text") == "Canceled ••0002: its $20.00 taken off the card."
    assert rows(screen) == [("500000000000002", "Canceled")]
    _moved, gift = ledger(till, "500000000000002")
    assert (gift["status"], gift["balance"]) == ("canceled", 0)


def test_the_manager_list_shows_another_shops_card_as_such(till: Till) -> None:
    """The second trial: the card valid at another shop only read "Active" in the manager's
    list, while the till refused it."""
    screen = cards_screen(till)
    assert searched(till, screen, "0009") == [("500000000000009", "Another shop's card")]
    assert searched(till, screen, "0001") == [("500000000000001", "Active")]


def test_f7_shows_refund_to_card_whole_and_the_z_pin_is_centred_and_named(till: Till) -> None:
    """The second trial's cosmetics: F7's list cut "Refund to car"; the Z report's PIN
    keypad sat off-centre, its OK a bare "OK (Enter)"."""
    refund_to_new_card(till, "500", "$5.00")
    till.key("F7")
    pick = overlay_open(till, "PickOverlay")
    till.pump_until(lambda: pick.tree.get_children(), "the shift's transactions")
    till.settle()
    till.shot("f7-refund-to-card")
    body = till.window.fonts["body"]
    assert pick.tree.column("what", "width") >= body.measure("Refund to card") + 16
    till.key("Escape")
    closed(till)
    till.key("F10")
    reports = till.pump_until(
        lambda: till.window.till.screen == "reports" and till.window.overlay, "the reports"
    )
    till.settle()
    till.click(button(reports, "Z report (close shift)"))
    form = till.pump_until(lambda: reports.form, "the Z report's PIN")
    till.settle()
    till.shot("z-pin-centred")
    assert form.ok.cget("text") == "Close the shift (Enter)"
    (pad,) = form.pads.values()
    keys = pad.keys["5"]  # the middle key, under the field
    middle = keys.winfo_rootx() + keys.winfo_width() / 2
    panel = form.panel.winfo_rootx() + form.panel.winfo_width() / 2
    assert abs(middle - panel) <= 12, (middle, panel)


def test_typing_over_the_selected_balance_in_create_replaces_it(till: Till) -> None:
    """The retrial of a till (4): after a refusal, Tab into Balance showed "$1.00" selected,
    and typing 20.00 read "Only 2 digits go after the decimal mark"; in Adjust balance typing
    over the selection replaced it."""
    screen, form = create_form(till, "XYZ-1", "100")
    till.key("Return")
    till.pump_until(lambda: "No card pattern" in form.note.cget("text"), "the refusal")
    till.click(form.first_field)
    till.key("ctrl+slash", "BackSpace")
    till.type("700000000000056")
    till.key("Tab")  # into Balance: its $1.00 selected
    balance = form.amounts[0]
    till.pump_until(lambda: till.root.focus_get() is balance, "the focus on Balance")
    till.pump_until(lambda: balance.selection_present(), "$1.00 selected")
    till.type("20.00")
    till.pump_until(
        lambda: form.ok.cget("text") == "Create ••0056 with $20.00 (Enter)", "$20.00 typed"
    )
    assert form.note.cget("text") == ""
    till.shot("create-typed-over")
    till.key("Return")
    till.pump_until(lambda: screen.form is None, "the form to close")
    assert till.ledger_balance("700000000000056") == 2000
