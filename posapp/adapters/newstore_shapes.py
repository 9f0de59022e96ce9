"""NewStore's Gift Card API answers as the terminal's values (docs/newstore.md). Pure.

NewStore's answers carry no card record and no transaction: a card is known by its number
(the Gift's id is the number, as at Adyen), and a movement's id is the till's reference for
it (what it was sent with as its idempotence_key).
"""

from __future__ import annotations

from datetime import UTC, datetime

from posapp.adapters.adyen_shapes import card, currency_of
from posapp.core.gift import Transaction

__all__ = ["NOT_OFFERED", "TYPES", "card", "currency_of", "transaction"]

# The till's operations NewStore's Gift Card API has a call for, and the type each makes in
# the journal and reports (api.md's types).
TYPES = {
    "activation": "activation",  # POST /gift_card/activate
    "cash_out": "gift_card_cash_out",  # POST /gift_card/deactivate (seed 000)
}
# What it has no call for, in the cashier's words: where the card is used instead.
AT_CHECKOUT = "at the NewStore checkout (the Associate App), not at this till"
NOT_OFFERED = {
    "redemption": f"NewStore gift cards are spent {AT_CHECKOUT}: take the card there",
    "reversal": f"NewStore gift card payments are given back {AT_CHECKOUT}",
    "issue": f"A refund to a NewStore gift card is made {AT_CHECKOUT}: it issues the new card",
    "void": (
        "NewStore cannot undo a card sold from this till: the card stays sold, and is spent "
        f"or refunded {AT_CHECKOUT}"
    ),
}


def transaction(
    reference: str,
    operation: str,
    number: str,
    *,
    amount: int,
    currency: str,
    balance_after: int,
    store_id: str,
) -> Transaction:
    return Transaction(
        id=reference,
        type=TYPES[operation],
        gift_id=number,
        location_id=store_id,
        amount=amount,
        quantity=None,
        currency=currency,
        balance_after=balance_after,
        item_quantity_after=None,
        reference=reference,
        state="completed",
        reverses=None,
        created_at=datetime.now(UTC),  # NewStore's answers carry no time: when it answered
        client_reference=reference,
    )
