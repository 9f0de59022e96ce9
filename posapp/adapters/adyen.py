"""Adyen as a gift card provider (config.md: provider.api = "adyen"; issue 21): Givex, SVS,
Fiserv ValueLink and Intersolve cards through Adyen's Checkout API (v71) and Stored Value API
(v46), behind the same port as the other two APIs.

How an intent becomes Adyen's calls (README "Adyen" has the table with the cashier's words):
- validate: Stored Value /checkBalance (the card's PIN as its securityCode);
- redemption: Checkout POST /payments of exactly the amount, the card as a `giftcard`
  paymentMethod {brand, number, cvc: the PIN}; a partial redemption is the amount the
  cashier typed;
- reversal: POST /payments/{pspReference}/reversals of that payment;
- cash-out: POST /payments of the whole balance, then Stored Value /changeStatus "inactive"
  where the brand takes it (core/card_brands.py);
- activation (a card sold): Stored Value /changeStatus "active" with the amount;
- issue (a refund to a new card): Stored Value /issue;
- void of a card sold or issued: Stored Value /voidTransaction of its activation or issue.
What Adyen does not offer for the store's brand is refused in words before any call. Every
money call carries the movement's key as Idempotency-Key and the till's client_reference as
Adyen's `reference` (the merchant reference): how a lost answer is settled is in
adyen_settle.py.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from posapp.adapters import adyen_shapes, adyen_words
from posapp.adapters.adyen_calls import reference_of
from posapp.adapters.adyen_settle import AdyenSettle
from posapp.adapters.adyen_words import ITEMS, NO_LIST, pin_needed, refused
from posapp.adyen_wire.base import Amount
from posapp.adyen_wire.checkout import (
    BALANCE,
    BalanceCheckRequest,
    BalanceCheckResponse,
    GiftCardDetails,
    PaymentReversalRequest,
    PaymentReversalResponse,
    reversals,
)
from posapp.adyen_wire.stored_value import (
    CHANGE_STATUS,
    ISSUE,
    VOID,
    StoredValueIssueRequest,
    StoredValueIssueResponse,
    StoredValueStatusChangeRequest,
    StoredValueStatusChangeResponse,
    StoredValueVoidRequest,
    StoredValueVoidResponse,
)
from posapp.core.answer import in_words
from posapp.core.gift import Gift, GiftCardConfig, Movement, Transaction
from posapp.core.intent import Intent
from posapp.core.money import format_money
from posapp.i18n import _
from posapp.terminal.ports import Declined, Doubted, ProviderError

log = logging.getLogger("posapp.adyen")

# A number no card has: `posapp check`'s balance check of no card (it moves nothing).
NO_CARD = "0000000000000000"


class AdyenClient(AdyenSettle):
    """The port (validate, send, look_up, cancel, transactions, config) over Adyen."""

    # --- reads ----------------------------------------------------------------------------

    def health(self) -> float:
        """Seconds for a balance check of no card on each API: the key and the merchant
        account work on both. A refusal of the card, as a 200 or as a 400/422 of its
        number, is Adyen's answer too (it checks the key, 401, and the merchant account,
        403, first) and moves nothing. A 401, 403 or 404 is Declined in words."""
        start = time.perf_counter()
        checkout = BalanceCheckRequest(
            amount=Amount(currency=self.currency, value=0),
            merchantAccount=self.merchant_account,
            paymentMethod=GiftCardDetails(brand=self.brand.name, number=NO_CARD),
            reference=f"posapp-check-{uuid.uuid4().hex}",
            store=self.store,
        )
        for ask in (
            lambda: self._read("POST", BALANCE, BalanceCheckResponse, json=checkout.wire()),
            lambda: self.balance_of(NO_CARD, self.currency),
        ):
            try:
                ask()
            except Declined as exc:
                if exc.code in ("unauthorized", "forbidden", "not_found"):
                    raise
        return time.perf_counter() - start

    def config(self) -> GiftCardConfig:
        # No cash-out switch at Adyen: a cash-out is a payment of the whole balance.
        return GiftCardConfig(self.currency, True, None)

    def validate(
        self, *, code: str | None = None, public_token: str | None = None, pin: str | None = None
    ) -> Gift:
        if code is None:
            raise Declined(
                adyen_words.by_number(),
                "validation_error",
                {},
            )
        self._needs_pin(pin)
        with self._asks_for_pin(pin):
            state, held = self.balance_of(code, self.currency, pin)
        return adyen_shapes.card(code, self.currency, held, state=state, locale=self.locale)

    def transactions(
        self,
        *,
        since: datetime | None = None,
        location_id: str | None = None,
        gift_id: str | None = None,
    ) -> list[Transaction]:
        """Adyen lists no transactions by card or by time to a till: a card's own history is
        none known (its state is read by validate); a shift's reconciliation says so."""
        if gift_id is not None:
            return []
        raise Declined(_(NO_LIST), "not_offered", {})

    # --- money ----------------------------------------------------------------------------

    def _needs_pin(self, pin: str | None) -> None:
        """A brand whose every card has a PIN: asked for before any call."""
        if self.brand.pin == "always" and not pin:
            raise pin_needed(self.brand)

    @contextmanager
    def _asks_for_pin(self, pin: str | None) -> Iterator[None]:
        """A card refused for its PIN when none was given (a brand where some cards have
        one): the till asks for it, as for a brand whose cards all have one."""
        try:
            yield
        except Declined as exc:
            if pin or exc.code != "wrong_pin":
                raise
            raise pin_needed(self.brand) from exc

    def send(self, intent: Intent, idempotency_key: str, *, pin: str | None = None) -> Movement:
        if intent.quantity is not None:
            raise Declined(_(ITEMS), "not_redeemable", {})
        op, key = intent.operation, idempotency_key
        if op in ("redemption", "cash_out"):
            self._needs_pin(pin)
            with self._asks_for_pin(pin):
                return self._spend(intent, key, pin)
        if op == "reversal":
            return self._reverse(intent, key, pin)
        if op == "activation":
            return self._activate(intent, key)
        if op == "issue":
            return self._issue(intent, key)
        if op == "void":
            return self._void(intent, key)
        raise Declined(adyen_words.no_call(op), "not_offered", {})

    def _spend(self, intent: Intent, key: str, pin: str | None) -> Movement:
        """A redemption, or a cash-out (the whole balance paid, then the card deactivated
        where the brand takes it)."""
        number, amount = intent.gift_id or "", intent.amount or 0
        reference = reference_of(intent, key)
        paid, raw = self._pay(number, amount, self.currency, reference, key, pin)
        said = paid.amount
        txn = adyen_shapes.transaction(
            paid.pspReference or "",
            intent.operation,
            number,
            amount=amount if said is None else said.value,
            currency=self.currency if said is None else said.currency,
            balance_after=self._left(number, pin, paid.additionalData),
            reference=paid.merchantReference or reference,
            store=self.store or "",
        )
        closed = None
        # Deactivated only after an answer that says this payment of this amount: one that
        # does not add up is settled by a cancel, which must not put money on a dead card.
        plain = (txn.amount, txn.currency, txn.client_reference) == (
            amount,
            self.currency,
            reference,
        )
        if intent.operation == "cash_out" and self.brand.deactivate and plain:
            closed = self._deactivate(number, f"{key}-off", f"{reference}-off")
        gift = adyen_shapes.card(
            number, self.currency, txn.balance_after, closed=closed, locale=self.locale
        )
        return Movement(txn, gift, raw=raw)

    def _left(self, number: str, pin: str | None, data: dict[str, str] | None) -> int | None:
        """What the card holds after a payment: Adyen's answer says it for some brands
        (additionalData currentBalanceValue); else read, and unknown if the read fails (the
        money moved all the same: a read's failure must not make it unknown)."""
        said = (data or {}).get("currentBalanceValue", "")
        if said.isdigit():
            return int(said)
        try:
            return self.balance_of(number, self.currency, pin)[1]
        except ProviderError as exc:
            log.warning("the card's balance after a payment could not be read: %s", exc)
            return None

    def _deactivate(self, number: str, key: str, reference: str) -> str | None:
        """A card cashed out, deactivated (changeStatus inactive: an end state at Adyen).
        "disabled" when done; None (the card stays active at zero) when Adyen did not: the
        cash is paid all the same, and the log says what the manager does."""
        body = StoredValueStatusChangeRequest(
            merchantAccount=self.merchant_account,
            reference=reference,
            paymentMethod=self._stored_card(number, None),  # adds nothing: no PIN asked
            status="inactive",
            store=self.store,
        )
        try:
            self._stored(CHANGE_STATUS, body, StoredValueStatusChangeResponse, key)
        except ProviderError as exc:
            log.warning(
                "a card cashed out was not deactivated (%s): deactivate it in Adyen's "
                "Customer Area",
                exc,
            )
            return None
        return "disabled"

    def _reverse(self, intent: Intent, key: str, pin: str | None) -> Movement:
        """A payment reversed (Checkout /payments/{pspReference}/reversals): Adyen answers
        "received" and gives the whole payment back to the card."""
        psp, number = intent.transaction_id or "", intent.gift_id or ""
        reference = reference_of(intent, key)
        body = PaymentReversalRequest(merchantAccount=self.merchant_account, reference=reference)
        found, raw = self._money(reversals(psp), body, PaymentReversalResponse, key)
        if found.paymentPspReference != psp:  # a 2xx that does not add up: not a no
            raise Doubted(in_words((_("it answers the reversal of another payment"),)), raw)
        txn = adyen_shapes.transaction(
            found.pspReference,
            "reversal",
            number,
            amount=intent.amount,
            currency=self.currency,
            balance_after=self._left(number, pin, None),
            reference=found.reference or reference,
            reverses=psp,
            store=self.store or "",
        )
        gift = adyen_shapes.card(number, self.currency, txn.balance_after, locale=self.locale)
        return Movement(txn, gift, raw=raw)

    def _activate(self, intent: Intent, key: str) -> Movement:
        """A card sold: activated with the amount (Stored Value /changeStatus). It puts value
        on the card, so no PIN is asked, and its body is the same when it is sent again by
        its key to settle it (adyen_settle.py): Adyen answers a key with another body 422."""
        number, amount = intent.code or "", intent.amount or 0
        reference = reference_of(intent, key)
        body = StoredValueStatusChangeRequest(
            merchantAccount=self.merchant_account,
            reference=reference,
            paymentMethod=self._stored_card(number, None),
            status="active",
            amount=Amount(currency=self.currency, value=amount),
            store=self.store,
        )
        try:
            found, raw = self._stored(CHANGE_STATUS, body, StoredValueStatusChangeResponse, key)
        except Declined as exc:
            if exc.code == "gift_not_found":  # not "sell it with F5": this is F5
                raise Declined(
                    adyen_words.unknown_to_sell(),
                    "gift_not_found",
                    exc.problem,
                ) from exc
            if exc.code != "not_permitted":
                raise
            # Adyen activates a card once: one active (sold before) or deactivated is refused.
            raise Declined(adyen_words.sold_or_closed(), "code_taken", exc.problem) from exc
        return self._stored_movement(
            "activation", number, found.pspReference, found.currentBalance, reference, raw, amount
        )

    def _issue(self, intent: Intent, key: str) -> Movement:
        """A refund to a new card: a virtual card issued with the amount (Stored Value
        /issue); Adyen gives its number."""
        if not self.brand.issue:
            raise Declined(
                adyen_words.no_issue(self.brand),
                "not_offered",
                {},
            )
        amount, reference = intent.amount or 0, reference_of(intent, key)
        body = StoredValueIssueRequest(
            merchantAccount=self.merchant_account,
            reference=reference,
            paymentMethod=self._stored_card(None, None),
            amount=Amount(currency=self.currency, value=amount),
            store=self.store,
        )
        found, raw = self._stored(ISSUE, body, StoredValueIssueResponse, key)
        number = (found.paymentMethod or {}).get("number", "")
        if not number:
            raise refused("Error", "Adyen's answer names no new card")
        return self._stored_movement(
            "issue", number, found.pspReference, found.currentBalance, reference, raw, amount
        )

    def _void(self, intent: Intent, key: str) -> Movement:
        """A card sold or issued by mistake, undone (Stored Value /voidTransaction of its
        activation or issue, within Adyen's 24 hours)."""
        if not (self.brand.void_sale or self.brand.void_issue):
            raise Declined(
                adyen_words.no_void(self.brand),
                "not_offered",
                {},
            )
        self._unspent(intent)
        reference = reference_of(intent, key)
        body = StoredValueVoidRequest(
            merchantAccount=self.merchant_account,
            originalReference=intent.transaction_id or "",
            reference=reference,
            store=self.store,
        )
        found, raw = self._stored(VOID, body, StoredValueVoidResponse, key)
        number = intent.gift_id or ""
        left = found.currentBalance.value if found.currentBalance is not None else 0
        txn = adyen_shapes.transaction(
            found.pspReference or "",
            "void",
            number,
            amount=intent.amount,
            currency=self.currency,
            balance_after=left,
            reference=reference,
            reverses=intent.transaction_id,
            store=self.store or "",
        )
        gift = adyen_shapes.card(number, self.currency, left, closed="canceled", locale=self.locale)
        return Movement(txn, gift, raw=raw)

    def _unspent(self, intent: Intent) -> None:
        """A card is voided while it holds what it was sold or issued for (api.md "Voiding a
        card sold or issued"): read first, and a card spent since refused in words before the
        void, as the other APIs say it. A card that cannot be read without its PIN is left
        to Adyen's own refusal."""
        amount = intent.amount or 0
        try:
            state, held = self.balance_of(intent.gift_id or "", self.currency)
        except Declined:
            return
        if state == "active" and held is not None and held != amount:
            shown = format_money(held, self.currency, self.locale)
            sold = format_money(amount, self.currency, self.locale)
            raise Declined(
                adyen_words.used_since(shown, sold),
                "card_used",
                {},
            )

    def _stored_movement(
        self,
        operation: str,
        number: str,
        psp: str | None,
        balance: Amount | None,
        reference: str,
        raw: str,
        amount: int,
    ) -> Movement:
        held = amount if balance is None else balance.value
        txn = adyen_shapes.transaction(
            psp or "",
            operation,
            number,
            amount=amount,
            currency=self.currency if balance is None else balance.currency,
            balance_after=held,
            reference=reference,
            store=self.store or "",
        )
        gift = adyen_shapes.card(number, self.currency, held, locale=self.locale)
        return Movement(txn, gift, raw=raw)
