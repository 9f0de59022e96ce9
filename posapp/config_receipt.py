"""[receipt]: the logo, the footer, masking, and a sale's slips. Its own module: config.py
is at the size the house allows (tests/test_module_sizes.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from posapp.config_checks import existing_file_problem
from posapp.config_read import checked


@dataclass(frozen=True, slots=True)
class ReceiptConfig:
    """[receipt]: the logo, the footer, masking, a sale's card slips."""

    logo: str = field(default="", metadata=checked(existing_file_problem))
    footer: tuple[str, ...] = ("Thank you!",)
    mask_serial: bool = True
    # A sale paid card by card (issue 23) prints one sale receipt listing every card; true:
    # each card's own redemption slip too, as a card redeemed alone prints.
    sale_card_slips: bool = False
