"""What the terminal needs of the config, as frozen values built once by posapp/config.py
(`till_settings`): the terminal reads no config file and imports no config module."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from posapp.core.offers import ALL, Offers
from posapp.core.offline import OfflineRules
from posapp.core.serials import SerialPatterns


@dataclass(frozen=True, slots=True)
class ReceiptHeading:
    """What every receipt prints about the store ([store], [receipt])."""

    store_name: str
    address: tuple[str, ...]
    location: str
    footer: tuple[str, ...]
    mask_serial: bool


@dataclass(frozen=True, slots=True)
class TillSettings:
    """What the till's use cases read of the config, built once by config.till_settings."""

    locale: str  # [store] locale
    heading: ReceiptHeading
    cashier: str  # [terminal] cashier: the name on receipts until someone signs in ("": none)
    # [provider] cash_out: "redeem" is for providers with no cash-out call, whose adapter
    # redeems the whole balance; the store's cash-out switch is api.md's.
    cash_out: Literal["endpoint", "redeem"]
    prices: Mapping[str, int]  # [[denominations]]: a price book's amount, in minor units
    sale: tuple[int, int]  # [sale] min_amount, max_amount: what a card may be sold for
    patterns: SerialPatterns  # [[patterns]], compiled once here
    offline: OfflineRules = field(default_factory=OfflineRules)  # [offline]: off unless set
    # [receipt] sale_card_slips: a sale paid card by card prints each card's own slip too.
    sale_card_slips: bool = False
    # What the provider's API has no call for (provider.api): a sale is refused up front
    # where redemption is (NewStore).
    offers: Offers = ALL
