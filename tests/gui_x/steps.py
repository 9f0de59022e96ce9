"""Steps many tests of this tier take the same way: an overlay open and ready for keys, or
closed; an amount typed; a card sold; the manager's menu behind the PIN, one of its screens."""

from __future__ import annotations

from typing import Any

from tests.gui_x.conftest import PIN, Till


def overlay_open(till: Till, kind: str) -> object:
    """The overlay of that class, mapped, with the keyboard focus in its first field."""

    def ready() -> object:
        overlay = till.window.overlay
        if type(overlay).__name__ != kind or not overlay.winfo_ismapped():
            return None
        first = overlay.first_field
        return overlay if first is not None and till.root.focus_get() is first else None

    return till.pump_until(ready, f"the {kind} with the focus in its first field")


def closed(till: Till) -> None:
    till.pump_until(lambda: till.window.overlay is None, "the overlay to close")
    till.settle()


def typed_amount(till: Till, keys: str, shows: str) -> Any:
    amount = overlay_open(till, "AmountOverlay")
    till.type(keys)
    till.pump_until(lambda: amount.field.get() == shows, shows)
    return amount


def sell(till: Till, keys: str, shows: str, scan: str) -> None:
    """F5, the amount, Enter, the card scanned, Enter on the confirm: a card sold."""
    till.key("F5")
    typed_amount(till, keys, shows)
    sold_on(till, scan)


def sold_on(till: Till, scan: str) -> None:
    """The amount typed: Enter, the card scanned, Enter on the confirm: the card sold."""
    till.key("Return")
    till.pump_until(lambda: till.window.till.phase == "selling", "the till to wait for a card")
    till.scan(scan)
    overlay_open(till, "ConfirmOverlay")
    till.key("Return")
    closed(till)
    till.pump_until(lambda: "gift card sold" in till.says().lower(), "the sale done")
    till.settle()


def manager_menu(till: Till) -> Any:
    """F12 and the manager's PIN: the manager menu, its first button focused."""
    till.key("F12")
    overlay_open(till, "ConfirmOverlay")
    till.type(PIN, 80, 110)
    till.key("Return")
    till.pump_until(lambda: till.window.till.screen == "manager", "the manager menu")
    menu = till.window.overlay
    till.pump_until(lambda: till.root.focus_get() is menu.first_field, "focus in the menu")
    till.settle()
    return menu


def menu_screen(till: Till, name: str) -> Any:
    """The manager menu's screen `name` (a ScreenName), its button clicked."""
    till.click(manager_menu(till).choices[name])
    return till.pump_until(
        lambda: till.window.till.screen == name and till.window.overlay, f"the {name} screen"
    )
