"""What the use cases need of the outside world, as small Protocols (cosmicpython's ports).

The real adapters are posapp.adapters.api_client.ProviderClient and
posapp.adapters.journal.Journal; tests run the use cases against those, with the real
provider behind them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from posapp.core.entry import Entry, Outcome, State
from posapp.core.gift import Gift, Movement, StoreConfig, Transaction


class CashierError(Exception):
    """Said to the cashier as it is."""


class ProviderError(Exception):
    """Something the cashier is told in these words."""


class Declined(ProviderError):
    def __init__(self, words: str, code: str, problem: dict[str, Any]) -> None:
        super().__init__(words)
        self.code = code
        self.problem = problem


class Unreachable(ProviderError):
    pass


class OutcomeUnknown(ProviderError):
    pass


class BadAnswer(ProviderError):
    pass


class GiftProvider(Protocol):
    def validate(self, *, code: str | None = None, public_token: str | None = None) -> Gift: ...
    def redeem(
        self,
        gift_id: str,
        key: str,
        *,
        amount: int | None = None,
        quantity: int | None = None,
        allow_partial: bool = False,
        reference: str | None = None,
    ) -> Movement: ...
    def reverse(self, transaction_id: str, key: str, reason: str | None = None) -> Movement: ...
    def cash_out(self, gift_id: str, key: str, reference: str | None = None) -> Movement: ...
    def activate(
        self,
        code: str,
        amount: int,
        key: str,
        *,
        reference: str | None = None,
        recipient: dict[str, str] | None = None,
    ) -> Movement: ...
    def issue(
        self,
        amount: int,
        key: str,
        *,
        recipient: dict[str, str] | None = None,
        reference: str | None = None,
    ) -> Movement: ...
    def replay(self, request: dict[str, Any], key: str) -> Movement: ...
    def transactions(
        self,
        *,
        since: datetime | None = None,
        location_id: str | None = None,
        gift_id: str | None = None,
    ) -> list[Transaction]: ...
    def config(self) -> StoreConfig: ...


class JournalPort(Protocol):
    def current_shift(self) -> int: ...
    def shift_opened_at(self, shift_id: int) -> float: ...
    def close_shift(self, shift_id: int) -> None: ...
    def intend(
        self,
        *,
        operation: str,
        code: str,
        gift_id: str | None,
        amount: int | None,
        quantity: int | None,
        currency: str,
        key: str,
        request: dict[str, Any],
        reverses_entry: int | None = None,
    ) -> Entry: ...
    def record(
        self,
        entry_id: int,
        state: State,
        *,
        outcome: Outcome | None = None,
        transaction_id: str | None = None,
        balance_after: int | None = None,
        amount: int | None = None,
        quantity: int | None = None,
        code: str | None = None,
        gift_id: str | None = None,
        error: str | None = None,
    ) -> Entry: ...
    def entry(self, entry_id: int) -> Entry: ...
    def entries(self, shift_id: int | None = None) -> list[Entry]: ...
    def to_settle(self) -> list[Entry]: ...
    def count_to_settle(self) -> int: ...
    def reversal_of(self, entry_id: int) -> Entry | None: ...
