"""One sale paid card by card (issue 23): an amount due, the redemptions made for it, and
what is left to pay by cards or by other means. Values, no I/O.

A sale is opened with the amount due (the main register's total) and, if typed, its
ticket number. Each card redeemed in it is a payment: the journal's redemption entry, its
card and amount, and where it stands. The sum of the done payments never exceeds the amount
due: `offer` and `refusal` keep the next payment within what is left once the payments not
yet known (pending, unknown) are counted as if they had gone through, so a payment that turns
out done can never take the sale past its due.

The sale ends paid (its done payments add up to the due), handed over (the cashier collects
the rest by other means), or cancelled (every done payment reversed). Money is integers of
minor units throughout (core/money.py).
"""

from __future__ import annotations

from typing import Literal

from msgspec import Struct
from msgspec.structs import replace

from posapp.core.money import format_money
from posapp.i18n import N_, _

SaleState = Literal["open", "paid", "handed_over", "cancelled"]
# pending: sent, no answer yet; done: the provider took it; unknown: the answer was lost
# (the settler finds out); declined: the provider refused it; reversing: a reversal was
# asked and is not known to have gone through; reversed: the reversal went through.
PaymentState = Literal["pending", "done", "unknown", "declined", "reversed", "reversing"]

# Payments whose money may be on the sale: not known either way yet.
NOT_KNOWN: frozenset[str] = frozenset({"pending", "unknown"})
# Payments whose money the provider took and which is not given back (yet): a reversal
# asked but not confirmed still counts as paid until it is.
TAKEN: frozenset[str] = frozenset({"done", "reversing"})

# The words a cashier reads (posapp/i18n.py: marked here, translated where said).
NOTHING_LEFT = N_("Nothing is left to pay in this sale: finish it (Enter)")
ZERO = N_("Type an amount above zero")
OVER_LEFT = N_("{amount} is more than is left to pay in this sale ({left})")
OVER_LEFT_PENDING = N_(
    "{amount} is more than is left to pay in this sale ({left}, with {pending} not yet known)"
)
OVER_CARD = N_("This card holds {most}; {amount} is more than that")
CARD_EMPTY = N_("This card has no value left to pay with")
COLLECT = N_("Collect {left} by other means")


class SalePayment(Struct, frozen=True):
    """One card's redemption in a sale."""

    entry_id: int  # the journal entry of the redemption
    code: str  # the card (masked only when shown: core/serial_number.short)
    amount: int  # minor units, asked
    state: PaymentState
    balance_after: int | None = None


class Sale(Struct, frozen=True):
    id: int
    due: int  # the amount due, minor units
    currency: str
    ticket: str | None  # the main register's ticket/receipt number, if typed
    payments: tuple[SalePayment, ...] = ()
    state: SaleState = "open"

    @property
    def paid(self) -> int:
        """What the cards paid: the done payments (a reversal not yet confirmed counts as
        paid until it is)."""
        return sum(p.amount for p in self.payments if p.state in TAKEN)

    @property
    def left(self) -> int:
        """What is still to pay: due less paid, never negative."""
        return max(self.due - self.paid, 0)

    @property
    def pending(self) -> int:
        """What is asked and not yet known (pending or unknown payments)."""
        return sum(p.amount for p in self.payments if p.state in NOT_KNOWN)

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def collect(self, locale: str = "en_US") -> str:
        """What the cashier does for what is left: "Collect $33.20 by other means"."""
        return _(COLLECT).format(left=format_money(self.left, self.currency, locale))

    def offer(self, redeemable: int) -> int:
        """The amount to offer for a card holding `redeemable`: the smaller of that and
        what is left once the payments not yet known are counted; never below zero."""
        return max(min(redeemable, self.left - self.pending), 0)

    def refusal(self, amount: int, redeemable: int, locale: str = "en_US") -> str | None:
        """Words when `amount` may not be taken now from a card holding `redeemable`, or
        None when it may."""
        room = self.left - self.pending
        if room <= 0 and not self.pending:
            return _(NOTHING_LEFT)
        if redeemable <= 0:
            return _(CARD_EMPTY)
        if amount <= 0:
            return _(ZERO)

        def fmt(minor: int) -> str:
            return format_money(minor, self.currency, locale)

        if amount > room:
            if self.pending:
                return _(OVER_LEFT_PENDING).format(
                    amount=fmt(amount), left=fmt(max(room, 0)), pending=fmt(self.pending)
                )
            return _(OVER_LEFT).format(amount=fmt(amount), left=fmt(room))
        if amount > redeemable:
            return _(OVER_CARD).format(most=fmt(redeemable), amount=fmt(amount))
        return None

    # --- the sale's next values (the engine journals each, then keeps the new value) ---

    def with_payment(self, payment: SalePayment) -> Sale:
        """The sale with `payment` added, or replacing the one of the same journal entry."""
        kept = tuple(p for p in self.payments if p.entry_id != payment.entry_id)
        if len(kept) == len(self.payments):
            return replace(self, payments=(*self.payments, payment))
        return replace(
            self,
            payments=tuple(payment if p.entry_id == payment.entry_id else p for p in self.payments),
        )

    def done_newest_first(self) -> tuple[SalePayment, ...]:
        """The payments a cancellation reverses, newest first (the order they were made,
        backwards)."""
        return tuple(p for p in reversed(self.payments) if p.state in TAKEN)
