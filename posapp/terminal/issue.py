"""Cards issued as refunds, found again (issue 19): a refund to a new card gives the customer
only its code, on the receipt. Where the receipt did not print (no printer, paper out) or was
lost, the manager reads the code again from the journal, which keeps it in full.

The second trial (demo #3): the list was "this shift and the one before", so a second Z
press (an empty shift closed) dropped a refund issued an hour earlier out of it. It lists
the refunds of the last DAYS days, whatever the shifts, by index (journal version 10)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from posapp.core.entry import Entry
from posapp.terminal.ports import EntryFinder

DAYS = 31  # a month of refunds: a customer back with a lost slip within weeks is found
MOST = 500  # rows read at most: a busy month still fits one screen's scrolling


@dataclass(frozen=True, slots=True)
class RefundCard:
    """A refund to a new card, and its void when it has one (F7 voided the card)."""

    entry: Entry
    void: Entry | None = None

    @property
    def voided(self) -> bool:
        """The card was closed by a void (or one not confirmed yet): it holds no refund."""
        return self.void is not None and (self.void.moved_money or self.void.to_settle)


def refund_cards(
    journal: EntryFinder, days: int = DAYS, now: float | None = None
) -> list[RefundCard]:
    """The refunds to a new card of the last `days` days, newest first; one still to
    settle has no code yet (core.entry.NEW_CARD) until the provider answers. One declined or never
    sent made no card: it has no code to give (trial till #11/K), and is not listed. Each
    with its void, if any (the demo retrial: a voided refund card, canceled at $0.00, was
    listed "done" under "it holds their refund")."""
    since = (time.time() if now is None else now) - days * 86400
    return [
        RefundCard(e, journal.reversal_of(e.id))
        for e in journal.refunds_issued(since, MOST)
        if e.moved_money or e.to_settle
    ]
