"""The till's steps for a card that needs its PIN (issue 21 point 3), as functions of its
state (core/till_state.py), the way core/actions.py's handlers are.

- The check of a scan answers that the card needs its PIN, or that the PIN was wrong
  (`CardPinAsked`): the till opens its masked keypad ("card_pin"), no card on screen, nothing
  moving; wrong, it says so and asks again.
- Keys (`CardPinKey`) fill the PIN; Enter checks the same scan again with it (`Check` with
  its `pin`); the card found is shown and keeps that PIN, in memory, for its own movements.
- Esc, a new scan, or the card leaving the screen forgets it (`forget`, after every event).
"""

from __future__ import annotations

from posapp.core.card_pin import TYPE_FIRST, CardPin, CardPinEntry, PinKeyRefused
from posapp.core.till_events import Check, Effect, Sound
from posapp.core.till_state import TillState
from posapp.core.till_words import sentences
from posapp.i18n import _


def asked(till: TillState, request: int, text: str, words: str, wrong: bool) -> list[Effect]:
    """The card needs its PIN (or the one tried was wrong): the keypad, empty."""
    if request != till.checking:
        return []  # a scan, or Esc, since
    till.checking, till.card, till.phase = None, None, "card_pin"
    till.pin_pad, till.pin_scan, till.pin_tried = CardPinEntry(words, wrong), text, None
    till.message = sentences(till.dropped) if not wrong else ""
    till.tone, till.dropped = "warn", ""
    return [Sound("bad")] if wrong else []


def key(till: TillState, pressed: str) -> list[Effect]:
    """A digit or BackSpace on the keypad; refused in words (Only digits ...)."""
    pad = till.pin_pad
    if till.phase != "card_pin" or pad is None or till.checking is not None:
        return []
    try:
        till.pin_pad = pad.press(pressed)
    except PinKeyRefused as exc:
        return till._refuse(str(exc))
    till.message = ""
    return []


def enter(till: TillState) -> list[Effect]:
    """Enter: the same scan checked again, with the PIN typed."""
    pad = till.pin_pad
    if pad is None or till.checking is not None:
        return []  # being checked
    if not pad.digits:
        return till._refuse(_(TYPE_FIRST))
    till.checking, till.pin_tried = till._next_id(), CardPin(pad.digits)
    till.message, till.tone = _("Checking the card with its PIN…"), "muted"
    return [Check(till.checking, till.pin_scan, pin=till.pin_tried)]


def found(till: TillState, card_id: str, pin: CardPin | None) -> None:
    """A card shown: it keeps the PIN it was found with (typed, or from its scan)."""
    pin = till.pin_tried or pin
    till.card_pin = (card_id, pin) if pin else None


def forget(till: TillState) -> None:
    """After every event: the PIN only for the card on screen; the keypad's only while open."""
    kept = till.card_pin
    if kept is not None and (till.card is None or till.card.id != kept[0]):
        till.card_pin = None
    if till.phase != "card_pin":
        till.pin_pad, till.pin_scan, till.pin_tried = None, "", None
