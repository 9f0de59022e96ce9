"""What the provider says of the store (its currency, its cash-out switch and limit) is asked
once at start and shared (the review of the last stop: the window's own currency look-up and
the status watch each asked for it, two or three GETs at every start)."""

from __future__ import annotations

import pytest

from tests.gui.conftest import Till, pump_until

pytestmark = pytest.mark.gui

CONFIG = b"GET /v1/gift-card-config "


def test_the_store_config_is_fetched_once_at_start(till: Till) -> None:
    window = till.window
    pump_until(till.root, lambda: window.till.currency == "USD", what="the currency")
    policy = pump_until(till.root, lambda: window.till.cash_out, what="the cash-out policy")
    pump_until(
        till.root, lambda: "online" in str(window.bar["provider"].cget("text")), what="online"
    )
    asked = [line for line in till.provider.proxy.requests if line.startswith(CONFIG)]
    assert len(asked) == 1, till.provider.proxy.requests
    assert (policy.allowed, policy.most) == (True, 20000)
