"""One money movement, journalled (house rule 5): its intent goes to the journal with its
idempotency key, then the provider is called, then the outcome is journalled. A card with a
movement still to settle takes no other; a journal that cannot be written is said in words
(issue 18)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from posapp.core.entry import Entry, not_sent
from posapp.core.gift import Gift, Movement
from posapp.core.intent import Intent
from posapp.core.settling import not_written, still_to_settle, unsettled_on_card
from posapp.i18n import _
from posapp.terminal.lookup import believed
from posapp.terminal.ports import (
    CashierError,
    Declined,
    Doubted,
    GiftProvider,
    JournalUnwritable,
    Movements,
    NotConfirmed,
    NotSent,
    OutcomeUnknown,
    Unreachable,
)


@dataclass(frozen=True, slots=True)
class MoveSpec:
    """A movement to make: what, on which card (or core.entry.NEW_CARD), in which currency."""

    wanted: Intent
    code: str
    currency: str
    before: Gift | None = None  # the card as the cashier saw it: printed and checked against
    reverses: int | None = None  # the journal entry a reversal or void undoes
    item_label: str | None = None
    checked_by: Gift | None = None  # the card as it is now: only checked against
    # The card's own PIN (ports.GiftProvider): sent with the movement, never journalled.
    pin: str | None = field(default=None, repr=False, compare=False)
    # A redemption the store may take offline (terminal/offline.py): called with its entry
    # when the call never left the till (NotSent); the entry queued offline, or None.
    on_not_sent: Callable[[Entry, NotSent], Entry | None] | None = None
    sale_id: int | None = None  # the sale paid card by card it is made for (issue 23)


@dataclass(frozen=True, slots=True)
class Moved:
    """The journal's entry of a movement made; `movement` None: its outcome is not known."""

    entry: Entry
    movement: Movement | None


@dataclass(frozen=True, slots=True)
class Mover:
    """What a movement needs: the provider, the journal, a fresh key each time, a way to
    wake the settler when an outcome stays unknown, and the till's locale for its words."""

    provider: GiftProvider
    journal: Movements
    new_key: Callable[[], str]
    on_unknown: Callable[[], None]
    locale: str


def journalled_move(spec: MoveSpec, mover: Mover) -> Moved:
    """A money movement (house rule 5), unless its card has one still to settle; a journal
    that cannot be written, in words (issue 18)."""
    journal = mover.journal
    try:
        blocking = unsettled_on_card(journal.to_settle(), spec.wanted, spec.code)
        if blocking is not None:
            mover.on_unknown()  # the settler tries it now, not at its next back-off
            raise CashierError(still_to_settle(blocking, mover.locale))
        return _call(spec, mover)
    except JournalUnwritable as exc:
        if not exc.held:  # the intent did not reach the journal: nothing was sent
            raise CashierError(_("Nothing was charged. {why}").format(why=exc)) from exc
        mover.on_unknown()  # the settler writes it once the journal takes it
        words = not_written(
            spec.wanted, spec.code, spec.currency, mover.locale, exc.problem, spec.item_label
        )
        raise NotConfirmed(words) from exc


def _call(spec: MoveSpec, mover: Mover) -> Moved:
    journal = mover.journal
    key = mover.new_key()
    # The till's name for this movement is its key (api.md "Key retention and client
    # references"): what the settler finds it by once the key is forgotten.
    wanted = spec.wanted.referenced(key)
    entry = journal.intend(
        wanted,
        code=spec.code,
        currency=spec.currency,
        key=key,
        reverses_entry=spec.reverses,
        item_label=spec.item_label,
        sale_id=spec.sale_id,
    )
    checked_by = spec.checked_by or spec.before
    try:
        movement = mover.provider.send(wanted, entry.idempotency_key, pin=spec.pin)
        believed(wanted, movement, currency=spec.currency, before=checked_by, locale=mover.locale)
    except (Declined, Unreachable) as exc:
        if isinstance(exc, NotSent) and spec.on_not_sent is not None:
            queued = spec.on_not_sent(entry, exc)
            if queued is not None:  # to forward once the provider answers (issue 24)
                return Moved(queued, None)
        said = not_sent(str(exc)) if isinstance(exc, Unreachable) else str(exc)
        try:
            journal.record(entry.id, "declined", error=said)
        except JournalUnwritable as unwritable:
            # Still nothing happened: said so. The no waits in memory (the card stays
            # held until it is written); a till stopped before that leaves the entry
            # pending, and the next start settles it as not charged, never sends it.
            mover.on_unknown()
            said = str(exc).rstrip(".")
            words = _("Nothing was charged. {why}. {unwritable}")
            raise CashierError(words.format(why=said, unwritable=unwritable)) from exc
        raise CashierError(said) from exc
    except Doubted as exc:  # not printed as fact: unknown, the answer kept (issue 18)
        journal.record(entry.id, "unknown", error=str(exc), answer=exc.answer)
        mover.on_unknown()
        return Moved(journal.entry(entry.id), None)
    except OutcomeUnknown as exc:
        journal.record(entry.id, "unknown", error=str(exc))
        mover.on_unknown()
        return Moved(journal.entry(entry.id), None)
    return Moved(journal.record_movement(entry.id, movement, settled=False), movement)
