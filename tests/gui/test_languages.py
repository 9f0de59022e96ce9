"""Every screen in every language (issue 25 point 1): the till walked as a cashier and a
manager use it, against the real provider, in the window's widget tier at 1024x768.

- In the pseudo-locale (tests/i18n_marks.py: every message marked «...») every word drawn
  is a message of the catalogs or data (a name, a code, an amount): an English string left
  unwrapped fails, named with where it was seen.
- In German, French, Spanish and English no widget is clipped: each label and button gets
  the size its words ask for, inside the 1024x768 window, and no list cell is cut.
"""

from __future__ import annotations

import contextlib
import gc
import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk

import pytest

from posapp.ui.amount import AmountOverlay
from posapp.ui.calibration import CalibrationScreen
from posapp.ui.cards import CardsScreen
from posapp.ui.confirm import ConfirmOverlay
from posapp.ui.forms import FormOverlay
from posapp.ui.menu import ManagerMenu
from posapp.ui.pick import PickOverlay
from posapp.ui.preview import PreviewScreen
from posapp.ui.refund_cards import RefundCardsScreen
from posapp.ui.reports import ReportsScreen
from posapp.ui.settings import SettingsScreen
from posapp.ui.signin import SignInScreen
from tests.gui.conftest import PIN, Till, key, person_types, pump_until, wedge_scan
from tests.gui.test_cashier import overlay_of
from tests.gui.test_screens import manager_screen
from tests.gui.test_words import texts
from tests.i18n_marks import speaking, unmarked

pytestmark = pytest.mark.gui

# What a screen may show that is no message: the test config's store and till, the demo
# cards' items and patterns, the provider's own words for a card, a key's name, the units.
DATA = (
    "Corner Books",
    "Main Street",
    "Springfield",
    "Till 1",
    "Coffee",
    "SVS_GC",
    "SVS gift card",
    "USD",
    "Thank you!",
    "posapp",
    "Esc",
    "Enter",
    "BackSpace",
    "F12",
    "XJ-0123456789CGSV_JX",  # the calibration code: the patterns' characters between marks
)


def shown(widget: tk.Misc) -> list[str]:
    """The words drawn, as test_words reads them, less what a person typed or set up: an
    entry's text and the settings' tables are the config's own values, not messages."""
    if not widget.winfo_ismapped():
        return []
    if isinstance(widget, tk.Text) and isinstance(widget.master.master, ttk.Notebook):
        return []
    if isinstance(widget, ttk.Entry) and not isinstance(widget, ttk.Combobox):
        return []
    if isinstance(widget, ttk.Treeview | tk.Text | ttk.Combobox):
        return texts(widget)
    found: list[str] = []
    if isinstance(widget, ttk.Notebook):
        found += [str(widget.tab(t, "text")) for t in widget.tabs()]
    else:
        with contextlib.suppress(tk.TclError):
            found.append(str(widget.cget("text")))
    for child in widget.winfo_children():
        found += shown(child)
    return found


def walk(till: Till, seen: Callable[[str], None]) -> None:
    """The till's screens and overlays, each `seen` once drawn; language-neutral waits."""
    window = till.window
    till.root.geometry("1024x768+0+0")
    pump_until(till.root, lambda: till.root.winfo_width() == 1024, what="1024 px")
    pump_until(till.root, lambda: window.till.currency, what="the store's currency")
    seen("the empty till")
    for n in (1, 3, 4, 5, 8):  # can pay, used up, expired, not yet usable, items
        wedge_scan(window, f"SVS_GC-50000000000000{n}")
        pump_until(
            till.root,
            lambda n=n: window.till.card is not None and window.till.card.code.endswith(str(n)),
            what=f"card {n}",
        )
        seen(f"card {n}")
    wedge_scan(window, "SVS_GC-500000000000001")
    pump_until(till.root, lambda: window.till.card and window.till.card.code.endswith("1"))
    key(window.scan_field, "F2", 1)
    amount = overlay_of(till, AmountOverlay)
    assert isinstance(amount, AmountOverlay)
    person_types(window, amount.field, "25.")
    seen("the amount overlay")
    key(amount.field, "Return", 2)
    pump_until(till.root, lambda: len(till.printer.jobs) == 1, what="the redemption")
    pump_until(till.root, lambda: window.till.phase == "card", what="the card again")
    seen("after a redemption")
    wedge_scan(window, "SVS_GC-500000000000002")
    pump_until(till.root, lambda: window.till.card and window.till.card.code.endswith("2"))
    key(window.scan_field, "F8", 3)
    pin = overlay_of(till, ConfirmOverlay)
    assert isinstance(pin, ConfirmOverlay)
    seen("the cash-out PIN prompt")
    pin.pin = PIN
    pin.enter()
    pump_until(till.root, lambda: len(till.printer.jobs) == 2, what="the cash-out receipt")
    pump_until(till.root, lambda: len(window.entries) == 2, what="the shift list")
    seen("after a cash-out")
    key(window.scan_field, "F7", 4)
    chooser = overlay_of(till, PickOverlay)
    assert isinstance(chooser, PickOverlay)
    seen("the reversal list")
    chooser.enter()
    overlay_of(till, ConfirmOverlay)
    seen("the reversal's PIN prompt")
    key(till.root.focus_get() or window.scan_field, "Escape", 5)
    pump_until(till.root, lambda: window.overlay is None, what="the reversal to close")
    for at, action in enumerate(("F5", "F6"), start=6):
        key(window.scan_field, action, at)
        overlay_of(till, AmountOverlay)
        seen(f"{action}'s overlay")
        key(till.root.focus_get() or window.scan_field, "Escape", at * 10)
        pump_until(till.root, lambda: window.overlay is None, what=f"{action} to close")
    key(window.scan_field, "F9", 9)
    pump_until(till.root, lambda: len(till.printer.jobs) == 3, what="the reprint")
    pump_until(till.root, lambda: window.till.phase in ("idle", "card"), what="reprinted")
    seen("after a reprint")
    screens = (
        ("cards", CardsScreen),
        ("preview", PreviewScreen),
        ("settings", SettingsScreen),
        ("signin", SignInScreen),
        ("refunds", RefundCardsScreen),
        ("calibrate", CalibrationScreen),
        ("reports", ReportsScreen),
    )
    for name, kind in screens:
        screen = manager_screen(till, name, kind)
        if isinstance(screen, CardsScreen):
            pump_until(till.root, lambda s=screen: len(s.tree.get_children()) > 5, what="cards")
        if isinstance(screen, PreviewScreen):
            pump_until(till.root, lambda s=screen: s.photo is not None, what="the picture")
        if isinstance(screen, RefundCardsScreen):
            pump_until(till.root, lambda s=screen: s.note.cget("text"), what="refund cards")
        if isinstance(screen, SettingsScreen):
            for tab in screen.book.tabs():
                screen.book.select(tab)
                till.root.update()
                seen(f"settings, {screen.book.tab(tab, 'text')}")
        if isinstance(screen, ReportsScreen):
            pump_until(till.root, lambda s=screen: s.text.get("1.0", "end").strip(), what="X")
            seen("the X report")
            screen.z_report()
            form = pump_until(till.root, lambda s=screen: s.form, what="the Z report's PIN")
            assert isinstance(form, FormOverlay)
            seen("the Z report's PIN")
            assert isinstance(form.first_field, ttk.Entry)
            form.first_field.insert(0, PIN)
            form.enter()
            pump_until(till.root, lambda: len(till.printer.jobs) == 4, what="the Z report")
            pump_until(till.root, lambda s=screen: s.form is None, what="the PIN form gone")
        seen(f"the {name} screen")
        key(till.root.focus_get() or window.scan_field, "Escape", 100)
        if name != "signin":  # from the sign-in, straight to the till
            pump_until(till.root, lambda: isinstance(window.overlay, ManagerMenu), what="menu")
            seen("the manager menu")
            key(till.root.focus_get() or window.scan_field, "Escape", 101)
        pump_until(till.root, lambda: window.overlay is None, what="the screen to close")
    key(window.scan_field, "F11", 200)  # a sale paid card by card (issue 23)
    due = overlay_of(till, AmountOverlay)
    assert isinstance(due, AmountOverlay)
    person_types(window, due.field, "30.")
    seen("the sale's amount due")
    key(due.field, "Return", 201)
    pump_until(till.root, lambda: window.till.in_sale and window.overlay is None, what="a sale")
    seen("a sale open")
    wedge_scan(window, "SVS_GC-500000000000001")
    pay = overlay_of(till, AmountOverlay)
    seen("a card paying toward the sale")
    key(till.root.focus_get() or window.scan_field, "Escape", 202)
    pump_until(till.root, lambda: window.overlay is not pay, what="the pay overlay to close")
    seen("a sale open, its card's payment put off")
    gc.collect()


def _font(widget: tk.Misc) -> tkfont.Font:
    if "font" in widget.keys() and str(widget.cget("font")):  # noqa: SIM118
        named = str(widget.cget("font"))
    elif isinstance(widget, ttk.Widget):
        style = str(widget.cget("style")) or widget.winfo_class()
        named = ttk.Style(widget).lookup(style, "font") or "TkDefaultFont"
    else:
        named = "TkDefaultFont"
    try:
        return tkfont.nametofont(str(named), root=widget)
    except tk.TclError:
        return tkfont.Font(root=widget, font=named)


def clipped(widget: tk.Misc, right: int, bottom: int) -> list[str]:
    """Each widget whose words do not fit the room it was given, or that lies outside the
    window (`right`, `bottom`: its edges on the screen)."""
    found: list[str] = []
    if not widget.winfo_ismapped():
        return found
    x, y = widget.winfo_rootx(), widget.winfo_rooty()
    width, height = widget.winfo_width(), widget.winfo_height()
    if isinstance(widget, ttk.Label | ttk.Button | ttk.Checkbutton | tk.Label | tk.Button):
        words = str(widget.cget("text"))
        if words.strip():
            # Its words against its size. A button of the till's six rows may give up its
            # padding, which its asked height counts: its width is checked, and that it lies
            # inside the window (a label wraps at its width and asks for its height).
            asked = widget.winfo_reqwidth(), widget.winfo_reqheight()
            tall = not isinstance(widget, ttk.Button) and asked[1] > height + 1
            if asked[0] > width + 1 or tall:
                found.append(f"{words!r} asks {asked[0]}x{asked[1]}, has {width}x{height}")
            if x + width > right + 1 or y + height > bottom + 1:
                found.append(f"{words!r} reaches past the window ({x + width}, {y + height})")
            outer = widget.master
            if outer is not None and outer.winfo_ismapped():  # cut by what holds it
                edge = outer.winfo_rootx() + outer.winfo_width()
                if x + width > edge + 1:
                    found.append(f"{words!r} reaches past its frame ({x + width} > {edge})")
    elif isinstance(widget, ttk.Treeview):
        font = _font(widget)
        for column in widget.cget("columns"):
            room = int(widget.column(column, "width"))
            cells = [str(widget.heading(column, "text"))]
            cells += [str(widget.set(item, column)) for item in widget.get_children()]
            for cell in cells:
                if font.measure(cell) > room:
                    found.append(f"{cell!r} cut in a column {room} px wide")
    for child in widget.winfo_children():
        found += clipped(child, right, bottom)
    return found


@pytest.mark.parametrize("language", ["pseudo"])
def test_every_word_on_every_screen_is_a_message(
    request: pytest.FixtureRequest, language: str
) -> None:
    """An English string left unwrapped is drawn unmarked in the pseudo-locale: named here."""
    wrong: list[str] = []
    with speaking(language):
        till: Till = request.getfixturevalue("till")

        def seen(where: str) -> None:
            till.root.update()
            for text in shown(till.root):
                if left := unmarked(text, DATA):
                    wrong.append(f"{where}: {left} in {text!r}")

        walk(till, seen)
    assert not wrong, "\n".join(dict.fromkeys(wrong))


@pytest.mark.parametrize("language", ["de", "fr", "es", "en"])
def test_every_screen_fits_1024x768_in_each_language(
    request: pytest.FixtureRequest, language: str
) -> None:
    wrong: list[str] = []
    with speaking(language):
        till: Till = request.getfixturevalue("till")

        def seen(where: str) -> None:
            till.root.update()
            root = till.root
            right, bottom = root.winfo_rootx() + 1024, root.winfo_rooty() + 768
            wrong.extend(f"{where}: {problem}" for problem in clipped(root, right, bottom))

        walk(till, seen)
    assert not wrong, "\n".join(dict.fromkeys(wrong))
