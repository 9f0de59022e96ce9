"""Square's "did it happen": the activities a till's request left at Square, found again.

A money call whose answer was lost is looked up by the reference_id our activities carry (the
till's client_reference, or the key for an entry journalled before it); a void, which carries
none, by what it is. `SquareLookup` is the base of posapp.adapters.square.SquareClient, which
sends; both read cards and activities through ProviderHttp's transport rules.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from posapp.adapters.provider_http import ProviderHttp
from posapp.adapters.square_shapes import (
    VOID_REASON,
    Activity,
    ActivityPage,
    CardAnswer,
    GiftCard,
    ReadRefused,
    to_gift,
    to_transaction,
)
from posapp.core.gift import Gift, Movement
from posapp.core.intent import Intent
from posapp.i18n import _
from posapp.terminal.ports import LookupFailed, NoReference, ProviderError

log = logging.getLogger("posapp.square")

# A list call's query (httpx drops a None value).
Params = dict[str, str | int | None]


def reference_of(intent: Intent, key: str) -> str:
    """The reference_id our activities carry: the till's client_reference, or for an entry
    journalled before it the idempotency key, which they carried then."""
    return intent.client_reference or key


class SquareLookup(ProviderHttp):
    """Square's cards and activities read, and a request's activity found again."""

    location_id: str
    cash_out: str  # config.md provider.cash_out: "endpoint" is CLEAR_BALANCE
    locale: str

    def _card(self, gan: str) -> GiftCard:
        found: CardAnswer = self._read(
            "POST", "/v2/gift-cards/from-gan", CardAnswer, json={"gan": gan}
        )
        return found.gift_card

    def _refund_reverses(self, intent: Intent) -> bool:
        """A reversal is a REFUND of the redemption it undoes, unless it was journalled
        before references (it went out as ADJUST_INCREMENT then, and must again: one key is
        one request) or undoes a CLEAR_BALANCE, which no REFUND can name."""
        if intent.client_reference is None:
            return False
        if self.cash_out != "endpoint":
            return True  # every cash-out is a REDEEM: whatever is reversed was redeemed
        params: Params = {"gift_card_id": intent.gift_id, "type": "CLEAR_BALANCE"}
        return not any(a.id == intent.transaction_id for a in self._activities(params))

    def look_up(self, intent: Intent, idempotency_key: str) -> Movement | None:
        """The activity that carries the intent's reference_id (the till's client_reference;
        its key for an entry from before), the card read again; None when Square lists
        none. A read that fails says nothing: LookupFailed."""
        try:
            return self._look_up(intent, reference_of(intent, idempotency_key))
        except LookupFailed:
            raise
        except ProviderError as exc:
            said = _("Square could not say whether it happened: {why}")
            raise LookupFailed(said.format(why=exc)) from exc

    def _look_up(self, intent: Intent, reference: str) -> Movement | None:
        if intent.quantity is not None:
            return None  # never sent: Square's cards hold money only (send declines at once)
        if intent.operation == "cash_out" and self.cash_out == "endpoint":
            if intent.client_reference is None:
                raise NoReference(_("A cash-out by CLEAR_BALANCE carries no reference"))
            raise LookupFailed(
                _(
                    "Square keeps no reference with a cash-out by CLEAR_BALANCE: see the card's "
                    "history in Square's Dashboard"
                )
            )
        if intent.operation == "reversal" and not self._refund_reverses(intent):
            if intent.client_reference is None:
                raise NoReference(_("A reversal by ADJUST_INCREMENT carries no reference"))
            raise LookupFailed(
                _(
                    "Square keeps no reference with the reversal of a CLEAR_BALANCE: see the "
                    "card's history in Square's Dashboard"
                )
            )
        if intent.operation == "void":
            return self._voided(intent)
        if intent.operation == "issue":
            # The digital card is Square's to number: our ACTIVATE at this location.
            mine = self._by_reference(None, reference, "ACTIVATE")
        elif intent.operation == "activation":
            assert intent.code is not None  # Intent checks it
            try:
                card = self._card(intent.code)
            except ReadRefused as exc:
                if exc.code != "gift_not_found":
                    raise
                return None  # Square does not know the card: nothing activated it
            mine = self._by_reference(card.id, reference)
        else:
            mine = self._by_reference(intent.gift_id, reference)
        if mine is None:
            return None
        log.info("activity %s found by its reference_id", mine.id)
        txn = to_transaction(mine, amount=intent.amount, reverses=intent.transaction_id)
        gift = to_gift(self._card(mine.gift_card_gan), self.locale) if mine.gift_card_gan else None
        return Movement(txn, gift or self._gift_after(mine), raw=mine.model_dump_json())

    def _voided(self, intent: Intent) -> Movement | None:
        """The card's void, found by what it is: an ADJUST_DECREMENT carries no reference,
        but a card is voided once (its balance is nothing after), so the one there is ours."""
        moves = self._activities({"gift_card_id": intent.gift_id, "sort_order": "ASC"})
        done = next((a for a in moves if is_void(a)), None)
        if done is None:
            return None
        txn = to_transaction(done, reverses=intent.transaction_id)
        return Movement(txn, self._gift_after(done), raw=done.model_dump_json())

    def _activities(self, params: Params) -> Iterator[Activity]:
        """ListGiftCardActivities, every page."""
        params = {"limit": 100, **params}
        while True:
            page: ActivityPage = self._read(
                "GET", "/v2/gift-cards/activities", ActivityPage, params=params
            )
            yield from page.gift_card_activities
            if not page.cursor:
                return
            params["cursor"] = page.cursor

    def _by_reference(
        self, card_id: str | None, reference: str, kind: str | None = None
    ) -> Activity | None:
        """The activity that carries our reference as its reference_id: on the card, or
        (for a card we do not know) among this location's activities of that kind."""
        params: Params = {}
        if card_id:
            params["gift_card_id"] = card_id
        else:
            params.update(location_id=self.location_id, type=kind, sort_order="DESC")
        for activity in self._activities(params):
            details = (
                activity.redeem_activity_details
                or activity.activate_activity_details
                or activity.refund_activity_details
            )
            if details and details.get("reference_id") == reference:
                return activity
        return None

    def _gift_after(self, activity: Activity, gan: str | None = None) -> Gift:
        """The card as the activity left it (Square answers the activity, not the card)."""
        card = GiftCard(
            id=activity.gift_card_id,
            type="",
            state="ACTIVE",
            gan=activity.gift_card_gan or gan or "",
            balance_money=activity.gift_card_balance_money,
        )
        return to_gift(card, self.locale)


def is_void(activity: Activity) -> bool:
    details = activity.adjust_decrement_activity_details or {}
    return activity.type == "ADJUST_DECREMENT" and details.get("reason") == VOID_REASON
