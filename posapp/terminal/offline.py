"""Selling while the provider cannot be reached (issue 24): a redemption taken offline,
within the store's rules (core/offline.py), journalled with its idempotency key before its
receipt prints "OFFLINE: to be confirmed", and forwarded by the settler with that key when
the provider answers again (terminal/offline_forward.py).

Only when unreachable: a redemption taken offline is first sent as any other, its intent
journalled first; only when that call never left the till (ports.NotSent: the connection
refused, the provider's name not found, no connection in time) is the same entry queued
offline, in one write. A decline, a refusal, an unknown card, a PIN the card needs, an
answer lost after sending (OutcomeUnknown): each as online, never offline. A provider that
answers again meanwhile takes it online at once: the receipt is then the usual one.

For the till (offline-till): `Terminal.check` raises `NotChecked` (a CashierError, its
`code` the scanned card's) when the provider was not reached, so the panel can show
`last_known(code)` with its age (core/offline.last_seen_line) and F2 can call `redeem`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from posapp.core import intent as intents
from posapp.core.entry import Entry
from posapp.core.gift import Gift, Movement
from posapp.core.offline import (
    MARK,
    LastKnown,
    OfflineRules,
    offline_offer,
    offline_refusal,
    status_line,
)
from posapp.core.offline_slip import offline_slip
from posapp.core.offline_tally import Loss, OfflineStatus, tally
from posapp.core.receipt import Receipt
from posapp.core.receipt_lines import local
from posapp.core.serial_number import short
from posapp.core.settings import TillSettings
from posapp.i18n import N_, _
from posapp.terminal.movement import Mover, MoveSpec, journalled_move
from posapp.terminal.ports import (
    CashierError,
    GiftProvider,
    JournalPort,
    JournalUnwritable,
    NotSent,
)

log = logging.getLogger("posapp.offline")

NO_ID = N_(
    "Card {card} was seen online before this till kept what the provider calls it: it "
    "cannot be taken offline. Take another payment"
)


class NotChecked(CashierError):
    """A card not checked because the provider was not reached (ports.NotSent): the till
    may take it offline. `code`: the scanned card's code (None: scanned by a public token,
    which offline selling cannot look up)."""

    def __init__(self, words: str, code: str | None) -> None:
        super().__init__(words)
        self.code = code


# The receipt of a journal entry (Terminal.entry_receipt), its keywords as there.
ReceiptOf = Callable[..., Receipt]


class Till(Protocol):
    """What Offline is built from (terminal/service.py's Terminal)."""

    @property
    def journal(self) -> JournalPort: ...
    @property
    def provider(self) -> GiftProvider: ...
    @property
    def settings(self) -> TillSettings: ...
    @property
    def locale(self) -> str: ...
    @property
    def new_key(self) -> Callable[[], str]: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def on_unknown(self) -> Callable[[], None]: ...
    def entry_receipt(
        self, entry: Entry, *, movement: Movement | None = None, not_confirmed: bool = False
    ) -> Receipt: ...


@dataclass
class Offline:
    journal: JournalPort
    provider: GiftProvider
    rules: OfflineRules
    locale: str
    receipt_of: ReceiptOf
    new_key: Callable[[], str]
    clock: Callable[[], datetime]
    # Wakes the settler: an entry queued offline is forwarded when the provider answers.
    wake: Callable[[], None] = field(default=lambda: None)
    # One offline redemption at a time: the shift's limit is checked against what is taken.
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def of(cls, till: Till) -> Offline:
        """The till's, its key maker, clock and settler's wake read when used (a test or
        app.py sets them after)."""
        return cls(
            till.journal,
            till.provider,
            till.settings.offline,
            till.locale,
            till.entry_receipt,
            new_key=lambda: till.new_key(),
            clock=lambda: till.clock(),
            wake=lambda: till.on_unknown(),
        )

    # --- what the till asks --------------------------------------------------------------

    def last_known(self, code: str) -> LastKnown | None:
        """The card as this till last saw it online (None: never)."""
        return self.journal.last_known(code)

    @property
    def off_for_shift(self) -> bool:
        return self.journal.offline_off(self.journal.current_shift())

    def selling(self) -> bool:
        """Offline selling is on ([offline]) and not turned off for this shift."""
        return self.rules.on and not self.off_for_shift

    def status_line(self, currency: str) -> str | None:
        """ "offline: selling up to $25.00 a card" while selling(), else None."""
        return status_line(self.rules, currency, self.locale) if self.selling() else None

    def taken_this_shift(self) -> int:
        return self.status().taken

    def refusal(self, code: str, amount: int, currency: str | None = None) -> str | None:
        """Why `amount` may not be taken offline from the card now (None: it may)."""
        return offline_refusal(
            self.rules,
            self.last_known(code),
            amount,
            self.taken_this_shift(),
            self.clock(),
            self.locale,
            off_for_shift=self.off_for_shift,
            code=code,
            currency=currency,
        )

    def offer(self, card: LastKnown) -> int:
        """The most the card may pay offline now (the amount pad's default)."""
        return offline_offer(self.rules, card, self.taken_this_shift())

    def status(self) -> OfflineStatus:
        """This shift's offline redemptions: accepted, confirmed, declined, not collected,
        queued, and its losses."""
        shift = self.journal.current_shift()
        return tally(self.journal.offline_entries(shift), self._at)

    def losses(self) -> list[Loss]:
        """Every offline redemption the provider declined once forwarded, oldest first (the
        manager's list: the card's last four, when, how much), whatever its shift."""
        return list(tally(self.journal.offline_losses(), self._at).losses)

    def turn_off_for_shift(self, who: str = "") -> None:
        """The manager's switch (journalled with who and when): no offline redemption until
        the next shift, or until turned on again."""
        self._switch(off=True, who=who)

    def turn_on_for_shift(self, who: str = "") -> None:
        self._switch(off=False, who=who)

    def _switch(self, *, off: bool, who: str) -> None:
        shift = self.journal.current_shift()
        self.journal.switch_offline(shift, off=off, who=who, at=self.clock().timestamp())

    def seen(self, gift: Gift) -> Gift:
        """The card as the provider answered it now, kept as its last known balance (a
        journal that cannot take it costs only that: logged). Only where the store sells
        offline: a till that does not is spared the write."""
        if not self.rules.on:
            return gift
        try:
            self.journal.see_card(gift, self.clock().timestamp())
        except JournalUnwritable as exc:
            log.warning("the card's balance was not kept for offline selling: %s", exc)
        return gift

    # --- the redemption ------------------------------------------------------------------

    def redeem(self, card: LastKnown, amount: int) -> Receipt:
        """`amount` (minor units) from the card: online if the provider answers after all,
        else offline within the rules, journalled before the receipt is made."""
        with self._lock:
            last = self.last_known(card.code)  # as journalled, not as the caller kept it
            refused = offline_refusal(
                self.rules,
                last,
                amount,
                self.taken_this_shift(),
                self.clock(),
                self.locale,
                off_for_shift=self.off_for_shift,
                code=card.code,
            )
            if refused:
                raise CashierError(refused)
            assert last is not None  # offline_refusal refuses a card never seen
            if last.gift_id is None:
                raise CashierError(_(NO_ID).format(card=short(last.code)))
            wanted = intents.redeem(last.gift_id, amount=amount)
            spec = MoveSpec(wanted, last.code, last.currency, on_not_sent=self._queue)
            mover = Mover(self.provider, self.journal, self.new_key, self.wake, self.locale)
            moved = journalled_move(spec, mover)
        if moved.movement is not None:  # the provider answered: an online redemption
            return self.receipt_of(moved.entry, movement=moved.movement)
        if not moved.entry.offline:  # sent, its answer lost: not confirmed, as online
            return self.receipt_of(moved.entry, not_confirmed=True)
        number = self.journal.receipt_number(moved.entry.id)
        return offline_slip(self.receipt_of(moved.entry), moved.entry, number)

    def _queue(self, entry: Entry, why: NotSent) -> Entry | None:
        """The entry, never sent, queued offline in one write (None: the journal could not
        take it; then it is recorded not sent, as online, and nothing was charged)."""
        try:
            queued = self.journal.queue_offline(
                entry.id, f"{MARK}. {why}", self.clock().timestamp()
            )
        except JournalUnwritable:
            return None
        if not queued:
            return None
        self.wake()  # the settler forwards it as soon as the provider answers
        return self.journal.entry(entry.id)

    def _at(self, timestamp: float) -> datetime:
        return local(timestamp, self.clock().tzinfo)
