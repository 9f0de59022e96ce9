"""Offline losses (F12, behind the manager PIN; issue 24.4): every redemption taken while the
provider could not be reached that the provider declined when the till forwarded it (the
card was spent elsewhere meanwhile), with the card's last four, when it was taken and how
much: what selling offline cost the store. terminal/offline.py reads them from the journal,
off the Tk thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from posapp.core.money import format_money
from posapp.i18n import N_, _
from posapp.ui.host import ScreenHost
from posapp.ui.listing import list_on, when
from posapp.ui.screen import Screen

if TYPE_CHECKING:
    from posapp.core.offline_tally import Loss

TITLE = N_("Offline redemptions the provider declined")
COLUMNS = ((N_("Card"), 160), (N_("Taken"), 200), (N_("Amount"), 160))
NONE = N_("No offline redemption was declined: nothing was lost.")


class OfflineLossesScreen(Screen):
    def __init__(self, window: ScreenHost) -> None:
        super().__init__(window, _(TITLE))
        columns = [(name, _(name), width) for name, width in COLUMNS]
        self.tree = list_on(self, columns, stretch="Taken")
        self.rows: list[Loss] = []
        offline = window.services_.terminal.offline
        self.call(_("Reading the journal…"), offline.losses, self._show)

    def _show(self, losses: list[Loss]) -> None:
        self.rows = losses
        locale = self.window.locale
        for loss in losses:
            self.tree.insert(
                "",
                "end",
                values=(
                    loss.card,
                    when(loss.taken_at),
                    format_money(loss.amount, loss.currency, locale),
                ),
            )
        if not losses:
            self.say(_(NONE), "ok")
            return
        lost = sum(loss.amount for loss in losses)
        amount = format_money(lost, losses[0].currency, locale)
        said = _(
            "Not collected in all: {amount}. Each card was spent elsewhere before the till "
            "could send its redemption."
        ).format(amount=amount)
        self.say(said, "bad")
