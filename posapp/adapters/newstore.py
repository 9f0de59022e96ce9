"""NewStore's Gift Card API (v0) as a gift card provider (config.md: provider.api =
"newstore"; issue 22, docs/newstore.md): the till in front of NewStore, as its Associate App
is, over our models of NewStore's shapes (posapp/newstore_wire).

How an intent becomes NewStore's calls:
- validate: POST /gift_card/balance (the webhook's path: the Gift Card API's is not
  published) with the card's number and PIN and this till's store id;
- activation (a card sold): POST /gift_card/activate with the amount;
- cash-out: POST /gift_card/deactivate, where the business's cash_out_enabled says so
  (config.md provider.cash_out_enabled: NewStore gives a till no read of it); the till pays
  what the answer says it deactivated (seed 000: balance, then deactivate; never filled in);
- redemption, reversal, issue, void: NewStore's Gift Card API has no call for them; they are
  refused in words naming where the card is used (the NewStore checkout), before any call.
The NewStore token goes as a Bearer token; every money call carries the movement's key as
NewStore's idempotence_key ("the same response ... whether the body has changed or not"), and
`value` is in the units config.md's provider.value_units says (major by default).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar

from pydantic import ValidationError

from posapp.adapters import newstore_shapes as shapes
from posapp.adapters.bounded_http import Answer
from posapp.adapters.provider_http import DEFAULT_HTTP, HttpSettings, ProviderHttp
from posapp.core.gift import UNKNOWN_CARD, Gift, GiftCardConfig, Movement, Transaction
from posapp.core.intent import Intent
from posapp.core.major_units import NotAnAmount, Units, to_minor, to_value
from posapp.i18n import N_, _
from posapp.newstore_wire import shapes as wire
from posapp.terminal.ports import BadAnswer, Declined, LookupFailed, ProviderError

log = logging.getLogger("posapp.newstore")

T = TypeVar("T")
BALANCE, ACTIVATE, DEACTIVATE = "/gift_card/balance", "/gift_card/activate", "/gift_card/deactivate"
# A number no card has: `posapp check`'s balance check (it moves nothing).
NO_CARD = "0000000000000000"
ITEMS = N_("NewStore's gift cards hold money, not items")
NO_LIST = N_(
    "NewStore keeps no list of a till's gift card movements to compare the shift with: "
    "compare it with NewStore's cash reports"
)
CASH_OUT_OFF = N_(
    "This business does not pay gift cards out in cash (NewStore's cash_out_enabled is off; "
    "the till's provider.cash_out_enabled says so)"
)
# NewStore publishes a 400 for a refusal; 429 and 5xx may follow a commit (provider_http).
DECLINE_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 410, 413, 415, 422})


def _said(answer: Answer) -> wire.ErrorAnswer | None:
    try:
        return wire.ErrorAnswer.model_validate_json(answer.content)
    except (ValidationError, ValueError):
        return None


class NewStoreClient(ProviderHttp):
    """The port (validate, send, look_up, transactions, config) over NewStore's Gift Card API."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        store_id: str,
        value_units: Units = "major",
        cash_out_enabled: bool = False,
        locale: str = "en_US",
        http: HttpSettings = DEFAULT_HTTP,
    ) -> None:
        super().__init__(base_url.rstrip("/"), {"Authorization": f"Bearer {token}"}, http)
        self.store_id = store_id
        self.units: Units = value_units
        self.cash_out_enabled = cash_out_enabled
        self.locale = locale
        # NewStore's balance answers name the currency; until one has, the locale's.
        self.currency = shapes.currency_of(locale)

    # --- NewStore's no's ----------------------------------------------------------------

    def _refusal(self, answer: Answer) -> Declined:
        said = _said(answer)
        if answer.status == 401:
            return Declined(
                _(
                    "NewStore refused the till's token: set the NewStore token with posapp set-token"
                ),
                "unauthorized",
                {},
            )
        if answer.status == 403:
            return Declined(_("NewStore does not let this token do that"), "forbidden", {})
        code = said.error_code if said is not None else "newstore_refused"
        words = said.message if said is not None else f"HTTP {answer.status}"
        refused = _("NewStore refused: {words}").format(words=words)
        return Declined(refused, code, {"status": answer.status})

    def _decline(self, path: str, answer: Answer) -> Declined | None:
        if answer.status not in DECLINE_STATUSES:
            return None
        return self._refusal(answer)

    def _value(self, minor: int) -> wire.Amount:
        return wire.Amount(value=to_value(minor, self.currency, self.units), currency=self.currency)

    def _minor(self, value: int | float, currency: str) -> int:
        try:
            return to_minor(value, currency, self.units)
        except NotAnAmount as exc:
            raise BadAnswer(f"NewStore's answer is not an amount: {exc}") from exc

    def _money(self, path: str, body: wire.Shape, model: type[T]) -> tuple[T, str]:
        """NewStore takes the idempotency key in the body (idempotence_key)."""
        sent: Mapping[str, object] = body.model_dump(exclude_none=True)
        return self._post_money_raw(path, sent, model)

    # --- reads --------------------------------------------------------------------------

    def health(self) -> float:
        """Seconds for a balance check of no card: the token works (NewStore refusing the
        card is its answer too: it moves nothing). A 401 or 403 is Declined in words."""
        start = time.perf_counter()
        try:
            self.validate(code=NO_CARD)
        except Declined as exc:
            if exc.code in ("unauthorized", "forbidden"):
                raise
        return time.perf_counter() - start

    def config(self) -> GiftCardConfig:
        return GiftCardConfig(self.currency, self.cash_out_enabled, None)

    def validate(
        self, *, code: str | None = None, public_token: str | None = None, pin: str | None = None
    ) -> Gift:
        if code is None:
            raise Declined(
                _("NewStore finds cards by their number: use a pattern with {setting}").format(
                    setting='lookup = "code"'
                ),
                "validation_error",
                {},
            )
        body = wire.BalanceRequest(
            identifier=wire.Identifier(number=code, pin=pin or None),
            metadata=wire.BalanceMetadata(store_id=self.store_id),
        )
        try:
            found = self._read(
                "POST", BALANCE, wire.BalanceAnswer, json=body.model_dump(exclude_none=True)
            )
        except Declined as exc:
            if exc.problem.get("status") != 400:
                raise
            # NewStore's one refusal of a balance check: the card is not one it can use (not
            # sold yet, or no card); a card scanned to sell is sold then (F5).
            log.info("NewStore refused a balance check: %s", exc)
            raise Declined(_(UNKNOWN_CARD), "gift_not_found", exc.problem) from exc
        self.currency = found.currency.upper()
        held = self._minor(found.value, self.currency) if found.value else 0
        return shapes.balance_card(code, self.currency, held, locale=self.locale)

    def transactions(
        self,
        *,
        since: datetime | None = None,
        location_id: str | None = None,
        gift_id: str | None = None,
    ) -> list[Transaction]:
        """NewStore's Gift Card API lists nothing: a card's history is none known; a
        shift's reconciliation says so."""
        if gift_id is not None:
            return []
        raise Declined(_(NO_LIST), "not_offered", {})

    # --- money --------------------------------------------------------------------------

    def send(self, intent: Intent, idempotency_key: str, *, pin: str | None = None) -> Movement:
        if intent.quantity is not None:
            raise Declined(_(ITEMS), "not_redeemable", {})
        op = intent.operation
        if op == "activation":
            return self._activate(intent, idempotency_key)
        if op == "cash_out":
            return self._deactivate(intent, idempotency_key, pin)
        if op in shapes.NOT_OFFERED:
            words = _(shapes.NOT_OFFERED[op])
        else:
            words = _("NewStore has no call for a {operation}").format(
                operation=op.replace("_", " ")
            )
        raise Declined(words, "not_offered", {})

    def _activate(self, intent: Intent, key: str) -> Movement:
        number, amount = intent.code or "", intent.amount or 0
        customer = wire.Customer(email=intent.recipient_email) if intent.recipient_email else None
        body = wire.ActivateRequest(
            card_number=number,
            amount=self._value(amount),
            customer=customer,
            metadata=wire.CardMetadata(original_operation="activation"),
            idempotence_key=key,
        )
        found, raw = self._money(ACTIVATE, body, wire.CardAnswer)
        made = found.identifier.number
        reference = intent.client_reference or key
        txn = shapes.transaction(
            reference,
            "activation",
            made,
            amount=amount,
            currency=self.currency,
            balance_after=amount,
            store_id=self.store_id,
        )
        gift = shapes.card(made, self.currency, amount, locale=self.locale)
        return Movement(txn, gift, raw=raw)

    def _deactivate(self, intent: Intent, key: str, pin: str | None) -> Movement:
        if not self.cash_out_enabled:
            raise Declined(_(CASH_OUT_OFF), "cash_out_disabled", {})
        number = intent.gift_id or ""
        body = wire.DeactivateRequest(
            card_number=number, pin=pin or None, store_id=self.store_id, idempotence_key=key
        )
        found, raw = self._money(DEACTIVATE, body, wire.DeactivateAnswer)
        # The card and the amount as NewStore's answer says them, never filled in from the
        # intent: the terminal's check (core/answer.py, terminal/lookup.believed) then doubts
        # an answer naming another card, more than the balance shown, or no amount at all,
        # and no cash is paid out on an answer that does not say what was deactivated.
        if found.identifier is not None:
            number = found.identifier.number
        paid = None
        if found.value is not None:
            paid = self._minor(found.value, (found.currency or self.currency).upper())
        reference = intent.client_reference or key
        txn = shapes.transaction(
            reference,
            "cash_out",
            number,
            amount=paid,
            currency=(found.currency or self.currency).upper(),
            balance_after=0,
            store_id=self.store_id,
        )
        gift = shapes.card(number, self.currency, 0, closed="disabled", locale=self.locale)
        return Movement(txn, gift, raw=raw)

    # --- settling -----------------------------------------------------------------------

    def look_up(self, intent: Intent, idempotency_key: str) -> Movement | None:
        """NewStore has no look-up by reference, and keeps each idempotency key's answer.
        The card is read: where it shows the movement (a card sold holds value; a card
        cashed out holds nothing), the same request is sent again with its key and NewStore
        answers the first outcome. Where it does not, None: the settler sends it again with
        its key (README "NewStore": as with Square, a request held on its way may then run
        late). LookupFailed when NewStore cannot say."""
        if intent.operation not in shapes.TYPES:
            return None  # never sent: NewStore has no call for it
        number = intent.code if intent.operation == "activation" else intent.gift_id
        try:
            held = self.validate(code=number or "").balance or 0
        except Declined as exc:
            if exc.code != "gift_not_found":
                raise LookupFailed(
                    _("NewStore could not read the card: {why}").format(why=exc)
                ) from exc
            held = None  # not a card NewStore can use: not sold, or deactivated
        except ProviderError as exc:
            raise LookupFailed(
                _("NewStore could not read the card: {why}").format(why=exc)
            ) from exc
        shown = bool(held) if intent.operation == "activation" else not held
        if not shown:
            return None
        try:
            return self.send(intent, idempotency_key)
        except Declined as exc:
            # The card shows it done and NewStore no longer answers the key (it forgot it, or
            # refuses the card now it is closed): the card's state is the answer.
            log.info(
                "%s shown on the card; its key no longer answers (%s)", intent.operation, exc.code
            )
            return self._from_card(intent, idempotency_key, held or 0)
        except ProviderError as exc:
            said = _("NewStore did not answer the movement again: {why}")
            raise LookupFailed(said.format(why=exc)) from exc

    def _from_card(self, intent: Intent, key: str, held: int) -> Movement:
        op, amount = intent.operation, intent.amount or 0
        number = (intent.code if op == "activation" else intent.gift_id) or ""
        reference = intent.client_reference or key
        txn = shapes.transaction(
            reference, op, number, amount=amount, currency=self.currency,
            balance_after=held, store_id=self.store_id,
        )  # fmt: skip
        closed = "disabled" if op == "cash_out" else None
        gift = shapes.card(number, self.currency, held, closed=closed, locale=self.locale)
        return Movement(txn, gift, raw=f'{{"shown on the card": {held}}}')
