"""What each gift card brand allows through Adyen (config.md provider.brand, issue 21): a
table, so the till refuses in words, before any call, what Adyen does not offer for the
store's brand. Pure.

From Adyen's own tables ("Transactions per provider and channel" on docs.adyen.com, Stored
Value API: Change status, Issue, Void): every brand is paid with, balance-checked and
activated with an amount (sold) through Adyen; a new virtual card is issued for Givex and
Fiserv ValueLink only; only Givex takes a deactivation ("inactive", an end state); a card
sold is voided (voidTransaction of its activation) for ValueLink and Intersolve, one issued
for SVS and ValueLink. A PIN: which cards
carry one is the card's issuer's to say, not the brand's (a Givex card sold without one, a
ValueLink card with one): the till asks for it when Adyen refuses a card for a missing PIN,
and a brand whose every card had one would be asked before any call ("always").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Pin = Literal["always", "some"]


@dataclass(frozen=True, slots=True)
class Brand:
    """One brand as Adyen names it (paymentMethod.brand, Stored Value's paymentMethod.type)."""

    name: str  # Adyen's word: "givex"
    words: str  # the cashier's: "Givex"
    pin: Pin  # "always": none given, the till asks before any call
    issue: bool  # a new virtual card (refund to a new card): Stored Value /issue
    deactivate: bool  # a card cashed out is deactivated after (changeStatus inactive)
    void_sale: bool  # a card sold is voided (voidTransaction of the activation)
    void_issue: bool  # a card issued is voided (voidTransaction of the issue)


BRANDS: dict[str, Brand] = {
    b.name: b
    for b in (
        Brand("givex", "Givex", "some", issue=True, deactivate=True, void_sale=False, void_issue=False),
        Brand("svs", "SVS", "some", issue=False, deactivate=False, void_sale=False, void_issue=True),
        Brand("valuelink", "Fiserv ValueLink", "some", issue=True, deactivate=False, void_sale=True, void_issue=True),
        Brand("intersolve", "Intersolve", "some", issue=False, deactivate=False, void_sale=True, void_issue=False),
    )
}  # fmt: skip


def brand_problem(value: str) -> str | None:
    """config.md provider.brand: one Adyen names, or the rest of "brand: ..." in words."""
    if value in BRANDS:
        return None
    shown = repr(value) if len(value) <= 40 else repr(value[:36]) + "…"
    known = ", ".join(f'"{b.name}" ({b.words})' for b in BRANDS.values())
    return f"{shown} is not a gift card brand posapp speaks through Adyen; use one of {known}"


def not_offered(brand: Brand, what: str) -> str:
    """What Adyen does not do for this brand, said before any call."""
    return f"Adyen does not {what} for {brand.words} cards"
