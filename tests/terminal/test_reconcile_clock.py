"""Reconciliation by the provider's times (issue 18.8): a till whose clock is 2 h off asked
the provider for the shift's transactions since the shift opened by its own clock, and
reported differences that were not there (ahead: its own transactions "not listed"; behind:
the last shift's "not in the journal"). Both APIs; a real difference is still found."""

from __future__ import annotations

import time

import httpx
import pytest

from posapp.adapters.square import SquareClient
from posapp.app import Engine
from posapp.core import intent as intents
from posapp.terminal.ports import CashierError
from tests.terminal.conftest import APIS, Provider
from tests.terminal.test_service import ACTIVE

pytestmark = pytest.mark.parametrize("api", APIS)


def redeem_elsewhere(provider: Provider, gift_id: str) -> None:
    """A redemption at the till's location that its journal never saw."""
    if provider.fake is not None:
        outside = SquareClient(
            provider.server.url, provider.token, location_id=provider.fake.location_id
        )
        outside.send(intents.redeem(gift_id, amount=1), "elsewhere")
        outside.close()
        return
    headers = {
        "Authorization": f"Bearer {provider.made['admin_token']}",
        "Idempotency-Key": "elsewhere",
    }
    answer = httpx.post(
        f"{provider.server.url}/v1/gifts/{gift_id}/redemptions", json={"amount": 1}, headers=headers
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("off_h", [2, -2])
def test_a_till_2_h_off_reconciles_by_the_providers_times(
    engine: Engine, provider: Provider, off_h: int
) -> None:
    engine.journal.clock = lambda: time.time() + off_h * 3600
    terminal = engine.terminal
    if provider.api == "adyen":  # README "Adyen": no list of a till's transactions
        terminal.redeem(terminal.check(ACTIVE), 500)
        with pytest.raises(CashierError, match="Adyen keeps no list of a till's transactions"):
            terminal.shift.reconciliation()
        return
    terminal.redeem(terminal.check(ACTIVE), 500)  # the shift before
    terminal.shift.z_report()
    terminal.redeem(terminal.check(ACTIVE), 1000)  # this shift, opened by the till's clock
    terminal.sell("SVS_GC-700000000000002", amount=2000)
    opened = engine.journal.shift_opened_at(engine.journal.current_shift())
    assert abs(opened - time.time() - off_h * 3600) < 60  # the till's clock is off indeed
    assert terminal.shift.reconciliation() == []  # no false difference
    redeem_elsewhere(provider, terminal.check(ACTIVE).id)
    (found,) = terminal.shift.reconciliation()
    assert "is not in the journal" in found  # a real one is still found
