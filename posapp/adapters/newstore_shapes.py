"""NewStore's Gift Card API answers as the terminal's values (docs/newstore.md). Pure.

NewStore's answers carry no card record and no transaction: a card is known by its number
(the Gift's id is the number, as at Adyen), and a movement's id is the till's reference for
it (what it was sent with as its idempotence_key).
"""

from __future__ import annotations

from dataclasses import replace as dataclass_replace

from posapp.adapters import adyen_shapes
from posapp.adapters.adyen_shapes import card, currency_of
from posapp.core.gift import Gift, Transaction
from posapp.core.offers import NEWSTORE_REFUSED

__all__ = ["NOT_OFFERED", "TYPES", "balance_card", "card", "currency_of", "transaction"]

# The till's operations NewStore's Gift Card API has a call for, and the type each makes in
# the journal and reports (api.md's types).
TYPES = {
    "activation": "activation",  # POST /gift_card/activate
    "cash_out": "gift_card_cash_out",  # POST /gift_card/deactivate (seed 000)
}
# What it has no call for, in the cashier's words: where the card is used instead (the
# till refuses these at the key: core/offers.py).
NOT_OFFERED = NEWSTORE_REFUSED


def balance_card(number: str, currency: str, held: int, *, locale: str = "en_US") -> Gift:
    """A card as NewStore's balance answers it. A value of 0 is a used-up card or a
    deactivated one alike (the answer has no status): "empty", nothing to spend, never "used
    up" (the NewStore trial, finding 2: a disabled card's slip said "This card is used up")."""
    gift = card(number, currency, held, locale=locale)
    if held > 0:
        return gift
    return dataclass_replace(
        gift, status="empty", not_redeemable_reason="empty", present_value_description=""
    )


def transaction(
    reference: str,
    operation: str,
    number: str,
    *,
    amount: int | None,
    currency: str,
    balance_after: int,
    store_id: str,
) -> Transaction:
    """A movement NewStore answered, built as Adyen's are (its answers carry no time or id
    either): the till's own reference is its id and its client reference."""
    return adyen_shapes.transaction(
        reference,
        operation,
        number,
        amount=amount,
        currency=currency,
        balance_after=balance_after,
        reference=reference,
        store=store_id,
    )
