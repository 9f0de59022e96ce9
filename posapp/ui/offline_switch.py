"""The manager menu's switch for offline selling (issue 24.1): "Offline selling: turn off for
this shift", and "turn on again", journalled as a manager's change (who, when) by
terminal/offline.py; shown only where [offline] is on. The till hears the switch at once
(`OfflineKnown`), the status bar at its next look."""

from __future__ import annotations

import functools
from tkinter import ttk

from posapp.core.money import format_money
from posapp.core.sign_in import manager_who
from posapp.core.till_events import OfflineKnown, ShowScreen
from posapp.i18n import N_, _
from posapp.ui.host import ScreenHost
from posapp.ui.screen import Screen

LOSSES = N_("Offline losses")
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


def add(screen: Screen, window: ScreenHost) -> dict[str, ttk.Button]:
    """The menu's offline entries, in a column of their own beside the others: the losses
    screen, and the switch (pressing it switches, off the Tk thread)."""
    losses = ttk.Button(
        screen.panel,
        text=_(LOSSES),
        width=36,
        command=functools.partial(window.send, ShowScreen("losses")),
    )
    losses.grid(row=1, column=1, padx=(16, 0), pady=4, sticky="w")
    button = ttk.Button(screen.panel, width=36)
    button.configure(
        text=words(window.till.selling_offline.off_for_shift),
    )
    button.grid(row=2, column=1, padx=(16, 0), pady=4, sticky="w")
    # What the switch did, said under it (the menu's own note, at its foot, has one line).
    said = ttk.Label(screen.panel, text="", style="Card.TLabel", wraplength=440)
    said.grid(row=3, column=1, rowspan=3, padx=(16, 0), sticky="nw")
    button.configure(command=lambda: switch(screen, window, button, said))
    return {"losses": losses, "offline": button}


def switch(screen: Screen, window: ScreenHost, button: ttk.Button, said: ttk.Label) -> None:
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

    def switched(known: tuple[int, bool]) -> None:
        taken, off = known
        window.send(OfflineKnown(taken, off))
        button.configure(text=words(off))
        floor = format_money(window.config.offline.floor, window.till.currency, window.locale)
        said.configure(text=_(TURNED_OFF) if off else _(TURNED_ON).format(floor=floor))
        screen.say("", "ok")

    screen.call(_("Saving…"), done, switched)
