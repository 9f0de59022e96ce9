"""A card the till could not check with the provider, shown as it was last seen online, and
the till's side of selling offline (issue 24): values and words, no I/O.

When `[offline]` is on and the provider cannot be reached, a scanned card the terminal saw
online recently enough is shown from its last known balance, with its age ("Last seen online
3 days ago: $40.00"), and may pay within core/offline.py's rules. The card on screen is then
a `Gift` made from that balance (`seen_gift`), so every rule of the till that holds for a
card on screen holds for it too; `Seen` keeps it beside what it was made from, and the till
knows it by identity (`OfflineTill.seen_card`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from posapp.core.cardview import CardView, capital
from posapp.core.entry import Entry
from posapp.core.gift import Gift
from posapp.core.money import format_money
from posapp.core.offline import (
    LastKnown,
    OfflineRules,
    last_seen_line,
    offline_offer,
)
from posapp.core.serial_number import mask, short
from posapp.core.till_request import Job, RedeemOffline
from posapp.i18n import N_, _

BADGE = N_("OFFLINE")
# Every key but a redemption, while the till sells offline (issue 24: "only redemptions,
# never cash-out, sell, issue or reversal").
ONLY_REDEMPTIONS = N_(
    "The gift card provider cannot be reached: offline, only redemptions can be taken (scan "
    "the card, then F2 or F3). This waits until the provider answers again"
)
BACK = N_("The gift card provider answers again: scan the card again to check it")


@dataclass(frozen=True, slots=True)
class Seen:
    """A card shown from its last known balance: the card on screen (`gift`), what it was
    made from, and when it was scanned (the age is said from then)."""

    gift: Gift
    last: LastKnown
    at: datetime


@dataclass
class OfflineTill:
    """The till's offline selling: the store's rules, this shift's offline total and the
    manager's switch as the terminal last said them, and the card seen offline, if any."""

    rules: OfflineRules = field(default_factory=OfflineRules)
    taken: int = 0  # offline redemptions of this shift so far (the shift limit's total)
    off_for_shift: bool = False
    seen: Seen | None = None
    # The card on screen when the provider was last found unreachable (read online before).
    read_before: Gift | None = None

    def started(self, job: Job) -> None:
        """A call starts: an offline redemption counts in the shift's total from now (the
        terminal's figure, said every few seconds, corrects one that did not go through)."""
        if isinstance(job, RedeemOffline):
            self.taken += job.amount

    @property
    def on(self) -> bool:
        """Offline selling may be used now (the store's rules, not turned off)."""
        return self.rules.on and not self.off_for_shift

    def seen_card(self, card: Gift | None) -> Seen | None:
        """The card on screen when it is the one shown offline (by identity: a card read
        since, or none, is not)."""
        seen = self.seen
        return seen if seen is not None and card is not None and card is seen.gift else None


def seen_gift(last: LastKnown) -> Gift:
    """The card on screen made from its last known balance: active, paying up to that
    balance (the till's offline rules bound it further), its id marking where it came from."""
    pays = last.balance > 0
    return Gift(
        id=f"last-known:{last.code}",
        code=last.code,
        kind="monetary",
        currency=last.currency,
        balance=last.balance,
        item_label=None,
        item_quantity=None,
        status="active" if pays else "depleted",
        is_redeemable=pays,
        not_redeemable_reason=None if pays else "depleted",
        eligible_value=last.balance,
        eligible_item_quantity=0,
        present_value_description="",
        promotional=False,
        usable_at=last.seen_at,
        expires_at=None,
    )


def seen_view(till: OfflineTill, seen: Seen, locale: str) -> CardView:
    """The card panel for a card seen offline: its last known balance large, the badge
    OFFLINE, and its age and what it may pay now on the lines below."""
    last = seen.last
    can = offline_offer(till.rules, last, till.taken)
    may = (
        _("It may pay up to {amount} offline") if can > 0 else _("It cannot pay offline now")
    ).format(amount=_money(can, last, locale))
    return CardView(
        serial=mask(last.code),
        amount=format_money(last.balance, last.currency, locale),
        amount_tone="ok" if can > 0 else "muted",
        badge=_(BADGE),
        badge_tone="warn",
        why="",
        details=f"{capital(last_seen_line(last, seen.at, locale))}\n{may}",
        can_pay=can > 0,
    )


def _money(minor: int, last: LastKnown, locale: str) -> str:
    return format_money(minor, last.currency, locale)


def taken_words(amount: str, code: str, said: str, problem: str = "") -> str:
    """An offline redemption done: what was taken, that it is to be confirmed, and what
    became of the receipt (`said`), with the printer's problem if it had one."""
    done = _(
        "Taken offline: {amount} from {card}, to be confirmed when the provider answers; {receipt}."
    ).format(amount=amount, card=short(code), receipt=said)
    return f"{done} {problem}" if problem else done


def held_offline(entry: Entry, locale: str) -> str:
    """A card scanned again while its offline redemption waits to be sent: it takes nothing
    more until the provider has that one (one at a time per card, in order)."""
    return _(
        "Card {card} paid {amount} offline already; it takes no more until the gift card "
        "provider answers again and has that one: take another payment"
    ).format(card=short(entry.code), amount=format_money(entry.amount or 0, entry.currency, locale))


# The shift list's state of a redemption taken offline: queued, then confirmed or declined.
SHIFT_STATES = (
    N_("offline: to send"),
    N_("offline: confirmed"),
    N_("offline: declined (lost)"),
)


def shift_state(entry: Entry) -> str | None:
    """A redemption taken offline in the shift list: "offline: to send" until the provider
    has it, then "offline: confirmed", or "offline: declined (lost)" where the card was spent
    elsewhere meanwhile; None for any other entry (its state as the glossary says it)."""
    if not entry.offline:
        return None
    to_send, confirmed, lost = SHIFT_STATES
    if entry.lost:
        return _(lost)
    return _(confirmed) if entry.moved_money else _(to_send)
