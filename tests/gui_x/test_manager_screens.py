"""The second trial's manager screens (wave 2: till #3, #4, #7, #8, #10; demo #2, #3, #4, #7),
through the real X server: keys as a manager presses them, checked on the screen, the journal
and the provider's ledger."""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

import httpx
import pytest

from hardware.printers.virtual import decode
from tests.gui_x.conftest import PIN, Till, close_till, open_till
from tests.gui_x.test_counter import cards_screen
from tests.gui_x.test_manager_setup import manager_screen
from tests.gui_x.test_till import CARD, closed, shown
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
        assert again.engine.terminal.cashier == "Bea"
        shown(again, "SVS_GC-500000000000001", "$75.00")
        again.key("F4")
        again.pump_until(lambda: again.printer.jobs, "the balance slip")
        assert cashier_on(again.printer.jobs[-1]) == ["Cashier Bea"]
        x = again.engine.terminal.x_report()
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
