"""A test double of the GiftProvider port for cards that need their PIN (issue 21 point 3),
until an API with card PINs (Adyen's) runs here: the real provider client behind it does
every call; in front, for the cards it is given, it does what an adapter for such a brand
does, with the port's own interface and errors: no PIN, PinNeeded before any call; a wrong
PIN, Declined "wrong_pin"; the right one, the real call. It keeps the PINs it was sent, for
tests to see where a PIN went."""

from __future__ import annotations

from datetime import datetime

from posapp.core.gift import Gift, GiftCardConfig, Movement, Transaction
from posapp.core.intent import Intent
from posapp.terminal.ports import WRONG_PIN, Declined, GiftProvider, PinNeeded

NEEDS = "This card needs its PIN: the customer types it on the keypad"
WRONG = "Wrong PIN for this card: the customer types it again"


class PinCards:
    """`real` with PINs for the cards in `pins` (code -> PIN)."""

    def __init__(self, real: GiftProvider, pins: dict[str, str]) -> None:
        self.real, self.pins = real, pins
        self.ids: dict[str, str] = {}  # gift id -> code, as validate saw them
        self.sent: list[str | None] = []  # the PIN given with each call, in order
        self.refused = 0  # calls refused for a missing or wrong PIN

    def _check(self, code: str | None, pin: str | None) -> None:
        self.sent.append(pin)
        wanted = self.pins.get(code or "")
        if wanted is None:
            return
        if pin is None:
            self.refused += 1
            raise PinNeeded(NEEDS)
        if pin != wanted:
            self.refused += 1
            raise Declined(WRONG, WRONG_PIN, {})

    def validate(
        self, *, code: str | None = None, public_token: str | None = None, pin: str | None = None
    ) -> Gift:
        self._check(code, pin)
        gift = self.real.validate(code=code, public_token=public_token, pin=pin)
        self.ids[gift.id] = gift.code
        return gift

    def send(self, intent: Intent, idempotency_key: str, *, pin: str | None = None) -> Movement:
        # A payment from the card needs its PIN; a reversal names the payment, not the card.
        if intent.operation in ("redemption", "cash_out"):
            self._check(self.ids.get(intent.gift_id or ""), pin)
        return self.real.send(intent, idempotency_key, pin=pin)

    def look_up(self, intent: Intent, idempotency_key: str) -> Movement | None:
        return self.real.look_up(intent, idempotency_key)

    def transactions(
        self,
        *,
        since: datetime | None = None,
        location_id: str | None = None,
        gift_id: str | None = None,
    ) -> list[Transaction]:
        return self.real.transactions(since=since, location_id=location_id, gift_id=gift_id)

    def config(self) -> GiftCardConfig:
        return self.real.config()
