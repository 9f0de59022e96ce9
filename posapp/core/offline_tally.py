"""What offline selling took and what it cost (issue 24.4): a shift's offline redemptions
counted, each one the provider declined when it was forwarded (the card was spent elsewhere
meanwhile) listed as the store's loss, and the report's line. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from msgspec import Struct

from posapp.core.entry import Entry
from posapp.core.money import format_money
from posapp.core.receipt import Line
from posapp.core.serial_number import short
from posapp.i18n import N_, _

# The X and Z reports' lines: marked here, translated where said (posapp/i18n.py).
REPORT_LABEL = N_("Offline")
REPORT = N_("{accepted} accepted, {confirmed} confirmed, {declined} declined: {lost} not collected")
QUEUED = N_("Offline, still to send")
# How many wait and how much they come to: the money at risk while the provider is away
# (trial 6B, 8: a count alone hid $65.00).
QUEUED_VALUE = N_("{count}: {amount}")
EARLIER_LABEL = N_("Offline, earlier shifts")
EARLIER = N_("{declined} declined when sent: {lost} not collected")
LOSS_LABEL = N_("Not collected {card}")


class Loss(Struct, frozen=True):
    """A forwarded offline redemption the provider declined: the store gave the goods and
    collected nothing. `code`: the card's whole code (shown by its last four only)."""

    entry_id: int
    code: str
    amount: int
    currency: str
    taken_at: datetime  # when the cashier took it offline

    @property
    def card(self) -> str:
        """The card as the manager's list shows it: its last four (••0001)."""
        return short(self.code)


class OfflineStatus(Struct, frozen=True):
    """A shift's offline redemptions: taken (accepted), confirmed by the provider once
    forwarded, declined then (their sum: not collected), still queued; and the losses."""

    accepted: int = 0
    confirmed: int = 0
    declined: int = 0
    not_collected: int = 0
    queued: int = 0
    taken: int = 0  # the sum accepted: what counts against [offline] shift_limit
    losses: tuple[Loss, ...] = ()
    to_send: int = 0  # the sum still queued: not yet on the provider's books


def tally(entries: Iterable[Entry], at: Callable[[float], datetime]) -> OfflineStatus:
    """The status of these offline entries (others are skipped); `at`: an epoch time as
    the till's local time."""
    accepted = confirmed = declined = not_collected = queued = taken = to_send = 0
    losses: list[Loss] = []
    for entry in entries:
        if not entry.offline:
            continue
        accepted += 1
        taken += entry.amount or 0
        if entry.moved_money:
            confirmed += 1
        elif entry.lost:
            declined += 1
            not_collected += entry.amount or 0
            losses.append(
                Loss(
                    entry.id,
                    entry.code,
                    entry.amount or 0,
                    entry.currency,
                    at(entry.created_at),
                )
            )
        elif entry.to_settle:
            queued += 1
            to_send += entry.amount or 0
    return OfflineStatus(
        accepted, confirmed, declined, not_collected, queued, taken, tuple(losses), to_send
    )


def report_lines(status: OfflineStatus, currency: str, locale: str) -> tuple[Line, ...]:
    """ "Offline: 14 accepted, 13 confirmed, 1 declined: $12.50 not collected", then each
    loss by its card's last four and time; nothing for a shift that took none offline."""
    if not status.accepted:
        return ()
    lost = format_money(status.not_collected, currency, locale)
    said = _(REPORT).format(
        accepted=status.accepted, confirmed=status.confirmed, declined=status.declined, lost=lost
    )
    lines = [Line(_(REPORT_LABEL), said, bold=status.declined > 0)]
    if status.queued:
        waiting = format_money(status.to_send, currency, locale)
        said = _(QUEUED_VALUE).format(count=status.queued, amount=waiting)
        lines.append(Line(_(QUEUED), said, bold=True))
    for loss in status.losses:
        money = format_money(loss.amount, loss.currency, locale)
        lines.append(Line(_(LOSS_LABEL).format(card=loss.card), f"{loss.taken_at:%H:%M} {money}"))
    return tuple(lines)


def earlier_lines(
    lost: Iterable[Entry], at: Callable[[float], datetime], currency: str, locale: str
) -> tuple[Line, ...]:
    """Offline redemptions of earlier shifts the provider declined during this one (sent
    after their own Z report): "Offline, earlier shifts: 1 declined when sent: $5.00 not
    collected", then each by its card's last four and when it was taken."""
    losses = tally(lost, at).losses
    if not losses:
        return ()
    money = format_money(sum(loss.amount for loss in losses), currency, locale)
    said = _(EARLIER).format(declined=len(losses), lost=money)
    lines = [Line(_(EARLIER_LABEL), said, bold=True)]
    for loss in losses:
        amount = format_money(loss.amount, loss.currency, locale)
        when = f"{loss.taken_at:%Y-%m-%d %H:%M} {amount}"
        lines.append(Line(_(LOSS_LABEL).format(card=loss.card), when))
    return tuple(lines)
