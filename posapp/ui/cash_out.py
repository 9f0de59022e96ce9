"""What the provider says of the store, read on the till's status watch (every 10 s, off the
Tk thread): its currency until it is known, and its cash-out switch and limit each time, so
that F8 says a refusal before the manager's PIN (core/cash_out.py; the second trial, till
#10/J)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from posapp.core.cash_out import CashOutPolicy, policy_of
from posapp.core.money import format_money
from posapp.core.till_events import CashOutKnown, CurrencyKnown, TillEvent
from posapp.terminal.ports import CashierError

if TYPE_CHECKING:  # loaded with the engine, after the window is drawn
    from posapp.terminal.service import Terminal


def store_said(
    terminal: Terminal,
    post: Callable[[Callable[[], None]], None],
    send: Callable[[TillEvent], None],
) -> None:
    """On a worker: the currency, until an answer came (the provider was down at start:
    ProviderError or CashierError, which the watch says as OFFLINE), then the policy; each
    posted to the Tk thread. The store's config is asked once a look: at start, the one
    answer gives both (the review of the last stop: the window asked for the currency too)."""
    if terminal.known_store_config() is None:
        store = terminal.store_config(fresh=True)
        currency = store.currency
        # Its money formatter built here, not by the first card's balance on the Tk thread.
        format_money(0, currency, terminal.locale)
        post(lambda: send(CurrencyKnown(currency)))
        policy = policy_of(store) if terminal.settings.cash_out == "endpoint" else None
    else:
        policy = cash_out_policy(terminal)
    post(lambda: send(CashOutKnown(policy)))


def cash_out_policy(terminal: Terminal) -> CashOutPolicy | None:
    """On a worker: the store's policy as the provider says it now; None where the store has
    no switch (config.md provider.cash_out = "redeem") or the provider did not answer."""
    if terminal.settings.cash_out != "endpoint":
        return None
    try:
        store = terminal.store_config(fresh=True)
    except CashierError:
        return None
    return policy_of(store)
