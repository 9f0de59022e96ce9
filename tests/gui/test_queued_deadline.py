"""A money call's deadline counts from the key, and it may pass while the call still waits for
one of the till's four workers (the review of the last stop): such a call is taken out of
the queue and never sent, and the cashier reads that it was not sent, never that it was
charged later after the till said it was not confirmed."""

from __future__ import annotations

import pytest

from posapp.ui.amount import AmountOverlay
from tests.gui.conftest import Till, key, person_types, pump_until, wedge_scan
from tests.gui.test_cashier import CARD, OTHER, card_shown, overlay_of
from tests.terminal.test_service import provider_balance

pytestmark = pytest.mark.gui

VALIDATE = b"POST /v1/gifts/validate "


def validates(till: Till) -> int:
    return sum(line.startswith(VALIDATE) for line in till.provider.proxy.requests)


def ignore(_answer: object) -> None:
    pass


def test_a_redemption_still_queued_at_its_deadline_is_never_sent(
    till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    from posapp.ui import calls

    window, proxy = till.window, till.provider.proxy
    monkeypatch.setattr(calls, "deadline_s", lambda _provider: 1.0)
    wedge_scan(window, CARD)
    card_shown(till, "$75.00")
    # The pool's four threads each wait on a card check whose answer the provider holds.
    proxy.set("hold", only=VALIDATE)
    before = validates(till)
    for _ in range(4):
        window.worker.submit(lambda: till.engine.terminal.check(CARD), ignore, ignore)
    pump_until(till.root, lambda: validates(till) == before + 4, what="four held checks")
    key(window.scan_field, "F2", 1)
    amount = overlay_of(till, AmountOverlay)
    assert isinstance(amount, AmountOverlay)
    person_types(window, amount.field, "25.")
    key(amount.field, "Return", 2)
    pump_until(till.root, lambda: window.till.message.startswith("Not sent"), what="not sent")
    assert window.till.message == (
        "Not sent: nothing happened. The till was too busy to send it in time; try again."
    )
    assert window.till.card is not None  # nothing moved: the card stays, its balance true
    assert not window.till.busy
    proxy.set("pass")
    proxy.release()  # the pool frees; a scan queued after the taken-out call runs
    wedge_scan(window, OTHER)
    card_shown(till, "$12.50")
    pump_until(till.root, lambda: len(proxy.answered) == len(proxy.requests), what="all answered")
    assert provider_balance(till.provider, CARD[-15:]) == 7500
    assert till.provider.redemptions() == []
    assert till.engine.journal.entries() == []  # no pending entry: it never started
