"""No blind resend, and no answer believed before it adds up (issue 18): the one rule for
settling a movement whose outcome is unknown, whichever API the provider speaks.

A provider keeps an idempotency key for a while only (api.md "Key retention and client
references"): a movement sent again with its key after that runs again. So before an
unknown movement is sent again, the provider is asked by the till's reference for it:
- found: it happened; the journal records it from the provider's transaction;
- the provider has none: a provider that cancels (api.md "Canceling a movement that never
  came", ports.Cancels) is asked to cancel it unless done, in one step: done after all (it
  arrived meanwhile), it is found; canceled, it is not charged and never can be, though
  its request may still be on its way (trial till #1/A: sent again minutes or a night
  later, it charged a customer long gone). Square has no such call: there it is sent again
  with the same key (nothing ran, or its key is still remembered and the answer is
  replayed) when the cashier was told the till would finish it (an outcome journalled
  unknown); a movement left pending by a till that stopped is not sent (settle.py says why);
- the provider cannot say (no answer, a fault, a provider without the lookup, an answer
  that does not fit): the outcome stays unknown, said so, never guessed.
An entry written before the till named its movements carries no reference: nothing can find
it, so it keeps the rule it was written under (sent again with its key) only while that key
is surely remembered (api.md: at least 24 hours), and stays unknown after.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Literal

from posapp.core.answer import doubts, in_words
from posapp.core.entry import Entry
from posapp.core.gift import Gift, Movement
from posapp.core.intent import Intent
from posapp.i18n import _
from posapp.terminal.ports import (
    Cancels,
    Doubted,
    GiftProvider,
    LookupFailed,
    NoReference,
    ProviderError,
)

log = logging.getLogger("posapp.settle")

# api.md "Idempotency": the least time a provider keeps a key.
KEYS_KEPT = timedelta(hours=24)
# find_or_send's answer for a movement the provider canceled: it never happened, never can.
CANCELED: Literal["canceled"] = "canceled"


def believed(
    intent: Intent,
    movement: Movement,
    *,
    currency: str,
    before: Gift | None = None,
    locale: str = "en_US",
) -> Movement:
    """The movement, when its answer adds up (core/answer.py); Doubted, with the answer as
    it came, when it does not."""
    found = doubts(intent, movement, currency=currency, before=before, locale=locale)
    if found:
        log.warning("an answer that does not add up (%s): %s", intent.operation, "; ".join(found))
        raise Doubted(in_words(found), movement.raw)
    return movement


def find_or_send(
    provider: GiftProvider,
    entry: Entry,
    *,
    now: float,
    locale: str = "en_US",
    send_if_none: bool = True,
    cancel: bool = True,
) -> Movement | Literal["canceled"] | None:
    """The entry's movement as the provider has it, found by reference (or by the cancel),
    or (send_if_none, a provider that cannot cancel) sent again with its key; believed only
    when it adds up. CANCELED when the provider canceled it; None when the provider has none
    and it is not to be sent. `cancel` False: never canceled, sent (an offline redemption:
    the customer has the goods, terminal/offline_forward.py). Raises what `send` raises,
    LookupFailed when the provider cannot say, Doubted for an answer that does not add up."""
    intent, key = entry.intent, entry.idempotency_key
    try:
        movement = provider.look_up(intent, key)
    except NoReference as exc:
        if now - entry.created_at >= KEYS_KEPT.total_seconds():
            raise LookupFailed(
                _(
                    "This transaction was sent before the till named its movements, more than "
                    "a day ago: the provider may have forgotten its key, and nothing else finds "
                    "it. Check the card with the provider."
                )
            ) from exc
        log.info("entry %s has no reference (%s): sent again with its key", entry.id, exc)
        movement = None
    else:
        if movement is not None:
            log.info("entry %s found at the provider by its reference", entry.id)
        elif cancel and isinstance(provider, Cancels):
            movement = provider.cancel(intent, key)
            if movement is None:
                log.info("entry %s canceled at the provider: it never happened", entry.id)
                return CANCELED
            log.info("entry %s happened after all: the cancel found it", entry.id)
        elif not send_if_none:
            return None
    before = None
    if movement is None:
        before = card_now(provider, entry)
        movement = provider.send(intent, key)
    return believed(intent, movement, currency=entry.currency, before=before, locale=locale)


def card_now(provider: GiftProvider, entry: Entry) -> Gift | None:
    """The card a movement sent again takes from or puts back on, read just before: its
    answer is checked against it as the till's own is (a balance that went up after a
    redemption is not believed, issue 18.3). Not read, nothing is sent: LookupFailed."""
    if entry.operation not in ("redemption", "cash_out", "reversal"):
        return None  # a card sold, issued or voided: its answer is checked without it
    try:
        return provider.validate(code=entry.code)
    except ProviderError as exc:
        said = _("The card could not be read before it was sent again: {why}")
        raise LookupFailed(said.format(why=exc)) from exc
