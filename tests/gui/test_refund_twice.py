"""F6 pressed again after the till said the first refund to a new card had no answer in time:
the second is refused before it is sent, in the till's words, while the first is still to
settle (the review of the last stop: it issued a second card)."""

from __future__ import annotations

import pytest

from posapp.ui.amount import AmountOverlay
from posapp.ui.confirm import ConfirmOverlay
from tests.gui.conftest import PIN, Till, key, person_types, pump_until
from tests.gui.test_cashier import overlay_of

pytestmark = pytest.mark.gui

ISSUE = b"POST /v1/gift-cards/issues "


def refund(till: Till, typed: str, when: int) -> None:
    """F6, the amount, Enter, the manager's PIN."""
    key(till.window.scan_field, "F6", when)
    amount = overlay_of(till, AmountOverlay)
    assert isinstance(amount, AmountOverlay)
    person_types(till.window, amount.field, typed)
    key(amount.field, "Return", when + 1)
    pin = overlay_of(till, ConfirmOverlay)
    assert isinstance(pin, ConfirmOverlay)
    pin.pin = PIN
    pin.enter()


def test_f6_again_while_the_first_refund_is_not_confirmed_issues_nothing(
    till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    from posapp.ui import calls

    window, proxy = till.window, till.provider.proxy
    monkeypatch.setattr(calls, "deadline_s", lambda _provider: 1.0)
    pump_until(till.root, lambda: window.till.currency, what="the store's currency")
    proxy.set("hold", only=ISSUE)  # the provider's answer to the first is slow in coming
    refund(till, "700", 10)
    pump_until(till.root, lambda: window.till.message.startswith("Not confirmed yet"), what="nc")
    refund(till, "700", 20)  # the cashier, not told it went through, presses again
    pump_until(till.root, lambda: window.till.message.startswith("Wait: "), what="the refusal")
    assert window.till.message == (
        "Wait: a refund of $7.00 to a new card is not confirmed yet: do not refund it again "
        "until the till has finished it, in a moment."
    )
    proxy.set("pass")
    proxy.release()
    pump_until(
        till.root,
        lambda: [e.state for e in till.engine.journal.entries()] == ["completed"],
        what="the first refund's answer, late",
    )
    issued = [status for line, status in proxy.answered if line.startswith(ISSUE)]
    assert len(issued) == 1  # one card issued
