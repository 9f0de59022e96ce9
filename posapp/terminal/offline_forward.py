"""Forwarding what was taken offline (issue 24.3): each offline redemption sent once the
provider answers again, in the order it was taken, with the key it was journalled with.

Asked by the till's reference first (a forward whose answer was lost may have gone
through: found, it is recorded), then sent with its own key, which the provider answers
once. Never canceled, as an unknown online movement may be (lookup.find_or_send): the
customer has the goods, so it is collected or it is the store's loss. A decline (the card
was spent elsewhere meanwhile) is that loss: recorded once, settled declined, offline (the
X and Z reports and the manager's list read it: core/offline_tally.py), and the card's
last known balance forgotten: it is not taken offline again until seen online. A provider that
does not answer stops the pass: what was taken later waits, so the order holds.
"""

from __future__ import annotations

import logging

from posapp.core.entry import Entry
from posapp.terminal.lookup import believed
from posapp.terminal.ports import (
    Declined,
    Doubted,
    GiftProvider,
    LookupFailed,
    OutcomeUnknown,
    Settling,
    Unreachable,
)

log = logging.getLogger("posapp.settle")

LOST = (
    "Not collected: the provider declined this redemption, taken offline, when the till sent "
    "it ({why}). The store gave the goods; the X and Z reports count it"
)


def forward(provider: GiftProvider, journal: Settling, entry: Entry, *, locale: str) -> bool:
    """The offline entry sent (or found) and its outcome journalled: True when it is
    settled, False when the provider did not say (the pass stops there, for the order)."""
    intent, key = entry.intent, entry.idempotency_key
    try:
        try:
            movement = provider.look_up(intent, key)
        except LookupFailed:  # no reference kept, or the provider cannot say: send it
            movement = None
        if movement is None:
            movement = provider.send(intent, key)
        believed(intent, movement, currency=entry.currency, locale=locale)
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
