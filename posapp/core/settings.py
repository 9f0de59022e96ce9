"""What the terminal needs of the config, as frozen values built once by posapp/config.py
(`till_settings`): the terminal reads no config file and imports no config module."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReceiptHeading:
    """What every receipt prints about the store ([store], [receipt])."""

    store_name: str
    address: tuple[str, ...]
    location: str
    footer: tuple[str, ...]
    mask_serial: bool
