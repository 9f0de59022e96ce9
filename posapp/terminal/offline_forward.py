"""Forwarding what was taken offline (issue 24.3): each offline redemption sent once the
provider answers again, in the order it was taken, with the key it was journalled with.

Settled by the rule every unknown movement follows (lookup.find_or_send): asked by the till's
reference first (a forward whose answer was lost may have gone through: found, it is
recorded), sent with its own key only when the provider has none, and never sent while the
provider cannot say (a key it may have forgotten would charge twice); its answer checked
against the card read just before. Never canceled, as an unknown online movement may be:
the customer has the goods, so it is collected or it is the store's loss. A decline (the card
was spent elsewhere meanwhile) is that loss: recorded once, settled declined, offline (the
X and Z reports and the manager's list read it: core/offline_tally.py), and the card's
last known balance forgotten: it is not taken offline again until seen online. A provider that
does not answer stops the pass: what was taken later waits, so the order holds.
"""

from __future__ import annotations

import logging

from posapp.core.entry import Entry
from posapp.core.gift import Movement
from posapp.terminal.lookup import find_or_send
from posapp.terminal.ports import (
    Declined,
    Doubted,
    GiftProvider,
    OutcomeUnknown,
    Settling,
    Unreachable,
)

log = logging.getLogger("posapp.settle")

LOST = (
    "Not collected: the provider declined this redemption, taken offline, when the till sent "
    "it ({why}). The store gave the goods; the X and Z reports count it"
)


def forward(
    provider: GiftProvider, journal: Settling, entry: Entry, *, now: float, locale: str
) -> bool:
    """The offline entry sent (or found) and its outcome journalled: True when it is
    settled, False when the provider did not say (the pass stops there, for the order)."""
    try:
        movement = find_or_send(provider, entry, now=now, locale=locale, cancel=False)
        if not isinstance(movement, Movement):  # not canceled, not held back: never here
            return False
    except Declined as exc:
        journal.record(entry.id, "settled", outcome="declined", error=LOST.format(why=exc))
        journal.forget_card(entry.code)  # its balance as last seen is not what it holds
        log.warning("offline entry %s declined when forwarded: the store's loss", entry.id)
        return True
    except Doubted as exc:  # kept with the answer for the manager; asked again later
        journal.record(entry.id, "unknown", error=str(exc), answer=exc.answer)
        return False
    except (OutcomeUnknown, Unreachable) as exc:
        log.info("offline entry %s not forwarded yet: %s", entry.id, type(exc).__name__)
        return False
    journal.record_movement(entry.id, movement, settled=True)
    log.info("offline entry %s forwarded: transaction %s", entry.id, movement.transaction.id)
    return True
