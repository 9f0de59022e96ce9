"""The card panel (product.md, "Screens" 1): serial masked to the last four, balance in large
type, status badge in words and colour, kind, validity, restrictions, the provider's
description. Its size is fixed by the window; long words are cut or wrapped, never widen it."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from posapp.core.cardview import CardView
from posapp.core.gift import Gift
from posapp.core.sale_view import SaleView
from posapp.i18n import _
from posapp.ui import theme
from posapp.ui.theme import Fonts

BADGE_CHARS = 22  # a longer status is cut with "…": the badge never pushes the panel wider
DETAIL_LINES = 4


def elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CardPanel(ttk.Frame):
    def __init__(self, master: tk.Misc, fonts: Fonts, wrap: int) -> None:
        super().__init__(master, style="Card.TFrame", padding=16)
        self.grid_propagate(False)  # its size comes from the window, never from its text
        self.columnconfigure(0, weight=1)
        self.serial = ttk.Label(self, text=_("No card"), style="Card.TLabel", font=fonts["big"])
        self.serial.grid(row=0, column=0, sticky="w")
        self.status = ttk.Label(self, text="", style="Card.TLabel")
        self.status.grid(row=0, column=1, sticky="e")
        self.balance = ttk.Label(self, text="—", style="Card.TLabel", font=fonts["huge"])
        self.balance.grid(row=1, column=0, columnspan=2, sticky="w", pady=6)
        self.details = ttk.Label(
            self,
            text=_("Scan a gift card to see what it is worth."),
            style="Card.TLabel",
            wraplength=wrap,
            justify="left",
        )
        self.details.grid(row=2, column=0, columnspan=2, sticky="nw")
        self.message = ttk.Label(
            self, text="", style="Card.TLabel", wraplength=wrap, justify="left"
        )
        self.message.grid(row=3, column=0, columnspan=2, sticky="nw", pady=(10, 0))
        self.aside = ttk.Label(  # a line apart from the result (core/till_state.py TillState.aside)
            self, text="", style="Card.TLabel", wraplength=wrap, justify="left"
        )
        self.aside.configure(foreground=theme.COLOURS["muted"])
        self.aside.grid(row=4, column=0, columnspan=2, sticky="nw", pady=(8, 0))
        # The cash-out law that entitles the holder (CardView.law): last, so that a long
        # result ("NOT CONFIRMED: ... hold the goods") is never the line the panel cuts.
        self.law = ttk.Label(self, text="", style="Card.TLabel", wraplength=wrap, justify="left")
        self.law.configure(foreground=theme.COLOURS["accent"])
        self.law.grid(row=5, column=0, columnspan=2, sticky="nw", pady=(8, 0))
        self.law.grid_remove()  # until a law says something (say_law)
        self.shown: tuple[Gift | None, CardView | None, bool] | SaleView | None = None

    def paint(
        self, gift: Gift | None, view: CardView | None, checking: bool, sale: SaleView | None
    ) -> None:
        """The card in posapp.core.cardview's words (`view`, the till's, made once for the
        card): what it can pay, or what it holds (muted) and why it cannot; a card paid out
        in cash reads "Cashed out", neutrally; a law that entitles the holder to the balance
        in cash says so under the details (issue 25.3). An open sale (`sale`) takes its place."""
        if sale is not None:
            self.paint_sale(sale)
            return
        if self.shown == (gift, view, checking):
            return
        self.shown = (gift, view, checking)
        self.say_law(view.law if gift is not None and view is not None else "")
        if gift is None or view is None:
            self.serial.configure(text=_("Checking the card…") if checking else _("No card"))
            self.balance.configure(text="—", foreground=theme.COLOURS["muted"])
            self.status.configure(text="", style="Card.TLabel")
            self.details.configure(
                text="" if checking else _("Scan a gift card to see what it is worth.")
            )
            return
        self.serial.configure(text=_("Card {card}").format(card=view.serial[-8:]))
        self.balance.configure(
            text=view.amount,
            foreground=theme.COLOURS["text" if view.amount_tone == "ok" else "muted"],
        )
        self.status.configure(
            text=elide(view.badge.upper(), BADGE_CHARS), style=f"{view.badge_tone}.Status.TLabel"
        )
        lines = view.details.splitlines()[:DETAIL_LINES]
        self.details.configure(text="\n".join(lines))

    def say_law(self, words: str) -> None:
        """The law's line, taking its row only when it says something: an empty one below
        the result would still reach past a short panel (openbox's 704 px window)."""
        self.law.configure(text=words)
        if words:
            self.law.grid()
        else:
            self.law.grid_remove()

    def paint_sale(self, view: SaleView) -> None:
        """A sale paid card by card (core/sale_view.py), in place of the card while it is
        open: due and paid by cards large, what is left largest, each card's payment below."""
        if self.shown == view:
            return
        self.shown = view
        self.say_law("")
        self.serial.configure(text=view.heading)
        self.balance.configure(text=view.left, foreground=theme.COLOURS["text"])
        self.status.configure(text="", style="Card.TLabel")  # the heading says "Due"
        self.details.configure(text=view.details)

    def say(self, words: str, tone: str, aside: str = "") -> None:
        colour = theme.COLOURS.get(tone, theme.COLOURS["text"])
        self.message.configure(text=words, foreground=colour)
        if self.aside.cget("text") != aside:
            self.aside.configure(text=aside)
