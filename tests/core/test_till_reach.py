"""The trial of a till (5b #9): a redemption not sent ("Not sent: nothing happened. The gift
card provider cannot be reached...") kept its red line on the card panel after the provider
was back and the status bar green: only a line starting with "cannot be reached" went."""

from __future__ import annotations

from posapp.core import reach
from posapp.core.entry import not_sent
from posapp.core.till_events import Answered, ProviderBack
from posapp.core.till_request import Result
from tests.core.test_till import only_move, shown, till


def test_a_not_sent_line_goes_when_the_provider_answers_again_and_keeps_not_sent() -> None:
    t = till()
    shown(t, "500000000000001")
    t.action("redeem")
    for key in "1.":
        t.amount_key(key)
    move = only_move(t.confirm())
    words = not_sent(reach.PROVIDER_DOWN)
    t.handle(Answered(move.request.id, Result(words, "bad", moved=False)))
    assert t.message == words
    t.handle(ProviderBack())
    assert t.message == "Not sent: nothing happened. The gift card provider answers again"
    assert t.tone == "ok"


def test_a_cards_check_the_provider_did_not_answer_goes_too() -> None:
    t = till()
    (check,) = t.scan("SVS_GC-500000000000001", now=1.0)
    t.check_failed(check.request, reach.PROVIDER_DOWN, "••0001")
    assert t.message == f"Card ••0001: {reach.PROVIDER_DOWN}."
    t.handle(ProviderBack())
    assert t.message == reach.BACK
