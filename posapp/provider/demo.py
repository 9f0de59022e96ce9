"""A demo store with a card in every status, and the text a scanner would send for each."""

from __future__ import annotations

from typing import Required, TypedDict

from posapp.core.json_value import JsonOut
from posapp.core.serial_number import shown
from posapp.provider.ledger import now_us
from posapp.provider.operations import Ledger
from posapp.provider.schema import stores
from posapp.provider.store import Store
from posapp.provider.tokens import Principal

DAY_US = 86_400 * 1_000_000


# (code, what it shows, kind of card); codes are memorable: 5000 0000 0000 00N.
class DemoCard(TypedDict, total=False):
    code: Required[str]
    label: Required[str]  # what it shows, in the demo's list
    balance: int
    kind: str
    item_label: str
    item_quantity: int
    enabled: bool
    canceled: bool
    promotional: bool
    elsewhere: bool  # valid at the store's other location only
    usable_in_days: int
    expires_in_days: int


DEMO_CARDS: list[DemoCard] = [
    {"code": "500000000000001", "label": "active, $75.00", "balance": 7500},
    {"code": "500000000000002", "label": "active, $12.50", "balance": 1250},
    {"code": "500000000000003", "label": "depleted (used up)", "balance": 0},
    {
        "code": "500000000000004",
        "label": "expired",
        "balance": 4000,
        "usable_in_days": -395,  # a year's card, sold 13 months ago
        "expires_in_days": -30,
    },
    {"code": "500000000000005", "label": "not yet usable", "balance": 3000, "usable_in_days": 30},
    {"code": "500000000000006", "label": "disabled", "balance": 2500, "enabled": False},
    {"code": "500000000000007", "label": "canceled", "balance": 1500, "canceled": True},
    {
        "code": "500000000000008",
        "label": "item gift, 2 x Coffee",
        "kind": "item",
        "item_label": "Coffee",
        "item_quantity": 2,
    },
    {
        "code": "500000000000009",
        "label": "promotional, valid at another shop only",
        "balance": 1000,
        "promotional": True,
        "elsewhere": True,
    },
    {"code": "123456789012", "label": "active, $50.00 (a typed voucher)", "balance": 5000},
]


# Codes the demo store does not have yet: blank cards on the shelf, to sell (F5) and scan.
BLANK_CODES = ("700000000000011", "700000000000012", "700000000000013")


def scan_text(code: str) -> str:
    """What the demo scanner sends: the SVS format for 15-digit codes, else the code (CR ends)."""
    return (f"SVS_GC-{code}" if len(code) == 15 else code) + "\r"


def make_demo_store(
    store: Store, name: str = "Corner Books", currency: str = "USD"
) -> dict[str, JsonOut]:
    created = store.create_store(name, currency)
    store_id, location_id = int(created["store_id"]), int(created["location_id"])
    made: dict[str, JsonOut] = {**created}
    other = store.create_location(store_id, "Harbour Street shop")
    admin = Principal(0, store_id, location_id, "demo", frozenset({"admin", "terminal"}))
    ledger = Ledger(store)
    now = now_us()
    with store.write() as conn:
        conn.execute(
            stores.update()
            .where(stores.c.id == store_id)
            .values(cash_out_enabled=True, cash_out_max=20000)
        )
        for card in DEMO_CARDS:
            ledger.insert_gift(
                conn,
                admin,
                now,
                code=card["code"],
                balance=card.get("balance"),
                kind=card.get("kind", "monetary"),
                item_label=card.get("item_label"),
                item_quantity=card.get("item_quantity"),
                enabled=card.get("enabled", True),
                usable_at=now + card.get("usable_in_days", -1) * DAY_US,
                expires_at=(now + card["expires_in_days"] * DAY_US)
                if "expires_in_days" in card
                else None,
                promotional=card.get("promotional", False),
                allowed_location_ids=[str(other)] if card.get("elsewhere") else None,
                canceled_at=now if card.get("canceled") else None,
            )
    made["cards"] = [
        {"code": c["code"], "shows": c["label"], "scan": scan_text(c["code"])} for c in DEMO_CARDS
    ]
    made["blank_cards"] = [
        {"code": code, "shows": f"blank, to sell (ends {shown(code)})", "scan": scan_text(code)}
        for code in BLANK_CODES
    ]
    return made
