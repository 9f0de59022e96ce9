"""Settling: each outcome left unknown is settled until the provider answers (product.md,
"The journal and never losing money"), by terminal/lookup.py's rule: asked by the till's
reference first; when the provider has none, canceled there (api.md "Canceling a movement
that never came": settled as not charged, and its request arriving late is refused), or
with a provider that cannot cancel (Square), sent again with its own key.

What follows about sending again and `in_flight_s` is for a provider that cannot cancel:
one that can answers "done" or "canceled" at once, whatever is still on its way.

On start, what a till that stopped left pending (its intent journalled, its outcome never
written) is asked for by reference the same way, but never sent again: found, it is
recorded; not found, it did not happen and is settled as not charged. Such an entry is a
call that was in flight when the till died (the cashier was told nothing, then saw the card
"not confirmed" until settled) or an outcome the journal could not write before the till
stopped, maybe one it knew was a no ("Nothing was charged": the provider could not be
reached, the disk full). Sent after the restart, maybe days later, it would charge a
customer who paid another way meanwhile. Only an outcome journalled unknown, of which the
cashier was told the till would finish it, is sent again with its key when the provider
has none. Not found is believed only once the call could no longer be on its way
(`in_flight_s` after the intent): a request still in a queue would otherwise commit after
the till said "not charged".

An outcome of this run that the journal could not write (its disk full) is pending on disk
and kept in memory by the journal: each pass writes those first (issue 18), and sends
nothing while the journal cannot take them (it could not write that answer either).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from posapp.core.entry import Entry
from posapp.core.intent import CHANGES
from posapp.i18n import N_
from posapp.terminal.adjustment import settle_change
from posapp.terminal.lookup import CANCELED, find_or_send
from posapp.terminal.offline_forward import forward
from posapp.terminal.ports import (
    CardAdmin,
    Declined,
    Doubted,
    GiftProvider,
    JournalUnwritable,
    LookupFailed,
    OutcomeUnknown,
    ProviderError,
    Settling,
    Unreachable,
)

log = logging.getLogger("posapp.settle")

CANCELED_WORDS = N_(
    "The provider had no such transaction and canceled it, so it can never go through: "
    "nothing was charged"
)
NOT_SENT = N_(
    "The provider has no such transaction: it did not go through. The till stopped before "
    "it wrote the outcome, and does not send it again after a restart"
)


class Settler:
    def __init__(
        self,
        journal: Settling,
        provider: GiftProvider,
        *,
        on_change: Callable[[int], None] = lambda _count: None,
        backoff: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 30.0),
        locale: str = "en_US",
        clock: Callable[[], float] = time.time,
        in_flight_s: float = 60.0,
    ) -> None:
        self.journal = journal
        # The admin calls that settle a manager's change (terminal/adjustment.py); None
        # where this run has no admin token: such an entry waits for a run that has one.
        self.admin: CardAdmin | None = None
        self.clock = clock  # the till's, for how old an entry is
        # How long after its intent a call may still reach the provider (app.py: the till's
        # whole wait for a money call); and what this run's start left pending.
        self.in_flight_s = in_flight_s
        self._started = time.monotonic()
        self.earlier = {e.id for e in journal.to_settle() if e.state == "pending"}
        self.locale = locale  # of the words an answer that does not add up is kept with
        self.provider = provider
        self.on_change = on_change
        # Told of each movement a pass settled (or whose held outcome it wrote), so that the
        # cashier hears what became of it (issue 19.10; the window's `settled`).
        self.on_settled: Callable[[list[Entry]], None] = lambda _entries: None
        self.backoff = backoff
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # one settling pass at a time

    @property
    def count(self) -> int:
        """How many transactions are still to settle (the status bar shows it)."""
        return self.journal.count_to_settle()

    def settle_once(self, *, include_pending: bool = False) -> int:
        """One pass over what is unknown and what an earlier run left pending (with
        include_pending, all that is pending: a till not running any call); the number
        left."""
        with self._lock:
            done: list[int] = []  # settled by this pass
            try:
                held = self.journal.held()
                self.journal.write_held()
                done += held  # the cashier was told "not confirmed" of each: written now
                entries = self.journal.to_settle()
            except JournalUnwritable as exc:  # still kept in memory: the next pass tries again
                log.warning("outcomes wait for the journal: %s", exc)
                entries = []
            waiting = False  # an offline entry not forwarded: the later ones wait (order)
            for entry in entries:
                if entry.state == "pending" and not (include_pending or entry.id in self.earlier):
                    continue  # a call of this run still in flight: its own thread records it
                if entry.offline and waiting:
                    continue
                try:
                    if entry.offline:
                        waiting = not forward(
                            self.provider, self.journal, entry, now=self.clock(), locale=self.locale
                        )
                    else:
                        self._settle(entry)
                except JournalUnwritable as exc:  # its outcome is held: the next pass writes it
                    log.warning("entry %s waits for the journal: %s", entry.id, exc)
                    break
                done.append(entry.id)
            # Offline ones are told on the reports and the manager's list, not each on a slip
            # to a customer long gone (issue 24).
            settled = [
                e for e in map(self.journal.entry, done) if not e.to_settle and not e.offline
            ]
            left = self.journal.count_to_settle()
        if settled:
            self.on_settled(settled)
        self.on_change(left)
        return left

    def _settle(self, entry: Entry) -> None:
        if entry.operation in CHANGES:  # a manager's change: the admin calls settle it
            settle_change(self.journal, self.admin, entry)
            return
        stopped = entry.state == "pending"  # left by a till that stopped: never sent again
        try:
            # Asked by reference before it is sent again, believed only if it adds up.
            movement = find_or_send(
                self.provider, entry, now=self.clock(), locale=self.locale, send_if_none=not stopped
            )
        except Declined as exc:
            self.journal.record(entry.id, "settled", outcome="declined", error=str(exc))
            log.info("entry %s settled: declined (%s)", entry.id, exc.code)
        except Doubted as exc:  # kept with the answer for the manager; asked again later
            self.journal.record(entry.id, entry.state, error=str(exc), answer=exc.answer)
            log.warning("entry %s still unknown: %s", entry.id, exc)
        except (OutcomeUnknown, Unreachable) as exc:
            # Said on the entry: no answer yet, or why the provider cannot say (an answer
            # that did not add up keeps its own words).
            if isinstance(exc, LookupFailed) and entry.answer is None and str(exc) != entry.error:
                # (still pending, if it was: not sent again once the provider can say)
                self.journal.record(entry.id, entry.state, error=str(exc))
            log.info("entry %s still unknown: %s", entry.id, type(exc).__name__)
        except ProviderError as exc:  # pragma: no cover - every ProviderError is one of the above
            log.warning("entry %s: %s", entry.id, exc)
        else:
            if movement == CANCELED:  # it never happened and never can: not charged
                self.journal.record(entry.id, "settled", outcome="declined", error=CANCELED_WORDS)
                self.earlier.discard(entry.id)
                log.info("entry %s settled: canceled at the provider, not charged", entry.id)
                return
            if movement is None:
                self._not_found(entry)
                return
            self.journal.record_movement(entry.id, movement, settled=True)
            log.info(
                "entry %s settled: completed as transaction %s", entry.id, movement.transaction.id
            )

    def _not_found(self, entry: Entry) -> None:
        """A movement left pending that the provider has none of: not charged, once the call
        can no longer be on its way; asked again until then."""
        waited = max(self.clock() - entry.created_at, time.monotonic() - self._started)
        if waited < self.in_flight_s:
            log.info(
                "entry %s not found yet; asked again once its call cannot be on its way", entry.id
            )
            return
        self.journal.record(entry.id, "settled", outcome="declined", error=NOT_SENT)
        self.earlier.discard(entry.id)
        log.info("entry %s settled: not found at the provider, not charged", entry.id)

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        """Settle what a crash left, then keep settling in the background."""
        self._thread = threading.Thread(target=self._run, name="settler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        left = self.settle_once()  # what an earlier run left pending, too
        failures = 0
        while not self._stop.is_set():
            pause = self.backoff[min(failures, len(self.backoff) - 1)] if left else 3600.0
            self._wake.wait(pause)
            self._wake.clear()
            if self._stop.is_set():
                return
            before = left
            try:
                left = self.settle_once()
            except Exception:  # a settler that dies silently would be worse than one that logs
                log.exception("settling failed; trying again")
                left = before
            failures = failures + 1 if left and left >= before else 0
