"""Selling while the provider cannot be reached (issue 24): the store's rules, and whether one
redemption may be taken offline. Pure: no clock, no I/O (the caller passes `now`).

Card networks call it a floor limit with store-and-forward: a small amount per card, a cap
on the shift, only a card whose balance the till saw online lately, never more than that
balance. The store opts in ([offline] floor and shift_limit, both above zero); the manager
may turn it off for the rest of a shift. What is taken offline is forwarded later with the
same idempotency key (terminal/offline.py); a forwarded one the provider declines is the
store's loss, said on the X and Z reports.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct

from posapp.core.money import format_money
from posapp.core.serial_number import short
from posapp.i18n import N_, _, ngettext

# The words a cashier reads, in one place: marked here, translated where said (posapp/i18n.py).
OFF = N_(
    "The gift card provider cannot be reached and this store does not take gift cards "
    "offline: take another payment, or try again once the provider answers"
)
OFF_FOR_SHIFT = N_(
    "The gift card provider cannot be reached and the manager turned offline selling off "
    "for this shift: take another payment, or try again once the provider answers"
)
NEVER_SEEN = N_(
    "The gift card provider cannot be reached and this till has never seen card {card} "
    "online, so its balance is not known: take another payment"
)
TOO_OLD = N_(
    "The gift card provider cannot be reached and card {card} was last seen online "
    "{age}; offline, only cards seen in the last {days} days are taken: take another payment"
)
NO_AMOUNT = N_("Type an amount above zero")
OTHER_MONEY = N_(
    "Card {card} holds {currency}, not the store's {store}: it cannot be taken offline"
)
OVER_BALANCE = N_(
    "Card {card} had {balance} when last seen online ({age}): offline, no more than that "
    "can be taken from it. Take the rest another way"
)
OVER_FLOOR = N_("Offline, a card may pay at most {floor}: take the rest of {amount} another way")
OVER_SHIFT = N_(
    "Offline, this shift may take at most {limit} in all; {taken} is taken already, so at "
    "most {left} more: take the rest another way"
)
SHIFT_FULL = N_(
    "Offline, this shift may take at most {limit} in all, and it is all taken: take "
    "another payment, or try again once the provider answers"
)
# The receipt of a redemption taken offline says so under its title (issue 24).
MARK = N_("OFFLINE: to be confirmed")
ON_SLIP = N_(
    "Taken while the gift card provider could not be reached. The till sends it to the "
    "provider when it answers again."
)
STATUS = N_("offline: selling up to {floor} a card")
LAST_SEEN = N_("last seen online {age}: {balance}")
TODAY = N_("today")
YESTERDAY = N_("yesterday")


class OfflineRules(Struct, frozen=True):
    """[offline]: floor (the most one card may pay while the provider is unreachable),
    shift_limit (the most a shift's offline redemptions may add up to), both minor units of
    the store's currency, 0: off; card_seen_days (only cards seen online this recently)."""

    floor: int = 0
    shift_limit: int = 0
    card_seen_days: int = 30

    @property
    def on(self) -> bool:
        return self.floor > 0 and self.shift_limit > 0


class LastKnown(Struct, frozen=True):
    """A card as this till last saw it online: its spendable balance, and when."""

    code: str
    balance: int
    currency: str
    seen_at: datetime  # aware (UTC in the journal)
    gift_id: str | None = None  # the provider's id for it: what a redemption is sent to


def age_words(seen_at: datetime, now: datetime) -> str:
    """How long ago, in calendar days of `now`'s time zone: "today", "yesterday", "3 days ago"."""
    days = (now.date() - seen_at.astimezone(now.tzinfo).date()).days
    if days <= 0:
        return _(TODAY)
    if days == 1:
        return _(YESTERDAY)
    return ngettext("{days} day ago", "{days} days ago", days).format(days=days)


def too_old(rules: OfflineRules, last: LastKnown, now: datetime) -> bool:
    """Seen online longer ago than card_seen_days (to the second: 30 days and one second
    is too old)."""
    return now - last.seen_at > timedelta(days=rules.card_seen_days)


def offline_refusal(
    rules: OfflineRules,
    last: LastKnown | None,
    amount: int,
    taken_this_shift: int,
    now: datetime,
    locale: str,
    *,
    off_for_shift: bool,
    code: str = "",
    currency: str | None = None,
) -> str | None:
    """None: `amount` (minor units) may be taken from the card offline now; else the words
    why not and what to do. `last`: the card as last seen online (None: never seen; then
    `code` names it); `taken_this_shift`: this shift's offline redemptions so far;
    `currency`: the store's, when known (a card of another currency is refused)."""
    card = short(last.code if last is not None else code) if (last or code) else "this card"
    if not rules.on:
        return _(OFF)
    if off_for_shift:
        return _(OFF_FOR_SHIFT)
    if last is None:
        return _(NEVER_SEEN).format(card=card)
    money = currency or last.currency
    age = age_words(last.seen_at, now)
    if too_old(rules, last, now):
        return _(TOO_OLD).format(card=card, age=age, days=rules.card_seen_days)
    if currency is not None and last.currency != currency:
        return _(OTHER_MONEY).format(card=card, currency=last.currency, store=currency)
    if amount <= 0:
        return _(NO_AMOUNT)
    if amount > last.balance:
        balance = format_money(last.balance, money, locale)
        return _(OVER_BALANCE).format(card=card, balance=balance, age=age)
    if amount > rules.floor:
        floor = format_money(rules.floor, money, locale)
        rest = format_money(amount - rules.floor, money, locale)  # what the card does not pay
        return _(OVER_FLOOR).format(floor=floor, amount=rest)
    left = rules.shift_limit - taken_this_shift
    if left <= 0:
        return _(SHIFT_FULL).format(limit=format_money(rules.shift_limit, money, locale))
    if amount > left:
        return _(OVER_SHIFT).format(
            limit=format_money(rules.shift_limit, money, locale),
            taken=format_money(taken_this_shift, money, locale),
            left=format_money(left, money, locale),
        )
    return None


def offline_offer(rules: OfflineRules, last: LastKnown, taken_this_shift: int) -> int:
    """The most this card may pay offline now (0: nothing): its last known balance, the
    floor and what the shift has left, whichever is least. Age and the manager's switch
    are offline_refusal's."""
    return max(0, min(last.balance, rules.floor, rules.shift_limit - taken_this_shift))


def status_line(rules: OfflineRules, currency: str, locale: str) -> str:
    """The status bar's words while offline selling is on: "offline: selling up to $25.00 a
    card"."""
    return _(STATUS).format(floor=format_money(rules.floor, currency, locale))


def last_seen_line(last: LastKnown, now: datetime, locale: str) -> str:
    """The panel's line for a card that cannot be checked: "last seen online 3 days ago:
    $40.00"."""
    balance = format_money(last.balance, last.currency, locale)
    return _(LAST_SEEN).format(age=age_words(last.seen_at, now), balance=balance)
