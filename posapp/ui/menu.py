"""The manager menu (F12, behind the PIN) and the table of screens the till opens by name."""

from __future__ import annotations

import functools
from collections.abc import Callable
from tkinter import ttk

from posapp.core.till import Till
from posapp.core.till_events import ScreenName, ShowScreen
from posapp.i18n import N_, _
from posapp.ui import offline_switch
from posapp.ui.host import ScreenHost, TillHost
from posapp.ui.overlay import Overlay
from posapp.ui.screen import Screen

ENTRIES: tuple[tuple[ScreenName, str], ...] = (
    ("cards", N_("Gift cards")),
    ("settings", N_("Settings")),
    ("preview", N_("Receipt preview")),
    ("reports", N_("Reports")),
    ("signin", N_("Cashier sign-in")),
    ("refunds", N_("Refund cards")),
    ("calibrate", N_("Calibrate the scanner")),
    ("quit", N_("Quit posapp")),
)


class ManagerMenu(Screen):
    def __init__(self, window: ScreenHost) -> None:
        super().__init__(window, _("Manager"))
        self.choices: dict[str, ttk.Button] = {}
        for i, (name, words) in enumerate(ENTRIES, start=1):
            button = ttk.Button(
                self.panel,
                text=_(words),
                width=24,
                command=functools.partial(window.send, ShowScreen(name)),
            )
            button.grid(row=i, column=0, pady=3, sticky="w")  # nine rows and a note: 704 px
            self.choices[name] = button
        if window.config.offline.rules.on:  # beside the rest: the menu fits 1024x768
            self.choices.update(offline_switch.add(self, window))
        ttk.Button(self.panel, text=_("Close (Esc)"), command=window.escape).grid(
            row=len(ENTRIES) + 1, column=0, pady=12, sticky="w"
        )
        self.note.grid(row=len(ENTRIES) + 2, column=0, columnspan=2, sticky="w")
        self.first_field = self.choices["cards"]


def open_screen(window: ScreenHost, name: str) -> Screen:
    from posapp.ui.calibration import CalibrationScreen
    from posapp.ui.cards import CardsScreen
    from posapp.ui.offline_losses import OfflineLossesScreen
    from posapp.ui.preview import PreviewScreen
    from posapp.ui.quit import QuitScreen
    from posapp.ui.refund_cards import RefundCardsScreen
    from posapp.ui.reports import ReportsScreen
    from posapp.ui.settings import SettingsScreen
    from posapp.ui.signin import SignInScreen

    screens: dict[str, Callable[[ScreenHost], Screen]] = {
        "manager": ManagerMenu,
        "cards": CardsScreen,
        "settings": SettingsScreen,
        "preview": PreviewScreen,
        "reports": ReportsScreen,
        "signin": SignInScreen,
        "refunds": RefundCardsScreen,
        "losses": OfflineLossesScreen,
        "quit": QuitScreen,
        "calibrate": CalibrationScreen,
    }
    return screens[name](window)


def overlay_key(till: Till) -> tuple[object, ...] | None:
    """Which overlay the till's state shows (None: the cashier screen alone); while the key
    stays the same, the overlay open stays and is refreshed."""
    if till.phase == "entering":
        return ("entering", till.purpose)
    if till.phase == "confirming":
        return ("confirming", id(till.pending))
    if till.phase == "picking":
        return ("picking",)
    if till.phase == "card_pin":
        return ("card_pin",)
    if till.phase == "screen":
        return ("screen", till.screen)
    return None


def open_overlay(window: ScreenHost, key: tuple[object, ...]) -> Overlay:
    from posapp.ui.amount import AmountOverlay
    from posapp.ui.card_pin import CardPinOverlay
    from posapp.ui.confirm import ConfirmOverlay
    from posapp.ui.pick import PickOverlay

    if key[0] == "screen":
        return open_screen(window, str(key[1]))
    makers: dict[object, Callable[[TillHost], Overlay]] = {
        "entering": AmountOverlay,
        "confirming": ConfirmOverlay,
        "picking": PickOverlay,
        "card_pin": CardPinOverlay,
    }
    return makers[key[0]](window)
