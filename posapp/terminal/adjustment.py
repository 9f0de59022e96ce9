"""A manager's money changes from the gift cards screen (F12), journalled like any movement
(issue 19.2): a balance set, a card created with a balance, a card canceled holding money.

House rule 5 holds for them as for a sale: the intent, with its idempotency key and who made
it, goes to the journal before the provider hears of it; the key goes with every try and is
the change's client reference at the provider (api.md "Manager changes"), so an answer lost
is settled like a movement's: found by that reference, or sent again with the key. The X and
Z reports list them and reconciliation matches them (core/adjustment.py, core/reports.py).

Enabling or disabling a card, and its expiry, move no money: the provider writes no
transaction for them, and they are not journalled here (api.md says so).

The calls run where the screen runs its calls: on the window's worker, never on Tk's thread.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from posapp.core import intent as intents
from posapp.core.entry import Entry
from posapp.core.gift import Gift
from posapp.core.intent import CHANGES, Intent
from posapp.core.money import format_money
from posapp.core.serial_number import short
from posapp.core.settling import still_to_settle, unsettled_on_card
from posapp.i18n import _
from posapp.terminal.ports import (
    CardAdmin,
    CashierError,
    Declined,
    Intents,
    JournalUnwritable,
    NotConfirmed,
    OutcomeUnknown,
    Unreachable,
)

log = logging.getLogger("posapp.adjustment")

__all__ = ["CHANGES", "CardChanges", "settle_change"]


class CardChanges:
    """The manager's money changes, over the journal and the provider's admin calls."""

    def __init__(
        self,
        journal: Intents,
        admin: CardAdmin,
        *,
        who: Callable[[], str | None],
        locale: str = "en_US",
        on_unknown: Callable[[], None] = lambda: None,
        new_key: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.journal = journal
        self.admin = admin
        self.who = who
        self.locale = locale
        self.on_unknown = on_unknown
        self.new_key = new_key

    def set_balance(self, gift: Gift, balance: int, reason: str) -> Gift | None:
        """The card's balance set to `balance` (an adjustment of the difference)."""
        if gift.kind != "monetary":
            raise CashierError(_("An item gift card holds items, not money: it has no balance"))
        wanted = intents.adjust(gift.id, balance, reason=reason.strip() or None)
        return self._change(wanted, gift.code, gift.currency, before=gift.balance or 0)

    def create(
        self,
        code: str,
        balance: int,
        currency: str,
        *,
        reason: str | None = None,
        expires_at: str | None = None,
    ) -> Gift | None:
        """A new card with money on it (an adjustment from nothing)."""
        wanted = intents.create_card(
            code, balance, reason=(reason or "").strip() or None, expires_at=expires_at
        )
        return self._change(wanted, code, currency, before=0)

    def cancel(self, gift: Gift, reason: str | None = None) -> Gift | None:
        """A card canceled while it holds money (what it held leaves by an adjustment)."""
        wanted = intents.cancel_card(gift.id, reason=(reason or "").strip() or None)
        return self._change(wanted, gift.code, gift.currency, before=gift.balance or 0)

    def _change(self, wanted: Intent, code: str, currency: str, *, before: int) -> Gift | None:
        blocking = unsettled_on_card(self.journal.to_settle(), wanted, code)
        if blocking is not None:
            self.on_unknown()
            raise CashierError(still_to_settle(blocking, self.locale))
        key = self.new_key()
        wanted = wanted.referenced(key)  # the key names the change at the provider
        try:
            entry = self.journal.intend(
                wanted,
                code=code,
                currency=currency,
                key=key,
                who=self.who() or None,
                balance_before=before,
            )
        except JournalUnwritable as exc:
            raise CashierError(_("Nothing was changed. {why}").format(why=exc)) from exc
        try:
            gift = self.admin.apply(wanted, key)
        except (Declined, Unreachable) as exc:  # a no, or never sent: nothing changed
            self._record(entry, error=str(exc))
            raise CashierError(str(exc)) from exc
        except OutcomeUnknown as exc:
            self._record(entry, error=str(exc), unknown=True)
            self.on_unknown()
            raise NotConfirmed(self._not_confirmed(entry)) from exc
        self._record(entry, gift=gift, done=True)
        return gift

    def _record(
        self,
        entry: Entry,
        *,
        gift: Gift | None = None,
        error: str | None = None,
        done: bool = False,
        unknown: bool = False,
    ) -> None:
        try:
            if done:
                record_done(self.journal, entry, gift)
            else:
                self.journal.record(entry.id, "unknown" if unknown else "declined", error=error)
        except JournalUnwritable as exc:  # kept in memory; the settler writes it
            self.on_unknown()
            said = _("{not_confirmed} {why}")
            raise NotConfirmed(
                said.format(not_confirmed=self._not_confirmed(entry), why=exc)
            ) from exc

    def _not_confirmed(self, entry: Entry) -> str:
        money = format_money(entry.intent.balance or 0, entry.currency, self.locale)
        card = short(entry.code)
        said = {
            "adjustment": _(
                "No answer from the provider for setting {card} to {amount}: it is kept and "
                "finished automatically. Do not do it again; look at the card in a moment."
            ),
            "card_created": _(
                "No answer from the provider for creating {card} with {amount}: it is kept and "
                "finished automatically. Do not do it again; look at the card in a moment."
            ),
            "card_canceled": _(
                "No answer from the provider for canceling {card}: it is kept and finished "
                "automatically. Do not do it again; look at the card in a moment."
            ),
        }[entry.intent.operation]
        return said.format(card=card, amount=money)


def record_done(
    journal: Intents, entry: Entry, gift: Gift | None, *, settled: bool = False
) -> None:
    """A manager change the provider made: what the card holds after it (a card canceled:
    nothing), and how much it changed, as the provider's adjustment will say."""
    canceled = entry.intent.operation == "card_canceled"
    after = 0 if canceled or gift is None else (gift.balance or 0)
    moved = abs(after - (entry.balance_before or 0))
    journal.record(
        entry.id,
        "settled" if settled else "completed",
        outcome="completed" if settled else None,
        balance_after=after,
        amount=moved or None,
        gift_id=gift.id if gift is not None else None,
    )


def settle_change(journal: Intents, admin: CardAdmin | None, entry: Entry) -> None:
    """One manager change whose outcome is unknown: asked by its reference first, sent again
    with its key only when the provider has none (the admin adapter's `apply(again=True)`)."""
    if admin is None:  # no admin token on this run: it waits for a run that has one
        log.info("entry %s (%s) waits for an admin token to settle", entry.id, entry.operation)
        return
    try:
        gift = admin.apply(entry.intent, entry.idempotency_key, again=True)
    except Declined as exc:
        journal.record(entry.id, "settled", outcome="declined", error=str(exc))
        log.info("entry %s settled: declined (%s)", entry.id, exc.code)
    except (OutcomeUnknown, Unreachable) as exc:
        if entry.state == "pending":
            journal.record(entry.id, "unknown", error=str(exc))
        log.info("entry %s still unknown: %s", entry.id, type(exc).__name__)
    else:
        record_done(journal, entry, gift, settled=True)
        log.info("entry %s settled: the change was made", entry.id)
