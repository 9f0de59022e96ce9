"""The fake Adyen's gift cards and what it holds of them: the cards (active, inactive, blocked;
with a PIN or not), Checkout payments by merchant reference and pspReference, and Stored Value
transactions by pspReference, with the rules a card refuses by."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Literal

from posapp.adyen_fake.wire import psp_reference, wrong_merchant
from posapp.adyen_wire import refusals
from posapp.adyen_wire.base import Amount
from posapp.adyen_wire.refusals import Refusal
from posapp.core.card_brands import BRANDS

Status = Literal["active", "inactive", "blocked"]
MovementKind = Literal["issue", "activate", "deactivate", "load"]
Offer = Literal["issue", "deactivate", "void_sale", "void_issue"]


@dataclass
class Card:
    number: str
    brand: str  # as Adyen names the provider: "givex", "svs", "valuelink", ...
    currency: str
    balance: int = 0
    status: Status = "active"
    pin: str | None = None  # the card needs it to be spent or read (Checkout `cvc`)
    # Adyen: deactivating is an end state; an inactive card that was never active can be sold.
    deactivated: bool = False

    def view(self) -> dict[str, object]:
        return {
            "number": self.number,
            "brand": self.brand,
            "currency": self.currency,
            "balance": self.balance,
            "status": self.status,
            "pin": self.pin,
            "deactivated": self.deactivated,
        }

    def provider_words(self) -> str | None:
        """The card provider's own words for an unusable card (Stored Value's
        thirdPartyRefusalReason): tells a card not sold yet from one closed for good."""
        if self.status == "blocked":
            return "Card is blocked"
        if self.status == "inactive":
            return "Card is deactivated" if self.deactivated else "Card is not activated"
        return None


@dataclass
class Payment:
    """A Checkout payment as the fake holds it, refused ones included."""

    reference: str
    pspReference: str
    number: str
    brand: str
    amount: int
    currency: str
    # authorised, refused, cancelled (never took money: cancelled by reference first),
    # reversed (or cancelled after it took money), refunded (all of it given back)
    status: str
    refunded: int = 0
    refusalReason: str | None = None
    modifications: list[dict[str, object]] = field(default_factory=list)

    def took_money(self) -> bool:
        return self.status in ("authorised", "reversed", "refunded")


@dataclass
class Movement:
    """A Stored Value transaction that changed a card: what a void undoes."""

    pspReference: str
    reference: str
    kind: MovementKind
    number: str
    amount: int
    voided: bool = False


@dataclass
class Book:
    """Everything the fake holds. `merchant_account` is the one account its key may use."""

    merchant_account: str = "PosappDemoStore"
    currency: str = "USD"
    cards: dict[str, Card] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)  # by merchant reference
    by_psp: dict[str, Payment] = field(default_factory=dict)
    movements: dict[str, Movement] = field(default_factory=dict)  # by pspReference
    # Merchant references cancelled before any payment by them arrived (POST /cancels): a
    # payment that comes later with one of them is not made.
    cancelled_references: set[str] = field(default_factory=set)
    # The card provider's stock of plastic cards printed but not sold: a number of this
    # many digits starting so is an inactive card the provider knows (Adyen activates only
    # cards their provider issued), held here once a call names it. Empty: no stock.
    stock_prefix: str = ""
    stock_digits: int = 15
    stock_brand: str = "givex"

    def card_of(self, number: str | None) -> Card | None:
        """The card by its number: one held, or one of the provider's unsold stock."""
        number = number or ""
        found = self.cards.get(number)
        in_stock = self.stock_prefix and number.startswith(self.stock_prefix)
        if found is None and in_stock and len(number) == self.stock_digits and number.isdigit():
            found = self.add_card(number, 0, "inactive", brand=self.stock_brand)
        return found

    def add_card(
        self,
        number: str,
        balance: int = 0,
        status: Status = "active",
        *,
        brand: str = "givex",
        pin: str | None = None,
        deactivated: bool = False,
    ) -> Card:
        card = Card(number, brand, self.currency, balance, status, pin, deactivated)
        self.cards[number] = card
        return card

    def new_number(self) -> str:
        while True:
            number = "603628" + "".join(secrets.choice("0123456789") for _ in range(13))
            if number not in self.cards:
                return number

    def check_merchant(self, merchant_account: str) -> None:
        if merchant_account != self.merchant_account:
            raise wrong_merchant()

    def check_currency(self, amount: Amount) -> Refusal | None:
        return None if amount.currency == self.currency else refusals.INVALID_AMOUNT

    def refusal(
        self, number: str | None, brand: str, pin: str | None, *, reading: bool = True
    ) -> Refusal | None:
        """Why the card refuses, or None. `reading`: the call spends or reads the card, so a
        card with a PIN wants it (a missing PIN is refused as a wrong one: Adyen's "Invalid
        Pin"); activating, loading and voiding do not ask for it."""
        card = self.card_of(number)
        if card is None or card.brand != brand:
            return refusals.INVALID_CARD_NUMBER
        if reading and card.pin is not None and pin != card.pin:
            return refusals.INVALID_PIN
        if card.status == "blocked":
            return refusals.BLOCKED_CARD
        if card.status == "inactive":
            return refusals.TRANSACTION_NOT_PERMITTED
        return None

    def not_offered(self, brand: str, what: Offer) -> Refusal | None:
        """Adyen's per-provider tables (core/card_brands.py): what it does not do for a brand
        (or a brand it does not know) it refuses as "Transaction Not Permitted"."""
        known = BRANDS.get(brand)
        if known is None:
            return refusals.TRANSACTION_NOT_PERMITTED
        offers = {
            "issue": known.issue,
            "deactivate": known.deactivate,
            "void_sale": known.void_sale,
            "void_issue": known.void_issue,
        }
        return None if offers[what] else refusals.TRANSACTION_NOT_PERMITTED

    def record_read(self) -> str:
        """A pspReference for a call that moved nothing (a balance read, a void's own)."""
        return psp_reference()

    def record(self, kind: MovementKind, card: Card, amount: int, reference: str) -> str:
        psp = psp_reference()
        self.movements[psp] = Movement(psp, reference, kind, card.number, amount)
        return psp
