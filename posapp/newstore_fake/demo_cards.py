"""The fake NewStore's demo cards: the same states and `shows` words as the other fakes'
where NewStore has the state, and blank cards to sell."""

from __future__ import annotations

from posapp.newstore_fake.app import FakeNewStore
from posapp.provider.demo import scan_text

# (number, balance, status, shows)
DEMO_CARDS: list[tuple[str, int, str, str]] = [
    ("500000000000001", 7500, "active", "active, $75.00"),
    ("500000000000002", 1250, "active", "active, $12.50"),
    ("500000000000003", 0, "active", "used up (zero balance)"),
    ("500000000000007", 0, "deactivated", "deactivated"),
    ("123456789012", 5000, "active", "active, $50.00 (a typed voucher)"),
    ("700000000000011", 0, "inactive", "blank, to sell (F5)"),
    ("700000000000012", 0, "inactive", "blank, to sell (F5) too"),
]


def demo_newstore() -> tuple[FakeNewStore, list[dict[str, str]]]:
    """A fake NewStore (cash-out enabled for the business) holding the demo cards, and the
    cards as the demo lists them (`code`, `shows`, `scan`)."""
    fake = FakeNewStore()
    for number, balance, status, _shows in DEMO_CARDS:
        fake.add_card(number, balance, status)
    cards = [
        {"code": number, "shows": shows, "scan": scan_text(number)}
        for number, _b, _s, shows in DEMO_CARDS
    ]
    return fake, cards
