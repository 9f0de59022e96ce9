"""Screen state and decisions that need no Tk: what a scan means, what the card panel says,
which actions are open. The window only draws what this says (IDLE's way: validation out of
widgets, so it tests without a display)."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.core.entry import Entry
from posapp.core.gift import Gift, mask

SAME_CARD_WINDOW_S = 2.0


@dataclass
class ScanGate:
    """The same card scanned twice within 2 s is checked once (a double read, a nervous hand)."""

    last_text: str = ""
    last_at: float = -1e9

    def admit(self, text: str, now: float) -> bool:
        if text == self.last_text and now - self.last_at < SAME_CARD_WINDOW_S:
            return False
        self.last_text, self.last_at = text, now
        return True


def transaction_for_barcode(text: str, entries: list[Entry]) -> Entry | None:
    """A receipt's transaction barcode, scanned: the shift's entry it belongs to."""
    if not text.isdigit():
        return None
    for entry in entries:
        if entry.transaction_id == text and entry.operation in ("redemption", "cash_out"):
            return entry
    return None


@dataclass(frozen=True)
class CardPanel:
    """What the card panel shows, in words."""

    serial: str
    balance: str
    status: str
    status_colour: str
    kind: str
    validity: str
    restrictions: str
    description: str


def card_panel(gift: Gift, locale: str) -> CardPanel:
    from posapp.ui.theme import STATUS_COLOURS

    status = gift.not_redeemable_reason or gift.status
    validity = f"until {gift.expires_at:%d %b %Y}" if gift.expires_at else "no expiry"
    restrictions = "promotional" if gift.promotional else "none"
    if gift.not_redeemable_reason == "location_not_allowed":
        restrictions = "not valid at this location"
    return CardPanel(
        serial=mask(gift.code),
        balance=gift.left(locale),
        status=status.replace("_", " ").upper(),
        status_colour="bad"
        if status == "location_not_allowed"
        else STATUS_COLOURS.get(status, "muted"),
        kind="items" if gift.kind == "item" else "money",
        validity=validity,
        restrictions=restrictions,
        description=gift.present_value_description,
    )


@dataclass
class ActionState:
    """Which actions are open: money actions close while a call runs or without a card."""

    busy: bool = False
    has_card: bool = False
    redeemable: bool = False

    def enabled(self, action: str) -> bool:
        if self.busy and action not in ("reprint", "reports"):
            return False
        if action in ("redeem", "use_all", "cash_out"):
            return self.has_card and self.redeemable
        if action == "balance":
            return self.has_card
        return True
