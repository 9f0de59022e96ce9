"""Issue 21 point 3: the till's states for a card that needs its own PIN, through
`Till.handle` as the window sends events: the masked keypad asked for, keys, Enter, a wrong
PIN asked again, Esc; then the PIN kept for that card's movements only, and forgotten by a new
scan, Esc or the card leaving the screen. Then an invariant over random event sequences."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posapp.core import till_events as ev
from posapp.core.card_pin import DOT, MAX_DIGITS, CardPin, digits_of
from posapp.core.till import Till
from posapp.core.till_events import Check, Effect, Move, Sound
from posapp.core.till_request import Result
from tests.core.test_till import gift, till

CODE = "600000000000001"
SCAN = f"SVS_GC-{CODE}"
PIN = "4821"


def check_of(effects: list[Effect]) -> Check:
    (check,) = [e for e in effects if isinstance(e, Check)]
    return check


def asked(t: Till, *, wrong: bool = False) -> Check:
    """The scan checked, and the provider's answer: this card needs its PIN."""
    check = check_of(t.handle(ev.Scan(SCAN, 100.0)))
    t.handle(ev.CardPinAsked(check.request, SCAN, "This card needs its PIN", wrong))
    return check


def typed(t: Till, keys: str) -> None:
    for key in keys:
        t.handle(ev.CardPinKey(key))


def with_pin(t: Till) -> None:
    """The card asked its PIN, the customer typed it, Enter: the card is shown."""
    asked(t)
    typed(t, PIN)
    check = check_of(t.handle(ev.Confirm()))
    t.handle(ev.CardFound(check.request, gift(CODE)))


def test_a_card_that_needs_its_pin_opens_the_keypad_with_no_card_and_nothing_moving() -> None:
    t = till()
    asked(t)
    assert (t.phase, t.card, t.in_flight) == ("card_pin", None, None)
    view = t.pin_pad_view
    assert view is not None
    assert (view.title, view.asked, view.dots, view.ok_enabled) == (
        "The PIN of card ••0001",  # the card it is for (the Adyen trial, 5a #8)
        "This card needs its PIN",
        "",
        False,
    )
    assert t.handle(ev.ActionKey("use_all")) == [Sound("bad")]  # nothing moves meanwhile
    assert "Esc to cancel" in t.message


def test_digits_show_as_dots_and_enter_checks_the_same_scan_again_with_the_pin() -> None:
    t = till()
    asked(t)
    typed(t, "48219")
    t.handle(ev.CardPinKey("BackSpace"))
    view = t.pin_pad_view
    assert view is not None
    assert view.dots == DOT * 4
    assert PIN not in repr(t)
    assert PIN not in repr(view)
    check = check_of(t.handle(ev.Confirm()))
    assert (check.text, digits_of(check.pin)) == (SCAN, PIN)
    assert PIN not in repr(check)
    assert t.waiting() == "Asking the provider…"
    assert t.handle(ev.CardPinKey("1")) == []  # while it is checked, keys wait
    t.handle(ev.CardFound(check.request, gift(CODE)))
    assert (t.phase, t.card, t.pin_pad) == ("card", gift(CODE), None)


def test_enter_with_no_pin_and_a_key_that_is_no_digit_are_refused_in_words() -> None:
    t = till()
    asked(t)
    assert t.handle(ev.Confirm()) == [Sound("bad")]
    assert t.message == "Type the card's PIN first, then Enter (Esc cancels)"
    assert t.handle(ev.CardPinKey("x")) == [Sound("bad")]
    assert t.message == "Only digits go in a card's PIN"
    typed(t, "1" * MAX_DIGITS)
    assert t.handle(ev.CardPinKey("1")) == [Sound("bad")]
    assert t.message == f"A card's PIN has at most {MAX_DIGITS} digits"


def test_a_wrong_pin_says_so_and_asks_again_with_an_empty_keypad() -> None:
    t = till()
    asked(t)
    typed(t, "1111")
    check = check_of(t.handle(ev.Confirm()))
    effects = t.handle(ev.CardPinAsked(check.request, SCAN, "Wrong PIN for this card", True))
    assert effects == [Sound("bad")]
    view = t.pin_pad_view
    assert view is not None
    assert (t.phase, view.title, view.asked, view.dots) == (
        "card_pin",
        "Wrong PIN: the PIN of card ••0001 again",
        "Wrong PIN for this card",
        "",
    )
    typed(t, PIN)
    check = check_of(t.handle(ev.Confirm()))
    assert digits_of(check.pin) == PIN
    t.handle(ev.CardFound(check.request, gift(CODE)))
    assert digits_of(t.pin_of(t.card)) == PIN


def test_esc_cancels_the_keypad_and_a_late_answer_shows_nothing() -> None:
    t = till()
    asked(t)
    typed(t, PIN)
    check = check_of(t.handle(ev.Confirm()))
    t.handle(ev.Cancel())
    assert (t.phase, t.card, t.pin_pad, t.pin_tried) == ("idle", None, None, None)
    t.handle(ev.CardFound(check.request, gift(CODE)))  # the check's answer, after Esc
    assert (t.phase, t.card, t.card_pin) == ("idle", None, None)


def test_the_pin_goes_with_that_cards_movements_only() -> None:
    t = till()
    with_pin(t)
    (move,) = [
        e for e in t.handle(ev.ActionKey("use_all")) + t.handle(ev.Confirm()) if isinstance(e, Move)
    ]
    assert digits_of(move.pin) == PIN
    assert PIN not in repr(move)
    t.handle(ev.Answered(move.request.id, Result("Redeemed", card=gift(CODE, 0))))
    assert t.pin_of(t.card) == move.pin  # the same card, read again: kept
    other = check_of(t.handle(ev.Scan("SVS_GC-500000000000002", 300.0)))
    t.handle(ev.CardFound(other.request, gift("500000000000002")))
    (move,) = [
        e for e in t.handle(ev.ActionKey("use_all")) + t.handle(ev.Confirm()) if isinstance(e, Move)
    ]
    assert move.pin is None  # another card: no PIN of the one before


def test_a_new_scan_esc_or_the_card_leaving_the_screen_forgets_the_pin() -> None:
    t = till()
    with_pin(t)
    t.handle(ev.Scan("SVS_GC-500000000000002", 200.0))  # a new scan
    assert t.card_pin is None
    t = till()
    with_pin(t)
    t.handle(ev.Cancel())  # Esc clears the card
    assert (t.card, t.card_pin) == (None, None)
    t = till()
    with_pin(t)
    (move,) = [
        e for e in t.handle(ev.ActionKey("use_all")) + t.handle(ev.Confirm()) if isinstance(e, Move)
    ]
    t.handle(ev.Timeout(move.request.id))  # no answer in time: the card leaves the screen
    assert (t.card, t.card_pin) == (None, None)


def test_a_pin_the_scan_carried_is_kept_for_the_card_found() -> None:
    t = till()
    check = check_of(t.handle(ev.Scan(SCAN + "=4821", 100.0)))
    t.handle(ev.CardFound(check.request, gift(CODE), pin=CardPin(PIN)))
    (move,) = [
        e for e in t.handle(ev.ActionKey("use_all")) + t.handle(ev.Confirm()) if isinstance(e, Move)
    ]
    assert digits_of(move.pin) == PIN


EVENTS = st.sampled_from(
    [
        "scan_pin_card",
        "scan_other",
        "asked",
        "wrong",
        "digit",
        "enter",
        "found",
        "esc",
        "use_all",
        "answer",
        "timeout",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(EVENTS, max_size=30))
def test_a_pin_reaches_only_a_move_on_the_card_it_was_typed_for(steps: list[str]) -> None:
    """Whatever order events come in: a Move carries a PIN only for the card found with
    that PIN and still on screen; no PIN is kept without its card on screen; the keypad is
    open only in "card_pin"."""
    t = till()
    entered = set()  # the PINs the customer confirmed with Enter: all a Move may carry
    for step in steps:
        if step == "scan_pin_card":
            effects = t.handle(ev.Scan(SCAN, 0.0 + len(t.late) + t._ids * 10))
        elif step == "scan_other":
            effects = t.handle(ev.Scan("SVS_GC-500000000000002", t._ids * 10.0))
        elif step in ("asked", "wrong") and t.checking is not None:
            effects = t.handle(ev.CardPinAsked(t.checking, SCAN, "PIN", step == "wrong"))
        elif step == "digit":
            done = len(t.pin_pad.digits) if t.pin_pad is not None else 0
            effects = t.handle(ev.CardPinKey(PIN[done % len(PIN)]))
        elif step == "enter":
            if t.pin_pad is not None:
                entered.add(t.pin_pad.digits)
            effects = t.handle(ev.Confirm())
        elif step == "found" and t.checking is not None:
            code = CODE if t.phase == "card_pin" or t.last_scan[0] == SCAN else "500000000000002"
            effects = t.handle(ev.CardFound(t.checking, gift(code)))
        elif step == "esc":
            effects = t.handle(ev.Cancel())
        elif step == "use_all":
            effects = t.handle(ev.ActionKey("use_all")) + t.handle(ev.Confirm())
        elif step == "answer" and t.in_flight is not None:
            effects = t.handle(ev.Answered(t.in_flight.id, Result("ok", card=t.in_flight.card)))
        elif step == "timeout" and t.in_flight is not None:
            effects = t.handle(ev.Timeout(t.in_flight.id))
        else:
            continue
        for effect in effects:
            if isinstance(effect, Move) and effect.pin is not None:
                card = effect.request.card
                assert card is not None
                assert t.card is not None
                assert card.id == t.card.id
                assert effect.pin.digits in entered
        if t.card_pin is not None:
            assert t.card is not None
            assert t.card.id == t.card_pin[0]
        if t.phase != "card_pin":
            assert (t.pin_pad, t.pin_tried) == (None, None)


def test_undoing_a_transaction_of_the_card_on_screen_carries_its_pin() -> None:
    """F7 on a transaction of the card on screen (found with its PIN): the card's look-up
    before the manager's PIN and the reversal itself go with the card's PIN; for a
    transaction of another card, none."""
    from posapp.core.till_events import CheckPin, CheckUndo
    from posapp.core.till_request import Reversible

    t = till()
    with_pin(t)
    mine = Reversible(1, "redemption", CODE, 1000, "USD")
    effects = t.handle(ev.ActionKey("reverse")) + t.handle(ev.Confirm(pick=mine))
    (undo,) = [e for e in effects if isinstance(e, CheckUndo)]
    assert digits_of(undo.pin) == PIN
    t.handle(ev.UndoChecked(undo.request, None))
    (pin,) = [e for e in t.handle(ev.Confirm(pin="2468")) if isinstance(e, CheckPin)]
    (move,) = [e for e in t.handle(ev.PinChecked(pin.request, None)) if isinstance(e, Move)]
    assert move.request.kind == "reversal"
    assert digits_of(move.pin) == PIN
    t.handle(ev.Answered(move.request.id, Result("Reversed")))
    t = till()
    with_pin(t)
    other = Reversible(2, "redemption", "500000000000002", 1000, "USD")
    effects = t.handle(ev.ActionKey("reverse")) + t.handle(ev.Confirm(pick=other))
    (undo,) = [e for e in effects if isinstance(e, CheckUndo)]
    assert undo.pin is None


def test_the_manager_pins_check_never_shows_the_pin_in_its_repr() -> None:
    """The effect that carries the manager's PIN to its (slow) check: a log line or a
    traceback that shows it shows no digit of the PIN."""
    from posapp.core.till_events import CheckPin

    check = CheckPin(7, "2468")
    assert "2468" not in repr(check)
    assert "2468" not in str(check)
    assert check == CheckPin(7, "2468")
    assert check.pin == "2468"
