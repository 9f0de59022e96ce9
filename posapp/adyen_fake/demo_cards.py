"""The fake Adyen's demo cards, in Adyen's states: the reference provider's demo store where
Adyen has the same thing (the same `shows` words as the fake Square's where the state is the
same), a card that needs its PIN, and blank cards to sell."""

from __future__ import annotations

from posapp.adyen_fake.app import FakeAdyen
from posapp.adyen_fake.cards import Status
from posapp.provider.demo import scan_text

DEMO_PIN = "4321"
# Fiserv ValueLink: a PIN on some cards only (core/card_brands.py), so the till asks for one
# where Adyen refuses a card for its PIN; with Givex or SVS every card would want one.
DEMO_BRAND = "valuelink"

# (number, balance, status, deactivated, pin, shows)
DEMO_CARDS: list[tuple[str, int, Status, bool, str | None, str]] = [
    ("500000000000001", 7500, "active", False, None, "active, $75.00"),
    ("500000000000002", 1250, "active", False, None, "active, $12.50"),
    ("500000000000003", 0, "active", False, None, "used up (zero balance)"),
    ("500000000000004", 0, "inactive", False, None, "inactive (not sold yet)"),
    ("500000000000006", 2500, "blocked", False, None, "blocked"),
    ("500000000000007", 1500, "inactive", True, None, "deactivated"),
    ("500000000000008", 4000, "active", False, DEMO_PIN, f"active, $40.00, PIN {DEMO_PIN}"),
    ("123456789012", 5000, "active", False, None, "active, $50.00 (a typed voucher)"),
    ("700000000000011", 0, "inactive", False, None, "blank, to sell (F5)"),
    ("700000000000012", 0, "inactive", False, None, "blank, to sell (F5) too"),
]


def demo_adyen(brand: str = DEMO_BRAND) -> tuple[FakeAdyen, list[dict[str, str]]]:
    """A fake Adyen holding the demo cards, and the cards as the demo lists them (`code`,
    `shows`, `scan`; `pin` for the card that needs one)."""
    # Blank plastic cards to sell (F5) beyond the two listed: the provider's unsold stock.
    fake = FakeAdyen(stock_prefix="7000000000000", stock_brand=brand)
    for number, balance, status, deactivated, pin, _shows in DEMO_CARDS:
        fake.add_card(number, balance, status, brand=brand, pin=pin, deactivated=deactivated)
    cards = [
        {
            "code": number,
            "shows": shows,
            "scan": scan_text(number),
            **({"pin": pin} if pin is not None else {}),
        }
        for number, _b, _s, _d, pin, shows in DEMO_CARDS
    ]
    return fake, cards
