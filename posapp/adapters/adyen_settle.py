"""A lost answer from Adyen settled by asking first (issue 18.1, issue 21.4): what Adyen can
tell, per intent. The base of posapp.adapters.adyen.AdyenClient, which sends.

Adyen has no look-up of a movement by the till's reference. What it has:
- every money call's Idempotency-Key, kept at least 31 days (docs.adyen.com "API
  idempotency"): the same request sent again with it answers the first outcome and does
  nothing twice;
- the card's state (Stored Value /checkBalance): whether a card was sold or voided shows on
  the card itself;
- a payment canceled by its merchant reference (Checkout POST /cancels with
  `paymentReference`), whether the payment came or not.
So, per intent:
- redemption, cash-out (payments): nothing to ask by reference: `look_up` says none, and the
  settler's cancel (terminal/lookup.py) cancels the payment by its merchant reference, and it
  is recorded as not charged ("take the payment again"), as the reference provider's cancel
  is; a request that was only held on its way is cancelled by that same reference;
- activation, void: the card is read; where it shows the change (active with value; empty or
  inactive after a void), the same request is sent again with its key, and Adyen answers the
  first outcome (its pspReference, for a later void). Where the card does not show it,
  Adyen can neither say whether it is still on its way nor cancel it: it stays unknown, said
  so (the manager checks the card in Adyen's Customer Area);
- reversal, issue: nothing on a card to read first (a reversal's answer is "received"; an
  issued card's number is Adyen's to give): sent again with the same key, which Adyen
  answers with the first outcome if it ran. A reversal is done once per payment at most
  (Adyen refuses a second), so it cannot give back twice; an issue that never reached Adyen
  is issued then (README: a known limit, as Square's resend).
"""

from __future__ import annotations

import logging

from posapp.adapters import adyen_shapes
from posapp.adapters.adyen_calls import AdyenHttp, reference_of
from posapp.adyen_wire.checkout import (
    CANCELS,
    StandalonePaymentCancelRequest,
    StandalonePaymentCancelResponse,
)
from posapp.core.gift import Movement
from posapp.core.intent import Intent
from posapp.i18n import N_, _
from posapp.terminal.ports import Declined, LookupFailed, ProviderError

log = logging.getLogger("posapp.adyen")

PAYMENTS = frozenset({"redemption", "cash_out"})
# Where the card does not show it yet, by operation (the rest: NOT_ON_THE_CARD).
NOT_ON_THE_CARD = {
    "activation": N_(
        "Adyen has no record of this card sale on the card yet, and no way to cancel one still "
        "on its way: the manager checks the card in Adyen's Customer Area"
    ),
    "void": N_(
        "Adyen has no record of this void on the card yet, and no way to cancel one still on "
        "its way: the manager checks the card in Adyen's Customer Area"
    ),
}
NOT_ON_THE_CARD_OTHER = N_(
    "Adyen has no record of this {what} on the card yet, and no way to cancel one still on "
    "its way: the manager checks the card in Adyen's Customer Area"
)


class AdyenSettle(AdyenHttp):
    """look_up and cancel over Adyen's calls; `send` is AdyenClient's."""

    def send(self, intent: Intent, idempotency_key: str, *, pin: str | None = None) -> Movement:
        raise NotImplementedError

    def look_up(self, intent: Intent, idempotency_key: str) -> Movement | None:
        """The movement as Adyen has it; None when it has none (a payment: always, the
        cancel settles it); LookupFailed when Adyen cannot say."""
        op = intent.operation
        if op in PAYMENTS or intent.quantity is not None:
            return None
        shown: tuple[str, int | None] | None = None
        try:
            if op in NOT_ON_THE_CARD:
                shown = self._shown_on_card(intent)
                if shown is None:
                    return None
            movement = self.send(intent, idempotency_key)  # the first outcome, by its key
        except Declined as exc:
            if shown is None:
                raise  # Adyen refused it now: it did not happen then either
            # The card shows it done, and the key's first answer is gone (Adyen forgot the
            # key, 31 days on): the card's state is the answer; Adyen's pspReference of it
            # is not known (a later void of it is refused by Adyen, in words).
            log.info("%s shown on the card; its key no longer answers (%s)", op, exc.code)
            return self._from_card(intent, idempotency_key, shown)
        except ProviderError as exc:
            said = _("Adyen could not say whether it happened: {why}")
            raise LookupFailed(said.format(why=exc)) from exc
        log.info("%s answered again by its idempotency key", op)
        return movement

    def _shown_on_card(self, intent: Intent) -> tuple[str, int | None] | None:
        """The card's state and balance when they show the change (a card sold is active
        with value; a card voided is empty or inactive), else None."""
        number = intent.code if intent.operation == "activation" else intent.gift_id
        try:
            state, held = self.balance_of(number or "", self.currency)
        except ProviderError as exc:
            raise LookupFailed(_("Adyen could not read the card: {why}").format(why=exc)) from exc
        if intent.operation == "activation":
            done = state == "active" and bool(held)
        else:
            done = state != "active" or not held
        return (state, held) if done else None

    def _from_card(self, intent: Intent, key: str, shown: tuple[str, int | None]) -> Movement:
        state, held = shown
        number = (intent.code if intent.operation == "activation" else intent.gift_id) or ""
        reference = reference_of(intent, key)
        txn = adyen_shapes.transaction(
            reference,
            intent.operation,
            number,
            amount=intent.amount,
            currency=self.currency,
            balance_after=held or 0,
            reference=reference,
            reverses=intent.transaction_id if intent.operation == "void" else None,
            store=self.store or "",
        )
        closed = "canceled" if intent.operation == "void" else None
        gift = adyen_shapes.card(
            number, self.currency, held or 0, state=state, closed=closed, locale=self.locale
        )
        return Movement(
            txn, gift, raw=f'{{"shown on the card": "{state}", "balance": {held or 0}}}'
        )

    def cancel(self, intent: Intent, idempotency_key: str) -> Movement | None:
        """A payment canceled by its merchant reference (POST /cancels): None, not charged,
        whether it came or not. What Adyen cannot cancel stays unknown: LookupFailed."""
        op = intent.operation
        if op not in PAYMENTS and intent.quantity is None:
            said = _(NOT_ON_THE_CARD.get(op, NOT_ON_THE_CARD_OTHER))
            raise LookupFailed(said.format(what=op.replace("_", " ")))
        reference = reference_of(intent, idempotency_key)
        body = StandalonePaymentCancelRequest(
            merchantAccount=self.merchant_account,
            paymentReference=reference,
            reference=f"{reference}-cancel",
        )
        try:
            self._money(CANCELS, body, StandalonePaymentCancelResponse, f"{idempotency_key}-cancel")
        except ProviderError as exc:
            said = _("Adyen could not say whether it happened, and did not take its cancel: {why}")
            raise LookupFailed(said.format(why=exc)) from exc
        log.info("a payment with no answer canceled by its merchant reference")
        return None
