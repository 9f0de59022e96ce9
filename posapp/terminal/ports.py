"""What the use cases need of the outside world, as small Protocols (cosmicpython's ports).

The real adapters are posapp.adapters.api_client.ProviderClient (api.md) or
posapp.adapters.square.SquareClient (Square's Gift Cards API), chosen in app.py by
config.md's provider.api, and posapp.adapters.journal.Journal; tests run the use cases
against those, with the real provider or the fake Square behind them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from posapp.core.entry import Entry, Outcome, State
from posapp.core.errors import ForPeople
from posapp.core.gift import Gift, GiftCardConfig, Movement, Transaction
from posapp.core.intent import Intent
from posapp.core.offline import LastKnown
from posapp.core.receipt import Receipt
from posapp.core.reports import Totals
from posapp.core.sale import Sale, SaleState
from posapp.core.setting_change import SettingChange
from posapp.core.sign_in import How, SignIn
from posapp.i18n import _


class CashierError(ForPeople):
    """Said to the cashier as it is."""


class JournalUnwritable(CashierError):
    """The journal's file cannot take a write: its disk is full, it is read-only, or it was
    deleted or replaced while the till ran. `problem` and `fix` are words naming what and
    what to do; `held`: the write was an outcome, kept in memory to be written later."""

    def __init__(self, path: str, problem: str, fix: str, *, held: bool = False) -> None:
        said = _("The till cannot write to its journal {path}: {problem}. {fix}.")
        super().__init__(said.format(path=path, problem=problem, fix=fix))
        self.path, self.problem, self.fix, self.held = path, problem, fix, held


class NotConfirmed(CashierError):
    """A money movement whose outcome the till could not keep: it may have moved money.
    Its card takes no other movement until it is settled."""


class ProviderError(ForPeople):
    """Something the cashier is told in these words."""


class PrintFailed(ForPeople):
    """A receipt the printer did not print, in words naming the printer and what to do; the
    receipt is kept to print again, and what it records stands. `data`: the job's bytes."""

    def __init__(self, words: str, data: bytes = b"") -> None:
        super().__init__(words)
        self.data = data


@dataclass(frozen=True, slots=True)
class PrintJob:
    """One receipt's job as it went: its bytes, and what became of it in the cashier's words
    ("receipt printed", the picture it was saved as, or that this till prints nothing).
    Returned by the print itself: another job may be printing by then (a settled slip, a
    report, each from its own worker thread)."""

    data: bytes
    said: str


class ReceiptPrinter(Protocol):
    """Where receipts go (posapp/adapters/printer.py's ReceiptPrinter): `print` prints one job
    at a time and returns it (PrintJob), or raises PrintFailed in words (the receipt is kept
    to print again); `transport` None: the till has no printer, so nothing is on paper."""

    @property
    def transport(self) -> object | None: ...
    def print(self, receipt: Receipt) -> PrintJob: ...


class Declined(ProviderError):
    def __init__(self, words: str, code: str, problem: dict[str, Any]) -> None:
        super().__init__(words)
        self.code = code
        self.problem = problem


PIN_NEEDED = "pin_needed"  # PinNeeded's code
WRONG_PIN = "wrong_pin"  # Declined's code for a card PIN the provider refused


class PinNeeded(Declined):
    """The card's brand needs the card's PIN and none was given: raised by an adapter before
    any call, so nothing was asked and nothing moved. The till asks the customer for the PIN
    on its masked keypad and calls again with it (issue 21 point 3). Its words never hold a
    PIN; a wrong PIN is `Declined(words, WRONG_PIN, problem)` instead. Made as a Declined is,
    or with its words alone."""

    def __init__(
        self, words: str, code: str = PIN_NEEDED, problem: dict[str, object] | None = None
    ) -> None:
        super().__init__(words, code, dict(problem or {}))


class Unreachable(ProviderError):
    pass


class NotSent(Unreachable):
    """The request never left the till: the connection refused, the provider's name not
    found, no connection in time. Nothing reached the provider, so nothing happened there:
    the one failure a redemption may be taken offline on (issue 24; never a decline, a
    refusal, a read that timed out after it was sent, or a TLS failure)."""


class OutcomeUnknown(ProviderError):
    pass


class BadAnswer(ProviderError):
    pass


class LookupFailed(OutcomeUnknown):
    """The provider cannot say whether a movement happened (no answer, a fault, a provider
    without the lookup, an answer that does not fit): its outcome stays unknown."""


class NoReference(LookupFailed):
    """The movement was sent with nothing the provider keeps to find it by: an entry
    written before the till's references (issue 18), or a movement the API gives no
    reference (Square's CLEAR_BALANCE)."""


class Doubted(OutcomeUnknown):
    """A 2xx answer that does not add up (core/answer.py): the words say why; `answer` is
    the provider's answer as it came, kept for the manager."""

    def __init__(self, words: str, answer: str) -> None:
        super().__init__(words)
        self.answer = answer


class GiftProvider(Protocol):
    """A gift card provider, whichever API it speaks (house rule 14): money moves through
    `send`, the rest are reads. Adapters raise the errors above, never their own.

    `pin` is the card's own PIN, typed by the customer or taken from the scan by a pattern's
    `pin` group (issue 21 point 3). It lives only in memory for the card on screen: it is
    never part of an Intent, the journal, a log, a receipt or an exception's words, so an
    adapter that needs it and has none raises PinNeeded, and a settler (which never has it)
    settles without it."""

    def validate(
        self, *, code: str | None = None, public_token: str | None = None, pin: str | None = None
    ) -> Gift: ...
    def send(self, intent: Intent, idempotency_key: str, *, pin: str | None = None) -> Movement:
        """The movement, once per key while the provider remembers the key: a key sent
        again gets the first outcome. Its intent's client_reference goes with it."""
        ...

    def look_up(self, intent: Intent, idempotency_key: str) -> Movement | None:
        """The movement the provider made for this intent, found by its client_reference
        (the card as it is now), or None when the provider says it has none. LookupFailed
        when it cannot say; NoReference when the intent went out with nothing to find it by.
        The settler asks this before it sends an unknown movement again (issue 18)."""
        ...

    def transactions(
        self,
        *,
        since: datetime | None = None,
        location_id: str | None = None,
        gift_id: str | None = None,
    ) -> list[Transaction]: ...
    def config(self) -> GiftCardConfig: ...


@runtime_checkable
class Cancels(Protocol):
    """A provider that cancels a movement it never got (api.md "Canceling a movement that
    never came"); Square has no such call (README: its known limit)."""

    def cancel(self, intent: Intent, idempotency_key: str) -> Movement | None:
        """Cancel unless done, in one step: the movement if it happened after all, or None
        (canceled: it can never happen). LookupFailed when the provider cannot say."""
        ...


class Intents(Protocol):
    """The journal's money path (house rule 5): an intent before the call, its outcome
    after, and what is still to settle."""

    def intend(
        self,
        intent: Intent,
        *,
        code: str,
        currency: str,
        key: str,
        reverses_entry: int | None = None,
        item_label: str | None = None,
        who: str | None = None,
        balance_before: int | None = None,
        sale_id: int | None = None,
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
        answer: str | None = None,
        provider_at: float | None = None,
    ) -> Entry: ...
    def record_movement(self, entry_id: int, movement: Movement, *, settled: bool) -> Entry: ...
    def held(self) -> list[int]:
        """The entries whose outcome waits in memory (pending on disk until written)."""
        ...

    def write_held(self) -> None:
        """Outcomes kept in memory because the file could not take them, written now."""
        ...

    def to_settle(self) -> list[Entry]: ...
    def count_to_settle(self) -> int: ...


class EntryFinder(Protocol):
    """Journal entries found by id, by a receipt's barcode, or as what undid them."""

    def entry(self, entry_id: int) -> Entry: ...
    def entry_for_transaction(self, shift_id: int | None, transaction_id: str) -> Entry | None: ...
    def entry_for_receipt(self, shift_id: int | None, number: str) -> Entry | None: ...
    def receipt_number(self, entry_id: int) -> str: ...
    def reversal_of(self, entry_id: int) -> Entry | None: ...
    def refunds_issued(self, since: float, limit: int) -> list[Entry]: ...


class ShiftBook(Protocol):
    """The journal's shifts: when each opened and closed, its entries and totals, who
    signed in, and what the provider's list of transactions is checked against."""

    def current_shift(self) -> int: ...
    def shift_opened_at(self, shift_id: int) -> float: ...
    def close_shift(self, shift_id: int, *, then: SignIn | None = None) -> None: ...
    def entries(self, shift_id: int | None = None) -> list[Entry]: ...
    def shift_page(
        self, shift_id: int, before: int | None = None, limit: int = 20
    ) -> list[Entry]: ...
    def shift_totals(self, shift_id: int) -> tuple[Totals, str | None]: ...
    def last_closed_shift(self) -> tuple[int, float, float] | None: ...
    def provider_time_before(self, shift_id: int) -> float | None: ...
    def known_transactions(self, transaction_ids: Iterable[str]) -> set[str]: ...
    def known_keys(self, keys: Iterable[str]) -> set[str]: ...
    def manager_changes(self, shift_id: int) -> list[Entry]: ...
    def wrong_pins_since(self, since: float, until: float | None = None) -> tuple[int, int]: ...
    def sign_in(self, at: float, name: str, how: How) -> None: ...
    def last_sign_in(self) -> SignIn | None: ...
    def sign_ins(self, since: float, until: float) -> list[SignIn]: ...
    def setting_changes(self, since: float, until: float) -> list[SettingChange]: ...
    # A shift's sales paid card by card (journal version 13): counted, and each with its
    # entries, for the reports and the reconciliation.
    def shift_sales(self, shift_id: int) -> dict[str, int]: ...
    def sales_in_shift(self, shift_id: int) -> list[Sale]: ...
    def sale_entries(self, sale_id: int) -> list[Entry]: ...


class OfflineBook(Protocol):
    """The journal's offline selling (issue 24, journal version 14): each card as last seen
    online, the redemptions taken offline, the manager's switch for the shift."""

    def see_card(self, gift: Gift, at: float) -> None: ...
    def forget_card(self, code: str) -> None: ...
    def last_known(self, code: str) -> LastKnown | None: ...
    def queue_offline(self, entry_id: int, words: str, at: float) -> bool: ...
    def offline_entries(self, shift_id: int) -> list[Entry]: ...
    def offline_losses(self) -> list[Entry]: ...
    def offline_lost_during(self, shift_id: int, until: float) -> list[Entry]: ...
    def switch_offline(self, shift_id: int, *, off: bool, who: str, at: float) -> None: ...
    def offline_off(self, shift_id: int) -> bool: ...


class Movements(Intents, EntryFinder, Protocol):
    """What a money movement and the settler use: intents and outcomes, and the entries."""


class Settling(Movements, Protocol):
    """What the settler uses: the movements, and forgetting a card's last known balance
    once a redemption taken offline on it is declined (issue 24: it was spent elsewhere)."""

    def forget_card(self, code: str) -> None: ...


class ShiftJournal(ShiftBook, EntryFinder, OfflineBook, Protocol):
    """What the shift's reports, pages and undo look-ups use."""


class SaleBook(Protocol):
    """The journal's sales paid card by card (issue 23; adapters/sale_record.py): a sale's
    payments and reversals are entries made with its `sale_id` (Intents.intend), read by
    ShiftBook.sale_entries."""

    def open_sale(self, due: int, currency: str, ticket: str | None) -> Sale: ...
    def close_sale(self, sale_id: int, state: SaleState) -> bool: ...
    def sale(self, sale_id: int) -> Sale | None: ...
    def open_sales(self) -> list[Sale]: ...
    def sale_printed(self, sale_id: int) -> None: ...
    def last_closed_sale(self) -> tuple[Sale, bool] | None: ...


class JournalPort(Intents, EntryFinder, ShiftBook, SaleBook, OfflineBook, Protocol):
    """The whole journal (adapters/journal.py's Journal): what the terminal is built with;
    each use case asks for the part it uses."""


class CardAdmin(Protocol):
    """The provider's admin calls a manager's money change needs (terminal/adjustment.py):
    api.md's gift card CRUD with an admin token. Square has none (its Dashboard does it)."""

    def apply(self, intent: Intent, idempotency_key: str, *, again: bool = False) -> Gift | None:
        """A manager change (intent.operation in core.intent.CHANGES), once per key; the
        card after it (None: canceled, not read again). `again`: its outcome was unknown:
        the change is looked for by its client reference first, and sent again only when
        the provider has none (LookupFailed when it cannot say)."""
        ...


class GiftCardAdmin(Protocol):
    """The provider's admin calls (api.md's gift card CRUD with the admin token) that the
    gift cards screen and its use cases (terminal/gift_cards.py) make; ProviderClient is
    the real one. Square has none (its Dashboard does it)."""

    def gift_cards(
        self,
        *,
        code: str | None = None,
        code_ends_with: str | None = None,
        after: str | None = None,
        before: str | None = None,
        limit: int = 50,
        include_canceled: bool = False,
    ) -> list[Gift]: ...
    def transactions(self, *, gift_id: str | None = None) -> list[Transaction]: ...
    def validate(self, *, code: str | None = None, public_token: str | None = None) -> Gift: ...
    def create_gift_card(self, code: str, balance: int, key: str, **extra: Any) -> Gift: ...
    def change_gift_card(self, gift_id: str, key: str, **changes: Any) -> Gift: ...
    def cancel_gift_card(self, gift_id: str, key: str) -> None: ...
    def close(self) -> None: ...
