"""The terminal's use cases: what the window calls (product.md, "Flows").

Each money movement follows house rule 6: the intent goes to the journal with its
idempotency key, then the provider is called, then the outcome is journalled. Each use case
returns the Receipt of what happened; a CashierError carries words for the cashier."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field, replace
from datetime import UTC, datetime

from posapp.core import cash_out as cash_policy
from posapp.core import intent as intents
from posapp.core import refusals
from posapp.core.activation import amount_refusal
from posapp.core.answer import doubted_notes
from posapp.core.cash_out_law import receipt_notes
from posapp.core.entry import NEW_CARD, Entry
from posapp.core.gift import Gift, GiftCardConfig, Movement, closed_by_cash_out, may_be_cashed_out
from posapp.core.money import AmountError, check_amount
from posapp.core.receipt import Line, Receipt, ReceiptKind
from posapp.core.receipt_lines import (
    balance_lines,
    entry_lines,
    local,
    make_receipt,
    reversed_lines,
)
from posapp.core.serials import CardRef
from posapp.core.settings import TillSettings
from posapp.core.settled import settled
from posapp.terminal import reversal
from posapp.terminal.movement import Moved, Mover, MoveSpec, journalled_move
from posapp.terminal.offline import NotChecked, Offline
from posapp.terminal.ports import (
    PIN_NEEDED,
    WRONG_PIN,
    CashierError,
    Declined,
    GiftProvider,
    JournalPort,
    NotSent,
    PinNeeded,
    ProviderError,
)
from posapp.terminal.sale import Sales
from posapp.terminal.shift import Shift


@dataclass
class Terminal:
    settings: TillSettings
    provider: GiftProvider
    journal: JournalPort
    # The name on receipts at start: config's `terminal.cashier` unless given (the Shift
    # keeps it from then on, with its sign-ins).
    cashier: InitVar[str | None] = None
    new_key: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # Called when an outcome stays unknown, so the settler starts at once.
    on_unknown: Callable[[], None] = field(default=lambda: None)
    _store: GiftCardConfig | None = None

    def __post_init__(self, cashier: str | None) -> None:
        self.patterns = self.settings.patterns
        self.locale = self.settings.locale
        self.heading = self.settings.heading
        configured = self.settings.cashier
        self.shift = Shift(
            self.journal,
            self.provider,
            self.heading,
            self.locale,
            currency=lambda: self.store_config().currency,
            configured=configured,
            cashier=configured if cashier is None else cashier,
            clock=self.clock,
        )
        self.sales = Sales(self)  # a sale paid card by card (issue 23)
        self.offline = Offline.of(self)  # issue 24: selling while the provider is down

    # --- cards ----------------------------------------------------------------------------

    def card_ref(self, scanned: str) -> CardRef:
        found = self.patterns.extract(scanned)
        if isinstance(found, CardRef):
            return found
        raise CashierError(found.reason)

    def check(self, scanned: str | CardRef, *, pin: str | None = None) -> Gift:
        """Scan, extract, validate: the card as the provider sees it now. `pin`: the card's
        PIN, typed by the customer, else the one its scan carried (a pattern's `pin` group).
        PinNeeded (no PIN, the card needs one) and a wrong PIN come out as they are: the
        till asks for the PIN on them."""
        ref = scanned if isinstance(scanned, CardRef) else self.card_ref(scanned)
        code, token = (ref.value, None) if ref.lookup == "code" else (None, ref.value)
        pin = pin or ref.pin
        try:
            return self._seen(self.provider.validate(code=code, public_token=token, pin=pin))
        except Declined as exc:
            if exc.code in (PIN_NEEDED, WRONG_PIN):  # PinNeeded, or a PIN refused
                raise
            raise CashierError(str(exc)) from exc
        except NotSent as exc:  # the till may take it offline (terminal/offline.py)
            raise NotChecked(str(exc), code) from exc
        except ProviderError as exc:
            raise CashierError(str(exc)) from exc

    def _seen(self, gift: Gift) -> Gift:
        """The card as the provider answered it, its balance kept for offline selling."""
        return self._as_known(self.offline.seen(gift))

    def card_after(self, receipt: Receipt, *, pin: str | None = None) -> Gift | None:
        """The card a receipt moved money on, read again, so the screen shows it after its
        sale, refund or redemption (None when the provider does not answer, or for reports);
        `pin`: its PIN, where the card on screen has one (a reversal on it)."""
        if receipt.serial_number is None or receipt.not_confirmed:
            return None
        try:
            return self._seen(self.provider.validate(code=receipt.serial_number, pin=pin))
        except ProviderError:
            return None

    def refresh(self, gift: Gift, *, pin: str | None = None) -> Gift | None:
        """The card read again after a movement (None when the provider does not answer:
        the receipt already said what happened), with its PIN where it has one."""
        try:
            return self._seen(self.provider.validate(code=gift.code, pin=pin))
        except ProviderError:
            return None

    def _as_known(self, gift: Gift) -> Gift:
        """A card a cash-out closed reads as cashed out, not as "disabled" (api.md: a
        cash-out takes all the balance and disables the card). Only a disabled monetary card
        with nothing on it is looked at: its own transactions (by index), for a cash-out that
        was not reversed (a reversal would have enabled the card again)."""
        if not may_be_cashed_out(gift):
            return gift
        try:
            moves = self.provider.transactions(gift_id=gift.id)
        except ProviderError:
            return gift  # "disabled" then: the card shows, the scan is not lost for it
        return closed_by_cash_out(gift, moves)

    def known_store_config(self) -> GiftCardConfig | None:
        """What the provider said of the store, without asking (safe on the Tk thread); None
        until an answer came. The window's status watch calls store_config() until then."""
        return self._store

    def store_config(self, *, fresh: bool = False) -> GiftCardConfig:
        if self._store is None or fresh:
            try:
                self._store = self.provider.config()
            except ProviderError as exc:
                raise CashierError(str(exc)) from exc
        return self._store

    # --- money movements ------------------------------------------------------------------

    def redeem(
        self,
        gift: Gift,
        amount: int | None = None,
        *,
        use_all: bool = False,
        quantity: int | None = None,
        pin: str | None = None,
        sale_id: int | None = None,
        reference: str | None = None,
    ) -> Receipt:
        """An amount, all that is there ("use what is there", split tender), or items; `pin`:
        the card's own, where its brand needs one (never journalled); `sale_id`, `reference`:
        the sale paid card by card it pays (terminal/sale.py), its ticket for the ledger."""
        self._redeemable(gift)
        if gift.kind == "item":
            quantity = quantity or 1
            if quantity > gift.eligible_item_quantity:
                raise CashierError(refusals.only_left(gift, self.locale))
            wanted = intents.redeem(gift.id, quantity=quantity)
        elif use_all:
            wanted = intents.redeem(gift.id, amount=gift.eligible_value, use_all=True)
        else:
            amount = self._amount(amount, gift.currency)
            if amount > gift.eligible_value:
                raise CashierError(refusals.only_left(gift, self.locale))
            wanted = intents.redeem(gift.id, amount=amount, reference=reference)
        spec = MoveSpec(wanted, gift.code, gift.currency, gift, None, gift.item_label, pin=pin)
        return self._move(replace(spec, sale_id=sale_id))  # the card as the cashier saw it

    def cash_out(self, gift: Gift, *, pin: str | None = None, law: str | None = None) -> Receipt:
        """The whole balance in cash (seed 000), while the provider allows it; `pin`: the
        card's own, where its brand needs one; `law`: the statute that requires it (issue
        25.3), which the store's own switch and limit yield to, journalled and sent."""
        self._redeemable(gift)
        if gift.kind != "monetary":
            raise CashierError(refusals.item_cash_out())
        # config.md provider.cash_out: "redeem" is for providers with no cash-out call, whose
        # adapter redeems the whole balance; the store's cash-out switch is api.md's.
        if self.settings.cash_out == "endpoint" and law is None:  # asked fresh; both alike
            policy = cash_policy.policy_of(self.store_config(fresh=True))  # unjournalled: #10/J
            if refused := cash_policy.refusal(gift, policy, self.locale):
                raise CashierError(refused)
        wanted = intents.cash_out(gift.id, gift.eligible_value, required_by=law)
        return self._move(MoveSpec(wanted, gift.code, gift.currency, before=gift, pin=pin))

    def reverse(
        self,
        entry_id: int,
        reason: str | None = None,
        *,
        pin: str | None = None,
        sale_id: int | None = None,
    ) -> Receipt:
        """A redemption or cash-out reversed, or a card sold or issued voided (this shift's;
        a redemption or cash-out of an earlier one too): terminal/reversal.py says what.
        `pin`: its card's, where the card on screen has one (the card is read with it)."""
        original = self.journal.entry(entry_id)
        wanted = reversal.undo_intent(self.journal, original, reason=reason)
        checked_by = None
        if wanted.operation == "reversal":
            # The card as it is now, read before: its answer is not believed if it says
            # more went back than was reversed (issue 18.3). Not read, nothing is sent.
            try:
                checked_by = self.provider.validate(code=original.code, pin=pin)
            except PinNeeded:
                # A card read only with its PIN (Adyen) and not on screen with it: the
                # reversal names the payment, needs no PIN, and its answer is checked
                # without the card read (it says no balance the till could doubt).
                checked_by = None
            except ProviderError as exc:
                raise CashierError(str(exc)) from exc
        spec = MoveSpec(
            wanted,
            original.code,
            original.currency,
            reverses=entry_id,
            item_label=original.item_label,
            checked_by=checked_by,
            pin=pin,
            sale_id=sale_id,
        )
        return self._move(spec)

    def sell(
        self, scanned: str, *, amount: int | None = None, pricebook: str | None = None
    ) -> Receipt:
        """Activate a new card (seed 001): a denomination's price book, or an amount."""
        if pricebook is not None:
            amount = self.settings.prices.get(pricebook)
            if amount is None:
                raise CashierError(refusals.no_denomination(pricebook))
        currency = self.store_config().currency
        amount = self._amount(amount, currency)
        # [sale]: refused in words before any call (issue 19.3)
        refused = amount_refusal(amount, self.settings.sale, currency, self.locale)
        if refused:
            raise CashierError(refused)
        ref = self.card_ref(scanned)
        wanted = intents.activate(ref.value, amount, reference=pricebook)
        return self._move(MoveSpec(wanted, ref.value, currency, pin=ref.pin))

    def refund_to_card(self, amount: int | None, email: str | None = None) -> Receipt:
        """A new card for a refund (seed 001); the receipt carries its code as a barcode."""
        currency = self.store_config().currency
        amount = self._amount(amount, currency)
        if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
            raise CashierError(refusals.not_an_email(email))
        wanted = intents.issue(amount, recipient_email=email or None)
        return self._move(MoveSpec(wanted, NEW_CARD, currency))

    def print_balance(self, gift: Gift) -> Receipt:
        """The balance once; why it cannot be spent, when it cannot."""
        lines, notes = balance_lines(gift, self.locale)
        return self._receipt("balance", lines, serial=gift.code, notes=notes)

    def settled_slip(self, entry: Entry) -> Receipt:
        """The short slip of a movement settled after its answer was lost: what it was, that
        it went through or not, what to do now (core/settled.py, issue 19.10)."""
        said = settled(entry, self.locale, self._at(entry.created_at))
        moved = said.moved and entry.transaction_id is not None
        new_card = entry.operation == "issue" and said.moved  # its code: only on paper
        return self._receipt(
            "settled",
            list(said.lines),
            serial=entry.card_code,
            transaction_id=entry.transaction_id if moved else None,
            receipt_number=self.journal.receipt_number(entry.id) if moved else None,
            new_card_code=entry.code if new_card else None,
            notes=said.notes,
        )

    # --- the shared path ------------------------------------------------------------------

    def _redeemable(self, gift: Gift) -> None:
        why = gift.why_not_redeemable()
        if why:
            raise CashierError(why)

    def _amount(self, amount: int | None, currency: str) -> int:
        try:
            return check_amount(amount if amount is not None else 0, currency, self.locale)
        except AmountError as exc:
            raise CashierError(str(exc)) from exc

    def _move(self, spec: MoveSpec) -> Receipt:
        """A money movement, journalled (terminal/movement.py), and its receipt."""
        mover = Mover(self.provider, self.journal, self.new_key, self.on_unknown, self.locale)
        moved: Moved = journalled_move(spec, mover)
        if moved.movement is None:
            return self.entry_receipt(moved.entry, not_confirmed=True)
        return self.entry_receipt(moved.entry, movement=moved.movement, before=spec.before)

    def entry_receipt(
        self,
        entry: Entry,
        *,
        movement: Movement | None = None,
        before: Gift | None = None,
        not_confirmed: bool = False,
        as_made: bool = False,
    ) -> Receipt:
        """The receipt of a journal entry (also for reprints and settled entries); as_made:
        dated when the entry was made (the receipt preview of an earlier transaction)."""
        kind: ReceiptKind = entry.operation  # type: ignore[assignment]
        lines = entry_lines(
            entry, self.locale, movement=movement, before=before, not_confirmed=not_confirmed
        )
        if kind in ("reversal", "void") and entry.reverses_entry is not None:
            original = self.journal.entry(entry.reverses_entry)
            undone = reversed_lines(
                original,
                self._at(original.created_at),
                voids=original.operation in reversal.VOIDED,
                earlier=original.shift_id != entry.shift_id,
            )
            lines[:0] = undone  # first: what is undone
        new_code = entry.code if kind == "issue" and entry.moved_money else None
        unsure = not_confirmed or entry.to_settle
        return self._receipt(
            kind,
            lines,
            serial=entry.card_code,
            transaction_id=entry.transaction_id,
            # Only a transaction the provider confirmed can be found again to reverse.
            receipt_number=self.journal.receipt_number(entry.id) if entry.transaction_id else None,
            new_card_code=new_code,
            not_confirmed=unsure,
            signature_line=kind == "cash_out",
            # No cash for a cash-out the provider has not confirmed.
            open_drawer=kind == "cash_out" and not unsure,
            # The law a cash-out was made for, once it is (done_words reads a receipt not
            # confirmed by its first note: the doubted answer's).
            notes=doubted_notes(entry) + (() if unsure else receipt_notes(entry)),
            when=self._at(entry.created_at) if as_made else None,
        )

    def _at(self, timestamp: float) -> datetime:
        return local(timestamp, self.clock().tzinfo)

    def _receipt(
        self,
        kind: ReceiptKind,
        lines: list[Line],
        *,
        serial: str | None = None,
        when: datetime | None = None,
        transaction_id: str | None = None,
        receipt_number: str | None = None,
        new_card_code: str | None = None,
        not_confirmed: bool = False,
        signature_line: bool = False,
        open_drawer: bool = False,
        notes: tuple[str, ...] = (),
    ) -> Receipt:
        """A customer's receipt: the store's heading and footer, the cashier signed in."""
        return make_receipt(
            self.heading,
            kind,
            lines,
            cashier=self.shift.cashier or "",
            when=self.clock() if when is None else when,
            serial=serial,
            transaction_id=transaction_id,
            receipt_number=receipt_number,
            new_card_code=new_card_code,
            not_confirmed=not_confirmed,
            signature_line=signature_line,
            open_drawer=open_drawer,
            notes=notes,
        )
