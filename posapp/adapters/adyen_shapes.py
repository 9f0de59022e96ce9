"""Adyen's answers as the terminal's value types: a card as a Gift, a payment or a Stored
Value operation as a Transaction. Pure.

Adyen keeps no card record a till can read, only a card's balance (and, by its refusals,
whether it is active): a card is known by its number, so the Gift's id is the number, and a
transaction's id is Adyen's pspReference (what a reversal or a void names).
"""

from __future__ import annotations

from datetime import UTC, datetime

from babel import Locale
from babel.numbers import get_territory_currencies

from posapp.core.gift import Gift, Transaction
from posapp.core.money import format_money

# What each of our operations is called in the journal and reports (api.md's types), and
# which Adyen call made it (README "Adyen").
TYPES = {
    "redemption": "redemption",  # POST /payments
    "cash_out": "gift_card_cash_out",  # POST /payments of the whole balance
    "reversal": "reversal",  # POST /payments/{pspReference}/reversals
    "activation": "activation",  # Stored Value /changeStatus active, with the amount
    "issue": "issue",  # Stored Value /issue
    "void": "reversal",  # Stored Value /voidTransaction of the activation or issue
}


def currency_of(locale: str) -> str:
    """The currency the till counts in: Adyen does not tell a till its merchant account's,
    so it is the store's locale's (config.md store.locale: en_US is USD)."""
    territory = Locale.parse(locale).territory
    found = get_territory_currencies(territory) if territory else []
    return found[0] if found else "USD"


def card(
    number: str,
    currency: str,
    balance: int | None,
    *,
    state: str = "active",
    closed: str | None = None,
    locale: str = "en_US",
) -> Gift:
    """The card as Adyen said it (`state`, adyen_words.CardState): active with a balance
    (used up at zero), not sold yet, or closed (deactivated at Adyen: read as disabled);
    `closed` names what this till's own call did ("canceled": voided; "disabled": cashed
    out and deactivated)."""
    held = balance or 0
    # "Cashed out" only where this till's own cash-out closed the card: Adyen's answers do not
    # say why a card was deactivated, and a card read closed may still hold value (the demo
    # trial: a deactivated card holding $15.00 read "Cashed out $0.00", on the customer's slip
    # too; a voided refund card the same).
    cashed_out = closed == "disabled"
    if state == "closed" and closed is None:
        closed = "disabled"
    if closed is not None:
        status, reason, said = closed, closed, "Closed"
    elif state == "not_sold":
        status, reason, said = "not_yet_usable", "not_activated", "Not sold yet"
    elif held > 0:
        status, reason = "active", None
        said = f"{format_money(held, currency, locale)} available"
    else:
        status, reason, said = "depleted", "depleted", "Used up"
    return Gift(
        id=number,
        code=number,
        kind="monetary",
        currency=currency,
        balance=balance,
        item_label=None,
        item_quantity=None,
        status=status,
        is_redeemable=status == "active",
        not_redeemable_reason=reason,
        eligible_value=held if status == "active" else 0,
        eligible_item_quantity=0,
        present_value_description=said,
        promotional=False,
        usable_at=datetime.min.replace(tzinfo=UTC),
        expires_at=None,  # Adyen says an expired card by refusing it ("Expired Card")
        cashed_out=cashed_out,
    )


def transaction(
    psp_reference: str,
    operation: str,
    number: str,
    *,
    amount: int | None,
    currency: str,
    balance_after: int | None,
    reference: str | None,
    reverses: str | None = None,
    store: str = "",
) -> Transaction:
    return Transaction(
        id=psp_reference,
        type=TYPES[operation],
        gift_id=number,
        location_id=store,
        amount=amount,
        quantity=None,
        currency=currency,
        balance_after=balance_after,
        item_quantity_after=None,
        reference=reference,
        state="completed",
        reverses=reverses,
        created_at=datetime.now(UTC),  # Adyen's answers carry no time: when it answered
        client_reference=reference,
    )
