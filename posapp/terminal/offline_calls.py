"""The till's calls while it sells offline (issue 24): a scan the provider could not be asked
about becomes the card as last seen online (terminal/offline.py `Offline.last_known`), and an
offline redemption is journalled and printed by `Offline.redeem`. terminal/till_calls.py
hands these here; off (no `[offline]` rules), nothing reaches them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from posapp.core.money import format_money
from posapp.core.offline import LastKnown, OfflineRules
from posapp.core.offline_card import taken_words
from posapp.core.receipt import Receipt
from posapp.core.serials import CardRef
from posapp.core.till_events import CardSeen, Check
from posapp.core.till_request import RedeemOffline, Result
from posapp.terminal.ports import CashierError, Unreachable


class OfflineSelling(Protocol):
    """terminal/offline.py's `Offline`, as the till's calls use it."""

    @property
    def rules(self) -> OfflineRules: ...
    @property
    def off_for_shift(self) -> bool: ...
    def last_known(self, code: str) -> LastKnown | None: ...
    def redeem(self, card: LastKnown, amount: int) -> Receipt: ...
    def taken(self) -> int: ...


def unreachable(error: BaseException) -> bool:
    """The check could not reach the provider (refused, no such host, no answer before
    sending): never a decline, a 4xx or an unknown card (issue 24 point 2)."""
    return isinstance(error, Unreachable) or isinstance(error.__cause__, Unreachable)


def seen(
    offline: OfflineSelling, effect: Check, ref: CardRef, error: CashierError
) -> CardSeen | None:
    """The card as last seen online, for a scan the provider could not be asked about; None
    when the till does not sell offline (the failed check is said as before)."""
    if not offline.rules.on or ref.lookup != "code" or not unreachable(error):
        return None
    return CardSeen(
        effect.request,
        ref.value,
        offline.last_known(ref.value),
        datetime.now(UTC),
        str(error),
        taken=offline.taken(),
        off_for_shift=offline.off_for_shift,
    )


def redeem(offline: OfflineSelling | None, job: RedeemOffline) -> Receipt:
    if offline is None:  # the till offers no offline redemption without it: kept safe
        raise CashierError("This till does not take gift cards offline")
    return offline.redeem(job.last, job.amount)


def done(job: RedeemOffline, said: str, problem: str, locale: str) -> Result:
    """The words of an offline redemption done; the card leaves the screen (its balance is
    the provider's to say: scanned again, it shows its last known balance less this)."""
    amount = format_money(job.amount, job.last.currency, locale)
    return Result(
        taken_words(amount, job.last.code, said, problem), "warn", clears_card=True, moved=True
    )
