"""The card's own PIN as the customer types it on the till's masked keypad (issue 21 point 3),
and what the keypad overlay draws of it. Pure, no Tk.

Some brands (Givex, SVS through Adyen) need the PIN printed under the card's scratch strip
with every call: the adapter says so before any call (terminal/ports.py PinNeeded), and the
till asks for it here. A PIN is kept in memory only, for the card on screen
(core/card_pin_steps.py); its digits never reach a repr, a view's words, the journal, a
receipt or a log: what is drawn is a dot per digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from posapp.core.errors import ForPeople
from posapp.i18n import N_, _

DOT = "•"
DIGITS = frozenset("0123456789")
# Card PINs are 4 to 8 digits (Givex 4, SVS 4 or 8, ValueLink 8); more is a key held down.
MAX_DIGITS = 12
ASK = N_("The customer types the card's PIN on the keypad, then Enter. Esc cancels.")
TYPE_FIRST = N_("Type the card's PIN first, then Enter (Esc cancels)")


class PinKeyRefused(ValueError, ForPeople):
    """A key the PIN keypad does not take, in words."""


@dataclass(frozen=True, slots=True, repr=False)
class CardPin:
    """A card's PIN on its way to the provider (the till's events and effects carry it): its
    digits are read only where the provider is called (`digits`); its repr and str, which a
    log line or a traceback would show, are never them."""

    digits: str

    def __repr__(self) -> str:
        return "CardPin(hidden)"

    __str__ = __repr__


def digits_of(pin: CardPin | None) -> str | None:
    return None if pin is None else pin.digits


@dataclass(frozen=True, slots=True)
class CardPinEntry:
    """The PIN typed so far, and the words that asked for it (the provider's: this card
    needs its PIN, or the PIN was wrong)."""

    asked: str = N_("This card needs its PIN")  # the provider's words, or these (translated)
    wrong: bool = False  # asked again: the last PIN tried was wrong
    digits: str = field(default="", repr=False)

    def press(self, key: str) -> CardPinEntry:
        """One key: a digit or "BackSpace"; PinKeyRefused if refused (the entry unchanged)."""
        if key == "BackSpace":
            return replace(self, digits=self.digits[:-1])
        if key not in DIGITS:
            raise PinKeyRefused(_("Only digits go in a card's PIN"))
        if len(self.digits) >= MAX_DIGITS:
            said = _("A card's PIN has at most {count} digits")
            raise PinKeyRefused(said.format(count=MAX_DIGITS))
        return replace(self, digits=self.digits + key)

    @property
    def dots(self) -> str:
        return DOT * len(self.digits)


@dataclass(frozen=True, slots=True)
class PinPadView:
    """What the card PIN overlay shows: its title, why it asks, a dot per digit typed, the
    note under it (a refusal, "Checking…") in its tone, and its OK button."""

    title: str
    asked: str  # the provider's words: this card needs its PIN, or the PIN was wrong
    asked_tone: str  # "bad" when the PIN tried was wrong, else "text"
    how: str  # what the customer and the cashier do
    dots: str
    note: str
    tone: str
    ok: str
    ok_enabled: bool


def pin_pad_view(
    entry: CardPinEntry, message: str, tone: str, checking: bool, card: str = ""
) -> PinPadView:
    """The overlay's view model of the till's state (the till's `message` is its note);
    `card`: the card it is for, masked ("••0008"; the Adyen trial, 5a #8: it named none)."""
    if entry.wrong:
        title = (
            _("Wrong PIN: the PIN of card {card} again")
            if card
            else _("Wrong PIN: the card's PIN again")
        )
    else:
        title = _("The PIN of card {card}") if card else _("The card's PIN")
    return PinPadView(
        title=title.format(card=card),
        asked=_(entry.asked),
        asked_tone="bad" if entry.wrong else "text",
        how=_(ASK),
        dots=entry.dots,
        note=message,
        tone=tone,
        ok=_("Checking…") if checking else _("Check the card  (Enter)"),
        ok_enabled=bool(entry.digits) and not checking,
    )
