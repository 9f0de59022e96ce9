"""No internal identifier on any screen: every screen and overlay of the till, walked the way
a cashier and a manager use them against the real provider, and every word drawn read back
from the widgets and checked for the code's names (enum values, snake_case keys)."""

from __future__ import annotations

import contextlib
import gc
import re
import tkinter as tk
import types
import typing
from dataclasses import fields, is_dataclass
from tkinter import ttk
from typing import Any, Literal

import pytest

from posapp.config import Config
from posapp.contract import answers
from posapp.core import glossary
from posapp.core.entry import Outcome, State
from posapp.ui.amount import AmountOverlay
from posapp.ui.cards import CardsScreen
from posapp.ui.confirm import ConfirmOverlay
from posapp.ui.forms import FormOverlay
from posapp.ui.menu import ManagerMenu
from posapp.ui.pick import PickOverlay
from posapp.ui.preview import PreviewScreen
from posapp.ui.reports import ReportsScreen
from posapp.ui.settings import SettingsScreen
from posapp.ui.signin import SignInScreen
from tests.gui import test_cashier
from tests.gui.conftest import PIN, Till, key, pump_until, wedge_scan
from tests.gui.test_cashier import overlay_of
from tests.gui.test_screens import manager_screen

pytestmark = pytest.mark.gui

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _values(literal: Any) -> set[str]:
    """The values of a Literal, or of a union of Literals and None."""
    found: set[str] = set()
    for arg in typing.get_args(literal):
        if typing.get_origin(arg) is Literal or typing.get_origin(arg) in (
            typing.Union,
            types.UnionType,
        ):
            found |= _values(arg)
        elif isinstance(arg, str):
            found.add(arg)
    return found


def _config_keys(kind: Any) -> set[str]:
    found = set()
    for f in fields(kind):
        found.add(f.name)
        tp = typing.get_type_hints(kind)[f.name]
        inner = typing.get_args(tp)[0] if typing.get_origin(tp) is tuple else tp
        if is_dataclass(inner):
            found |= _config_keys(inner)
    return found


GIFT = typing.get_type_hints(answers.Gift)
# The code's names that are plain words too ("issue", "item"): raw when they are all a cell
# or a label says. snake_case names are raw wherever they appear.
RAW = (
    _values(GIFT["status"])
    | _values(GIFT["not_redeemable_reason"])
    | _values(GIFT["kind"])
    | _values(answers.TransactionType)
    | _values(State)
    | _values(Outcome)
    | {"cash_out", "monetary"}
    # config.md's choices (scanner.mode "wedge", printer.transport "virtual" ...)
    | {str(v) for choices in glossary.CHOICE.values() for v in choices}
) - {"active", "CR", "LF", ""}  # "" ([terminal] language: the OS's) is no word on paper


def texts(widget: tk.Misc) -> list[str]:
    """Every word the widget and its mapped children show."""
    found: list[str] = []
    if not widget.winfo_ismapped():
        return found
    if isinstance(widget, ttk.Treeview):
        found += [str(widget.heading(c, "text")) for c in widget.cget("columns")]
        for item in widget.get_children():
            found += [str(v) for v in widget.item(item, "values")]
    elif isinstance(widget, tk.Text):
        found.append(widget.get("1.0", "end"))
    elif isinstance(widget, ttk.Notebook):
        found += [str(widget.tab(t, "text")) for t in widget.tabs()]
    elif isinstance(widget, ttk.Combobox):
        found += [str(v) for v in widget.cget("values")] + [widget.get()]
    elif isinstance(widget, ttk.Entry | tk.Entry):
        if not widget.cget("show"):
            found.append(widget.get())
    else:
        with contextlib.suppress(tk.TclError):
            found.append(str(widget.cget("text")))
    for child in widget.winfo_children():
        found += texts(child)
    return found


def press(till: Till, keysym: str) -> None:
    """A key where the focus is, after every key sent so far. Closed overlays' Tk variables
    are collected here, on the Tk thread, not later by a worker thread's allocation."""
    gc.collect()
    press.at += 10  # type: ignore[attr-defined]
    key(till.root.focus_get() or till.window.scan_field, keysym, press.at)  # type: ignore[attr-defined]
    till.root.update()


press.at = 3_000_000  # type: ignore[attr-defined]


def look(till: Till, where: str) -> list[str]:
    """The window's words now; fails on any internal name."""
    till.root.update()
    shown = [t for t in texts(till.root) if t.strip()]
    for text in shown:
        assert not SNAKE.search(text), f"{where}: {text!r}"
        assert text.strip() not in RAW, f"{where}: {text!r}"
        assert not re.search(r"\b1 items\b", text), f"{where}: {text!r}"
    return shown


def test_no_screen_shows_an_internal_name(till: Till) -> None:
    window = till.window
    assert "require_pin_for" in _config_keys(Config)  # the names this test hunts exist
    assert {"not_yet_usable", "gift_card_cash_out", "issue", "pending"} <= RAW
    assert "scanner: USB keyboard" in look(till, "the empty till")
    cards = manager_screen(till, "cards", CardsScreen)
    assert isinstance(cards, CardsScreen)
    pump_until(till.root, lambda: len(cards.tree.get_children()) > 5, what="the cards")
    said = look(till, "the gift cards screen")
    assert {"Expired", "Used up"} <= set(said)
    assert any(words.startswith("Not usable until ") for words in said)  # and its day
    press(till, "Escape")  # back to the manager menu, then to the till
    pump_until(till.root, lambda: isinstance(window.overlay, ManagerMenu), what="the menu")
    press(till, "Escape")
    pump_until(till.root, lambda: window.overlay is None, what="the cards screen to close")
    for n in range(1, 10):
        wedge_scan(window, f"SVS_GC-50000000000000{n}")
        pump_until(
            till.root,
            lambda n=n: window.till.card is not None and window.till.card.code.endswith(str(n)),
        )
        said = look(till, f"card {n}")
        if n == 4:
            assert any(re.match(r"\$40\.00 held, expired \d+ \w{3} \d{4}\. Tell", t) for t in said)
    test_cashier.test_f2_amount_enter_redeems_and_prints(till)
    press(till, "F2")
    overlay_of(till, AmountOverlay)
    look(till, "the amount overlay")
    press(till, "Escape")
    wedge_scan(window, "SVS_GC-500000000000002")
    pump_until(
        till.root,
        lambda: window.till.card is not None and window.till.card.code.endswith("2"),
        what=f"card 2 ({window.till.phase}, {window.till.message})",
    )
    press(till, "F8")
    pin = overlay_of(till, ConfirmOverlay)
    assert isinstance(pin, ConfirmOverlay)
    look(till, "the cash-out PIN prompt")
    pin.pin = PIN
    pin.enter()
    pump_until(till.root, lambda: len(till.printer.jobs) == 2, what="the cash-out receipt")
    pump_until(till.root, lambda: len(window.entries) == 2, what="the shift list")
    said = look(till, "after a cash-out")
    assert "CASHED OUT" in said
    assert {"Cash-out", "Redemption", "done"} <= set(said)
    press(till, "F7")
    chooser = overlay_of(till, PickOverlay)
    assert isinstance(chooser, PickOverlay)
    look(till, "the reversal list")
    chooser.enter()
    overlay_of(till, ConfirmOverlay)
    look(till, "the reversal PIN prompt")
    press(till, "Escape")
    for action in ("F5", "F6"):
        press(till, action)
        overlay_of(till, AmountOverlay)
        look(till, f"{action}'s overlay")
        press(till, "Escape")
    press(till, "F9")
    pump_until(till.root, lambda: window.till.message.startswith("Reprinted: "), what="reprint")
    look(till, "after a reprint")
    press(till, "F12")
    pin = overlay_of(till, ConfirmOverlay)
    assert isinstance(pin, ConfirmOverlay)
    look(till, "the manager menu's PIN prompt")
    pin.pin = PIN
    pin.enter()
    overlay_of(till, ManagerMenu)
    look(till, "the manager menu")
    press(till, "Escape")
    pump_until(till.root, lambda: window.overlay is None, what="the menu to close")
    for name, kind in (
        ("preview", PreviewScreen),
        ("settings", SettingsScreen),
        ("signin", SignInScreen),
        ("reports", ReportsScreen),
    ):
        screen = manager_screen(till, name, kind)
        if isinstance(screen, PreviewScreen):
            pump_until(till.root, lambda s=screen: s.photo is not None, what="the picture")
        if isinstance(screen, SettingsScreen):
            for tab in screen.book.tabs():
                screen.book.select(tab)
                look(till, f"settings, {screen.book.tab(tab, 'text')}")
        if isinstance(screen, ReportsScreen):
            pump_until(till.root, lambda s=screen: "Net on cards" in s.text.get("1.0", "end"))
            screen.z_report()
            form = pump_until(till.root, lambda s=screen: s.form, what="the Z report's PIN")
            assert isinstance(form, FormOverlay)
            look(till, "the Z report's PIN")
            assert isinstance(form.first_field, ttk.Entry)
            form.first_field.insert(0, PIN)
            form.enter()
            pump_until(till.root, lambda s=screen: "Shift closed" in s.text.get("1.0", "end"))
        look(till, f"the {name} screen")
        press(till, "Escape")  # back to the manager menu, then to the till
        if name != "signin":  # from the sign-in, straight to the till (the second trial)
            pump_until(till.root, lambda: isinstance(window.overlay, ManagerMenu), what="menu")
            press(till, "Escape")
        pump_until(till.root, lambda: window.overlay is None, what="the screen to close")
    pump_until(till.root, lambda: window.shift.get_children() == (), what="an empty shift")
    look(till, "after the Z report")
    gc.collect()
