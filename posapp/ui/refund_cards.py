"""Refund cards (F12, behind the manager PIN): each card issued as a refund in the last month
(posapp.terminal.issue.DAYS), with its full code, for a customer whose receipt did not print or was lost
(issue 19). posapp.terminal.issue finds them in the journal, off the Tk thread."""

from __future__ import annotations

from datetime import datetime
from tkinter import ttk

from posapp.core import glossary
from posapp.core.money import format_money
from posapp.i18n import N_, _, ngettext
from posapp.terminal.issue import DAYS, RefundCard
from posapp.ui.host import ScreenHost
from posapp.ui.listing import list_on, when
from posapp.ui.screen import Screen

COLUMNS = (("when", 150), ("amount", 130), ("code", 330), ("state", 230))
HEADINGS = {"when": N_("When"), "amount": N_("Amount"), "code": N_("Code"), "state": N_("State")}
VOIDED = N_("voided")


class RefundCardsScreen(Screen):
    def __init__(self, window: ScreenHost) -> None:
        super().__init__(
            window,
            ngettext(
                "Cards issued as refunds in the last {days} day",
                "Cards issued as refunds in the last {days} days",
                DAYS,
            ).format(days=DAYS),
        )
        ttk.Style(window.root).configure("Codes.Treeview", font=self.fonts["mono"], rowheight=28)
        columns = [(name, _(HEADINGS[name]), width) for name, width in COLUMNS]
        self.tree = list_on(self, columns, stretch="code", style="Codes.Treeview")
        self.rows: list[RefundCard] = []
        from posapp.terminal.issue import refund_cards

        journal = window.services_.terminal.journal
        self.call(_("Reading the journal…"), lambda: refund_cards(journal), self._show)

    def _show(self, cards: list[RefundCard]) -> None:
        self.rows = cards
        for card in cards:
            entry = card.entry
            self.tree.insert(
                "",
                "end",
                values=(
                    when(datetime.fromtimestamp(entry.created_at)),
                    format_money(entry.amount or 0, entry.currency, self.window.locale),
                    _("(not known yet)") if entry.card_code is None else entry.card_code,
                    _(VOIDED) if card.voided else glossary.entry_state(entry),
                ),
            )
        if not cards:
            self.say(
                ngettext(
                    "No card was issued as a refund in the last {days} day.",
                    "No card was issued as a refund in the last {days} days.",
                    DAYS,
                ).format(days=DAYS),
                "muted",
            )
            return
        self.tree.selection_set(self.tree.get_children()[0])
        said = _("Give the customer their card's code: it holds their refund.")
        if any(card.voided for card in cards):
            said += " " + _(
                'A card "{voided}" was closed (F7) and holds nothing: never give its code.'
            ).format(voided=_(VOIDED))
        self.say(said, "muted")
