"""The terminal's use cases: what the window calls (product.md, "Flows").

Each money movement follows house rule 6: the intent goes to the journal with its
idempotency key, then the provider is called, then the outcome is journalled. Each use case
returns the Receipt of what happened; a CashierError carries words for the cashier.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from posapp.config import Config
from posapp.core import adjustment as manager_changes
from posapp.core import cash_out as cash_policy
from posapp.core import intent as intents
from posapp.core.activation import amount_refusal
from posapp.core.answer import doubted_notes
from posapp.core.cardview import cannot_pay, capital
from posapp.core.entry import NEW_CARD, Entry, not_sent
from posapp.core.gift import (
    Gift,
    GiftCardConfig,
    Movement,
    closed_by_cash_out,
    may_be_cashed_out,
)
from posapp.core.glossary import CASHED_OUT, count, day, items, transaction
from posapp.core.intent import Intent
from posapp.core.money import AmountError, check_amount, format_money
from posapp.core.pin_lock import wrong_pin_lines
from posapp.core.receipt import Line, Receipt, ReceiptKind
from posapp.core.reports import (
    NET_MEANS,
    SINCE_MARGIN_S,
    provider_since,
    reconcile,
    report_lines,
)
from posapp.core.serials import CardRef, SerialPatterns
from posapp.core.settled import settled
from posapp.core.settling import not_written, still_to_settle, unsettled_on_card
from posapp.core.sign_in import cashier_lines
from posapp.terminal import reversal
from posapp.terminal.lookup import believed
from posapp.terminal.ports import (
    CashierError,
    Declined,
    Doubted,
    GiftProvider,
    JournalPort,
    JournalUnwritable,
    NotConfirmed,
    OutcomeUnknown,
    ProviderError,
    Unreachable,
)

# The receipt's first line, what moved: what the customer paid or was paid.
AMOUNT_LABEL = {
    "cash_out": "Cash paid out",
    "activation": "Sold for",
    "issue": "Refunded",
    "void": "Voided",
}
SHIFT_PAGE = 20  # the shift list's rows read at a time: a screenful, and some


log = logging.getLogger("posapp.terminal")


@dataclass
class Terminal:
    config: Config
    provider: GiftProvider
    journal: JournalPort
    # The name on receipts: config's `terminal.cashier`, or a per-shift sign-in.
    cashier: str | None = None
    new_key: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # Called when an outcome stays unknown, so the settler starts at once.
    on_unknown: Callable[[], None] = field(default=lambda: None)
    _store: GiftCardConfig | None = None

    def __post_init__(self) -> None:
        self.patterns = SerialPatterns.load(self.config.patterns)
        self.locale = self.config.store.locale
        if self.cashier is None:
            self.cashier = self.config.terminal.cashier

    def resume_sign_in(self) -> None:
        """At start: the name signed in before a restart stays until the Z report (the
        journal keeps sign-ins, version 10); with none, the config's name is signed in now.
        A journal that cannot take it is logged: the name still goes on the receipts."""
        last = self.journal.last_sign_in()
        configured = self.cashier or ""
        if last is not None and (last.how == "manager" or last.name == configured):
            self.cashier = last.name or None
            return
        try:
            self.journal.sign_in(self.clock().timestamp(), configured, "start")
        except JournalUnwritable as exc:
            log.warning("the sign-in at start was not kept: %s", exc)

    def sign_in(self, name: str) -> None:
        """A cashier signs in for the shift: their name goes on its receipts until the Z
        report closes it, across a restart (the journal keeps it)."""
        name = " ".join(name.split())[:40]
        self.journal.sign_in(self.clock().timestamp(), name, "manager")
        self.cashier = name

    # --- cards ----------------------------------------------------------------------------

    def card_ref(self, scanned: str) -> CardRef:
        found = self.patterns.extract(scanned)
        if isinstance(found, CardRef):
            return found
        raise CashierError(found.reason)

    def check(self, scanned: str | CardRef) -> Gift:
        """Scan, extract, validate: the card as the provider sees it now."""
        ref = scanned if isinstance(scanned, CardRef) else self.card_ref(scanned)
        kwargs = {"code": ref.value} if ref.lookup == "code" else {"public_token": ref.value}
        try:
            return self._as_known(self.provider.validate(**kwargs))
        except ProviderError as exc:
            raise CashierError(str(exc)) from exc

    def card_after(self, receipt: Receipt) -> Gift | None:
        """The card a receipt moved money on, read again, so the screen shows it after its
        sale, refund or redemption (None when the provider does not answer, or for reports)."""
        if receipt.serial_number is None or receipt.not_confirmed:
            return None
        try:
            return self._as_known(self.provider.validate(code=receipt.serial_number))
        except ProviderError:
            return None

    def refresh(self, gift: Gift) -> Gift | None:
        """The card read again after a movement (None when the provider does not answer:
        the receipt already said what happened)."""
        try:
            return self._as_known(self.provider.validate(code=gift.code))
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
    ) -> Receipt:
        """An amount, all that is there ("use what is there", split tender), or items."""
        self._redeemable(gift)
        if gift.kind == "item":
            quantity = quantity or 1
            if quantity > gift.eligible_item_quantity:
                raise CashierError(f"Only {gift.left(self.locale)} left on this card")
            wanted = intents.redeem(gift.id, quantity=quantity)
        elif use_all:
            wanted = intents.redeem(gift.id, amount=gift.eligible_value, use_all=True)
        else:
            amount = self._amount(amount, gift.currency)
            if amount > gift.eligible_value:
                raise CashierError(f"Only {gift.left(self.locale)} left on this card")
            wanted = intents.redeem(gift.id, amount=amount)
        return self._move(wanted, gift.code, gift.currency, before=gift, item_label=gift.item_label)

    def cash_out(self, gift: Gift) -> Receipt:
        """The whole balance in cash (seed 000), while the provider allows it."""
        self._redeemable(gift)
        if gift.kind != "monetary":
            raise CashierError("An item gift card cannot be paid out in cash")
        # config.md provider.cash_out: "redeem" is for providers with no cash-out call, whose
        # adapter redeems the whole balance; the store's cash-out switch is api.md's.
        if self.config.provider.cash_out == "endpoint":  # asked fresh; both refusals alike
            policy = cash_policy.policy_of(self.store_config(fresh=True))  # unjournalled: #10/J
            if refused := cash_policy.refusal(gift, policy, self.locale):
                raise CashierError(refused)
        wanted = intents.cash_out(gift.id, gift.eligible_value)
        return self._move(wanted, gift.code, gift.currency, before=gift)

    def reverse(self, entry_id: int, reason: str | None = None) -> Receipt:
        """A redemption or cash-out reversed, or a card sold or issued voided (this shift's;
        a redemption or cash-out of an earlier one too): terminal/reversal.py says what."""
        original = self.journal.entry(entry_id)
        wanted = reversal.undo_intent(self.journal, original, reason=reason)
        checked_by = None
        if wanted.operation == "reversal":
            # The card as it is now, read before: its answer is not believed if it says
            # more went back than was reversed (issue 18.3). Not read, nothing is sent.
            try:
                checked_by = self.provider.validate(code=original.code)
            except ProviderError as exc:
                raise CashierError(str(exc)) from exc
        return self._move(
            wanted,
            original.code,
            original.currency,
            reverses=entry_id,
            item_label=original.item_label,
            checked_by=checked_by,
        )

    def sell(
        self, scanned: str, *, amount: int | None = None, pricebook: str | None = None
    ) -> Receipt:
        """Activate a new card (seed 001): a denomination's price book, or an amount."""
        if pricebook is not None:
            found = [d for d in self.config.denominations if d.pricebook == pricebook]
            if not found:
                raise CashierError(f"No denomination {pricebook!r} is set up")
            amount = found[0].amount
        currency = self.store_config().currency
        amount = self._amount(amount, currency)
        sale = self.config.sale  # [sale]: refused in words before any call (issue 19.3)
        refused = amount_refusal(amount, (sale.min_amount, sale.max_amount), currency, self.locale)
        if refused:
            raise CashierError(refused)
        ref = self.card_ref(scanned)
        wanted = intents.activate(ref.value, amount, reference=pricebook)
        return self._move(wanted, ref.value, currency)

    def refund_to_card(self, amount: int | None, email: str | None = None) -> Receipt:
        """A new card for a refund (seed 001); the receipt carries its code as a barcode."""
        currency = self.store_config().currency
        amount = self._amount(amount, currency)
        if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
            raise CashierError(f"{email!r} is not an e-mail address")
        wanted = intents.issue(amount, recipient_email=email or None)
        return self._move(wanted, NEW_CARD, currency)

    def print_balance(self, gift: Gift) -> Receipt:
        """The balance once; why it cannot be spent, when it cannot."""
        held = gift.balance if gift.kind == "monetary" else gift.item_quantity
        if gift.kind == "item":
            left = count(held or 0, gift.item_label or "item")
        else:
            left = format_money(held or 0, gift.currency, self.locale)
        lines = [Line("Balance", left, bold=True)]
        why = gift.why_not_redeemable()
        if why:
            # One statement: why it cannot pay and what it holds ("Valid at another shop
            # only  $10.00 held"), never the provider's status beside it ("Active").
            reason = gift.not_redeemable_reason or gift.status
            status = CASHED_OUT if gift.cashed_out else capital(cannot_pay(gift, reason))
            lines = [Line(status, f"{left} held", bold=True)]
        if gift.expires_at is not None and gift.status != "expired":
            lines.append(Line("Valid until", day(gift.expires_at)))
        notes = (why + ".",) if why else ()
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

    # --- reports --------------------------------------------------------------------------

    def x_report(self) -> Receipt:
        return self._report("x_report")

    def z_report(self) -> Receipt:
        """The shift's totals; the shift closes and the next money movement opens another."""
        receipt = self._report("z_report")
        self.journal.close_shift(self.journal.current_shift())
        self.cashier = self.config.terminal.cashier  # a sign-in lasts one shift
        try:
            self.journal.sign_in(self.clock().timestamp(), self.cashier or "", "z_report")
        except JournalUnwritable as exc:  # the Z is printed: the next report says "not known"
            log.warning("the sign-in after the Z report was not kept: %s", exc)
        return receipt

    def shift_is_empty(self) -> bool:
        """Nothing was journalled in the open shift: a Z report now would close nothing."""
        return not self.journal.shift_page(self.journal.current_shift(), None, 1)

    def last_z_report(self) -> Receipt | None:
        """The Z report of the shift closed last, built again from the journal (its totals
        are kept by the database), marked DUPLICATE; None when no shift was closed yet."""
        closed = self.journal.last_closed_shift()
        if closed is None:
            return None
        shift, _opened, closed_at = closed
        return self._report("z_report", shift=shift, closed_at=closed_at).reprint()

    def reconciliation(self) -> list[str]:
        """The shift's journal against the provider's transactions, asked for by the
        provider's own times (core.reports.provider_since), never the till's clock."""
        shift = self.journal.current_shift()
        entries = self.journal.entries(shift)
        since = provider_since(entries, self.journal.provider_time_before(shift))
        if since is None and any(e.moved_money for e in entries):
            # Confirmed before the journal kept the provider's times (version 7): the
            # till's clock is all there is for this shift.
            since = self.journal.shift_opened_at(shift) - SINCE_MARGIN_S
        if since is None:  # nothing the provider confirmed: nothing of its to compare
            return reconcile(entries, [])
        try:
            theirs = self.provider.transactions(since=datetime.fromtimestamp(since, UTC))
        except ProviderError as exc:
            raise CashierError(str(exc)) from exc
        mine = {e.transaction_id for e in entries}
        elsewhere = self.journal.known_transactions(t.id for t in theirs if t.id not in mine)
        # A manager change has no transaction id in the journal: it is known by its key,
        # the adjustment's client reference, in whichever shift made it (the demo trial:
        # the shift after a Z listed the last shift's changes as not in the journal).
        keys = self.journal.known_keys(t.client_reference for t in theirs if t.client_reference)
        elsewhere |= {t.id for t in theirs if t.client_reference in keys}
        asked = datetime.fromtimestamp(since, UTC)
        return reconcile(entries, theirs, elsewhere=elsewhere, since=asked)

    def shift_entries(self) -> list[Entry]:
        return self.journal.entries(self.journal.current_shift())

    def shift_page(self, before: int | None = None) -> list[Entry]:
        """A screenful of the open shift, the newest (or those older than entry `before`),
        oldest first; read by index, so a long shift costs what a short one does."""
        return self.journal.shift_page(self.journal.current_shift(), before, SHIFT_PAGE)

    def entry_for_transaction(self, text: str) -> list[Entry]:
        """The open shift's entry of a scanned receipt barcode, and its reversal if it has
        one (done or to settle), both by index. The barcode is the journal's receipt number,
        whichever API made the transaction; a provider's transaction id (what receipts
        carried before journal version 4, and what a cashier may type from api.md's
        answers) is looked up next. Only text that can be either (digits; a 64-bit id has
        at most 20) is looked up at all."""
        if not (text.isdigit() and len(text) <= 20):
            return []
        shift = self.journal.current_shift()
        found = self.journal.entry_for_receipt(shift, text) or self.journal.entry_for_transaction(
            shift, text
        )
        if found is None:
            return []
        undone = self.journal.reversal_of(found.id)
        return [found] if undone is None else [found, undone]

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

    def _move(
        self,
        wanted: Intent,
        code: str,
        currency: str,
        *,
        before: Gift | None = None,
        reverses: int | None = None,
        item_label: str | None = None,
        checked_by: Gift | None = None,
    ) -> Receipt:
        """A money movement (house rule 5), unless its card has one still to settle; a
        journal that cannot be written, in words (issue 18). `before`: the card as the
        cashier saw it, printed and checked against; `checked_by`: only checked against."""
        try:
            blocking = unsettled_on_card(self.journal.to_settle(), wanted, code)
            if blocking is not None:
                self.on_unknown()  # the settler tries it now, not at its next back-off
                raise CashierError(still_to_settle(blocking, self.locale))
            return self._journalled_call(
                wanted,
                code,
                currency,
                before=before,
                reverses=reverses,
                item_label=item_label,
                checked_by=checked_by or before,
            )
        except JournalUnwritable as exc:
            if not exc.held:  # the intent did not reach the journal: nothing was sent
                raise CashierError(f"Nothing was charged. {exc}") from exc
            self.on_unknown()  # the settler writes it once the journal takes it
            words = not_written(wanted, code, currency, self.locale, exc.problem, item_label)
            raise NotConfirmed(words) from exc

    def _journalled_call(
        self,
        wanted: Intent,
        code: str,
        currency: str,
        *,
        before: Gift | None = None,
        reverses: int | None = None,
        item_label: str | None = None,
        checked_by: Gift | None = None,
    ) -> Receipt:
        key = self.new_key()
        # The till's name for this movement is its key (api.md "Key retention and client
        # references"): what the settler finds it by once the key is forgotten.
        wanted = wanted.referenced(key)
        entry = self.journal.intend(
            wanted,
            code=code,
            currency=currency,
            key=key,
            reverses_entry=reverses,
            item_label=item_label,
        )
        try:
            movement = self.provider.send(wanted, entry.idempotency_key)
            believed(wanted, movement, currency=currency, before=checked_by, locale=self.locale)
        except (Declined, Unreachable) as exc:
            said = not_sent(str(exc)) if isinstance(exc, Unreachable) else str(exc)
            try:
                self.journal.record(entry.id, "declined", error=said)
            except JournalUnwritable as unwritable:
                # Still nothing happened: said so. The no waits in memory (the card stays
                # held until it is written); a till stopped before that leaves the entry
                # pending, and the next start settles it as not charged, never sends it.
                self.on_unknown()
                said = str(exc).rstrip(".")
                raise CashierError(f"Nothing was charged. {said}. {unwritable}") from exc
            raise CashierError(said) from exc
        except Doubted as exc:  # not printed as fact: unknown, the answer kept (issue 18)
            self.journal.record(entry.id, "unknown", error=str(exc), answer=exc.answer)
            self.on_unknown()
            return self.entry_receipt(self.journal.entry(entry.id), not_confirmed=True)
        except OutcomeUnknown as exc:
            self.journal.record(entry.id, "unknown", error=str(exc))
            self.on_unknown()
            return self.entry_receipt(self.journal.entry(entry.id), not_confirmed=True)
        done = self.journal.record_movement(entry.id, movement, settled=False)
        return self.entry_receipt(done, movement=movement, before=before)

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

        def money(minor: int) -> str:
            return format_money(minor, entry.currency, self.locale)

        lines: list[Line] = []
        kind: ReceiptKind = entry.operation  # type: ignore[assignment]
        if entry.quantity is not None:
            lines.append(Line("Items", items(entry.quantity, entry.item_label), bold=True))
        elif entry.amount is not None:
            label = AMOUNT_LABEL.get(kind, "Amount")
            lines.append(Line(label, money(entry.amount), bold=True))
        if before is not None and before.kind == "monetary" and before.balance is not None:
            lines.append(Line("Balance before", money(before.eligible_value)))
        if entry.balance_after is not None and not not_confirmed:
            # A card just sold or issued has nothing "left": what it holds is its value.
            label = "Card value" if kind in ("activation", "issue") else "Balance left"
            lines.append(Line(label, money(entry.balance_after), bold=True))
        elif movement is not None and movement.gift.kind == "item":
            left = items(movement.gift.item_quantity or 0, movement.gift.item_label)
            lines.append(Line("Items left", left))
        if kind in ("reversal", "void") and entry.reverses_entry is not None:
            lines[:0] = self._reversed_lines(entry.reverses_entry)  # first: what is undone
        new_code = entry.code if kind == "issue" and entry.moved_money else None
        return self._receipt(
            kind,
            lines,
            serial=entry.card_code,
            transaction_id=entry.transaction_id,
            # Only a transaction the provider confirmed can be found again to reverse.
            receipt_number=self.journal.receipt_number(entry.id) if entry.transaction_id else None,
            new_card_code=new_code,
            not_confirmed=not_confirmed or entry.to_settle,
            signature_line=kind == "cash_out",
            # No cash for a cash-out the provider has not confirmed.
            open_drawer=kind == "cash_out" and not (not_confirmed or entry.to_settle),
            notes=doubted_notes(entry),
            **({"when": self._at(entry.created_at)} if as_made else {}),
        )

    def _at(self, timestamp: float) -> datetime:
        return datetime.fromtimestamp(timestamp, UTC).astimezone(self.clock().tzinfo)

    def _reversed_lines(self, entry_id: int) -> list[Line]:
        """The transaction a reversal undoes: what, when, and the provider's id."""
        original = self.journal.entry(entry_id)
        lines = [
            Line(
                "Voids" if original.operation in reversal.VOIDED else "Reverses",
                f"{transaction(original.operation)} of {self._at(original.created_at):%H:%M}",
            )
        ]
        if original.transaction_id:
            lines.append(Line("Original", original.transaction_id))
        return lines

    def _report(
        self, kind: ReceiptKind, *, shift: int | None = None, closed_at: float | None = None
    ) -> Receipt:
        """X or Z: the shift's start and end, counts and totals by type, the net; no footer
        (it is the store's paper, not the customer's). `shift` and `closed_at`: a shift
        closed already, its Z built again (for a reprint)."""
        shift = self.journal.current_shift() if shift is None else shift
        found, currency = self.journal.shift_totals(shift)  # summed by the database
        currency = currency or self.store_config().currency
        opened_at = self.journal.shift_opened_at(shift)
        opened = datetime.fromtimestamp(opened_at, UTC)
        now = self.clock()
        until = now if closed_at is None else self._at(closed_at)
        label = "Shift closed" if kind == "z_report" else "Up to"
        sign_ins = self.journal.sign_ins(opened_at, until.timestamp())
        lines = [
            Line("Shift opened", f"{opened.astimezone(now.tzinfo):%Y-%m-%d %H:%M}"),
            Line(label, f"{until:%Y-%m-%d %H:%M}"),
            *cashier_lines(sign_ins, opened, now.tzinfo),
            *report_lines(found, currency, self.locale),
            # A manager's money changes, apart from sales (issue 19.2): each, and who.
            *manager_changes.report_lines(
                self.journal.manager_changes(shift), currency, self.locale
            ),
            *wrong_pin_lines(*self.journal.wrong_pins_since(opened_at, closed_at)),
        ]
        # No single "Cashier" line on a report: the lines above say who was on when.
        return self._receipt(kind, lines, footer=(), notes=(NET_MEANS,), cashier="", when=until)

    def _receipt(
        self, kind: ReceiptKind, lines: list[Line], *, serial: str | None = None, **extra: Any
    ) -> Receipt:
        store = self.config.store
        extra.setdefault("footer", self.config.receipt.footer)
        extra.setdefault("when", self.clock())
        extra.setdefault("cashier", self.cashier or "")
        return Receipt(
            kind=kind,
            store_name=store.name,
            header=store.address,
            location=store.location_name,
            lines=tuple(lines),
            serial_number=serial,
            mask_serial=self.config.receipt.mask_serial,
            **extra,
        )
