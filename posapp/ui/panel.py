"""The card panel (product.md, "Screens" 1): serial masked to the last four, balance in large
type, status badge in words and colour, kind, validity, restrictions, the provider's
description. Its size is fixed by the window; long words are cut or wrapped, never widen it."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk
from typing import Any

from posapp.core.gift import Gift, mask
from posapp.ui import theme

BADGE_CHARS = 22  # a longer status is cut with "…": the badge never pushes the panel wider
DETAIL_LINES = 4


def elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def status_words(gift: Gift) -> tuple[str, str]:
    """The badge: words, and the colour that goes with them."""
    status = gift.not_redeemable_reason or gift.status
    colour = (
        "bad" if status == "location_not_allowed" else theme.STATUS_COLOURS.get(status, "muted")
    )
    return elide(status.replace("_", " ").upper(), BADGE_CHARS), colour


def details(gift: Gift) -> str:
    validity = f"until {gift.expires_at:%d %b %Y}" if gift.expires_at else "no expiry"
    restrictions = "promotional" if gift.promotional else "none"
    if gift.not_redeemable_reason == "location_not_allowed":
        restrictions = "not valid at this location"
    kind = "items" if gift.kind == "item" else "money"
    lines = [
        *gift.present_value_description.splitlines()[: DETAIL_LINES - 1],
        f"Kind: {kind}   Valid: {validity}   Restrictions: {restrictions}",
    ]
    return "\n".join(line for line in lines if line)


class CardPanel(ttk.Frame):
    def __init__(self, master: tk.Misc, fonts: dict[str, Any], wrap: int) -> None:
        super().__init__(master, style="Card.TFrame", padding=16)
        self.grid_propagate(False)  # its size comes from the window, never from its text
        self.columnconfigure(0, weight=1)
        self.serial = ttk.Label(self, text="No card", style="Card.TLabel", font=fonts["big"])
        self.serial.grid(row=0, column=0, sticky="w")
        self.status = ttk.Label(self, text="", style="Card.TLabel")
        self.status.grid(row=0, column=1, sticky="e")
        self.balance = ttk.Label(self, text="—", style="Card.TLabel", font=fonts["huge"])
        self.balance.grid(row=1, column=0, columnspan=2, sticky="w", pady=6)
        self.details = ttk.Label(
            self,
            text="Scan a gift card to see what it is worth.",
            style="Card.TLabel",
            wraplength=wrap,
            justify="left",
        )
        self.details.grid(row=2, column=0, columnspan=2, sticky="nw")
        self.message = ttk.Label(
            self, text="", style="Card.TLabel", wraplength=wrap, justify="left"
        )
        self.message.grid(row=3, column=0, columnspan=2, sticky="nw", pady=(10, 0))
        self.shown: tuple[Gift | None, bool] | None = None

    def paint(self, gift: Gift | None, checking: bool, locale: str) -> None:
        if self.shown == (gift, checking):
            return
        self.shown = (gift, checking)
        if gift is None:
            self.serial.configure(text="Checking the card…" if checking else "No card")
            self.balance.configure(text="—", foreground=theme.COLOURS["muted"])
            self.status.configure(text="", style="Card.TLabel")
            self.details.configure(
                text="" if checking else "Scan a gift card to see what it is worth."
            )
            return
        words, colour = status_words(gift)
        self.serial.configure(text=f"Card {mask(gift.code)[-8:]}")
        self.balance.configure(
            text=gift.left(locale),
            foreground=theme.COLOURS["text" if gift.is_redeemable else "muted"],
        )
        self.status.configure(text=words, style=f"{colour}.Status.TLabel")
        self.details.configure(text=details(gift))

    def say(self, words: str, tone: str) -> None:
        colour = theme.COLOURS.get(tone, theme.COLOURS["text"])
        self.message.configure(text=words, foreground=colour)
