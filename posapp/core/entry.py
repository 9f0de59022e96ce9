"""One line of the terminal's journal: a money movement, from intent to outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from posapp.core.intent import Intent
from posapp.i18n import N_

State = Literal["pending", "completed", "declined", "unknown", "settled"]
# What a settled entry turned out to be: the money moved, or it did not.
Outcome = Literal["completed", "declined"]
# The first words of a movement the provider never got (it could not be reached): recorded
# declined (the journal's states are fixed), said and listed as not sent: nothing happened,
# and no card was made for a refund (trial till #11/K: "declined", "(not known yet)").
# Stored in the journal as it is (English); `_(NOT_SENT)` where it is shown.
NOT_SENT = N_("Not sent: nothing happened.")
# The code an issue's entry holds until the provider answers with the new card's: what the
# journal stores (rows written before this name existed hold it too, so it stays this text).
NEW_CARD = "(new card)"


def not_sent(why: str) -> str:
    """The words of a movement never sent, `why` being the provider's unreachability."""
    return f"{NOT_SENT} {why}"


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    shift_id: int
    operation: str  # redemption, reversal, cash_out, activation, issue
    code: str  # the card's serial (the new card's, once an issue completes)
    gift_id: str | None
    amount: int | None
    quantity: int | None
    currency: str
    idempotency_key: str
    state: State
    outcome: Outcome | None
    transaction_id: str | None
    balance_after: int | None
    error: str | None
    intent: Intent  # what was asked, sent again with the same key until it settles
    created_at: float
    reverses_entry: int | None = None
    item_label: str | None = None  # an item gift's item ("Coffee"): lists and receipts name it
    # A 2xx answer that did not add up (core/answer.py), as it came: the manager reads it;
    # `error` says what did not add up. Kept after the entry settles.
    answer: str | None = None
    # When the provider made the transaction, by its own clock (epoch seconds): what
    # reconciliation asks the provider by (issue 18).
    provider_at: float | None = None
    # A manager change (issue 19.2): who made it (the name signed in) and what the card held
    # before, as the manager saw it; balance_after is what it holds after.
    who: str | None = None
    balance_before: int | None = None
    # The sale paid card by card this redemption (or its reversal) was made for (issue 23;
    # journal version 13), None for a movement of its own.
    sale_id: int | None = None
    # Taken while the provider could not be reached (issue 24; journal version 14): kept
    # "unknown" with its key until the settler forwards it; a forwarded one the provider
    # declines is the store's loss.
    offline: bool = False

    @property
    def lost(self) -> bool:
        """An offline redemption the provider declined when forwarded: not collected."""
        return self.offline and self.state == "settled" and self.outcome == "declined"

    @property
    def card_code(self) -> str | None:
        """The card's code, or None while an issue's new card has none yet (NEW_CARD)."""
        return None if self.code == NEW_CARD else self.code

    @property
    def moved_money(self) -> bool:
        return self.state == "completed" or (
            self.state == "settled" and self.outcome == "completed"
        )

    @property
    def never_sent(self) -> bool:
        return self.state == "declined" and (self.error or "").startswith(NOT_SENT)

    @property
    def to_settle(self) -> bool:
        return self.state in ("pending", "unknown")
