"""The manager menu's switch for offline selling (issue 24.1): "Offline selling: turn off for
this shift", and "turn on again", journalled as a manager's change (who, when) by
terminal/offline.py; shown only where [offline] is on. The till hears the switch at once
(`OfflineKnown`), the status bar at its next look."""

from __future__ import annotations

from tkinter import ttk

from posapp.core.money import format_money
from posapp.core.sign_in import manager_who
from posapp.core.till_events import OfflineKnown
from posapp.i18n import N_, _
from posapp.ui.host import ScreenHost
from posapp.ui.screen import Screen

TURN_OFF = N_("Offline selling: turn off for this shift")
TURN_ON = N_("Offline selling: turn on again")
TURNED_OFF = N_(
    "Offline selling is off for this shift: the till takes no gift card while the provider "
    "cannot be reached"
)
TURNED_ON = N_(
    "Offline selling is on again: up to {floor} a card while the provider cannot be reached"
)


def words(off: bool) -> str:
    return _(TURN_ON if off else TURN_OFF)


def add(screen: Screen, window: ScreenHost, row: int) -> ttk.Button:
    """The switch's button on the menu, at `row`; pressing it switches, off the Tk thread."""
    button = ttk.Button(screen.panel, width=36)
    button.configure(
        text=words(window.till.selling_offline.off_for_shift),
        command=lambda: switch(screen, window, button),
    )
    button.grid(row=row, column=0, pady=4, sticky="w")
    return button


def switch(screen: Screen, window: ScreenHost, button: ttk.Button) -> None:
    offline = window.services_.terminal.offline
    turn_off = not window.till.selling_offline.off_for_shift
    pin = "cards" in window.config.manager.require_pin_for  # the menu is behind the PIN
    who = manager_who(window.terminal.shift.cashier, pin=pin)

    def done() -> tuple[int, bool]:
        if turn_off:
            offline.turn_off_for_shift(who)
        else:
            offline.turn_on_for_shift(who)
        return offline.taken_this_shift(), offline.off_for_shift

    def said(known: tuple[int, bool]) -> None:
        taken, off = known
        window.send(OfflineKnown(taken, off))
        button.configure(text=words(off))
        floor = format_money(window.config.offline.floor, window.till.currency, window.locale)
        screen.say(_(TURNED_OFF) if off else _(TURNED_ON).format(floor=floor), "ok")

    screen.call(_("Saving…"), done, said)
