"""A refund to a new card (an issue) is guarded as every other movement is (the review of the
last stop): while one is in flight, or its outcome is not known, no other refund to a new card
is sent, and the cashier reads why. Every other movement waits on its card (core/settling.py);
an issue has no card yet, so it waits on the issue not yet settled."""

from __future__ import annotations

import threading

import pytest

from posapp.app import Engine
from posapp.core.receipt import Receipt
from posapp.terminal.ports import CashierError
from tests.helpers import wait_for
from tests.terminal.conftest import Provider

ISSUE = b"POST /v1/gift-cards/issues "


def issues_answered(provider: Provider) -> list[bytes]:
    return [status for line, status in provider.proxy.answered if line.startswith(ISSUE)]


def test_a_second_refund_to_a_new_card_waits_while_the_first_is_in_flight(
    engine: Engine, provider: Provider
) -> None:
    proxy, terminal = provider.proxy, engine.terminal
    proxy.set("hold", only=ISSUE)  # the provider's answer to the first is slow in coming
    first: list[Receipt] = []
    thread = threading.Thread(target=lambda: first.append(terminal.refund_to_card(700)))
    thread.start()
    wait_for(lambda: ISSUE in b"".join(proxy.requests), 10, "the first issue sent")
    with pytest.raises(CashierError) as refused:  # F6 again, $7.00, the PIN: the same refund
        terminal.refund_to_card(700)
    assert str(refused.value) == (
        "Wait: a refund of $7.00 to a new card is not confirmed yet: do not refund it again "
        "until the till has finished it, in a moment."
    )
    proxy.set("pass")
    proxy.release()
    thread.join(20)
    (receipt,) = first
    assert receipt.new_card_code is not None
    assert len(issues_answered(provider)) == 1  # one card issued at the provider
    assert [(e.operation, e.state) for e in engine.journal.entries()] == [("issue", "completed")]
    # Settled: the next refund goes through.
    assert terminal.refund_to_card(500).new_card_code is not None
    assert len(issues_answered(provider)) == 2


def test_a_refund_to_a_new_card_waits_while_one_is_not_confirmed(
    engine: Engine, provider: Provider
) -> None:
    """Its answer lost: the issue stays unknown until the settler finds it; no other issue
    goes before that (the cashier would refund again, not told the first went through)."""
    # Each try's answer lost, and the till's own ask by its reference within the call too.
    provider.proxy.set("drop_answer", only=(ISSUE, b"GET /v1/transactions/lookup"))
    lost = engine.terminal.refund_to_card(700)
    assert lost.not_confirmed
    provider.proxy.set("pass")
    tries = len(issues_answered(provider))
    with pytest.raises(CashierError, match=r"^Wait: a refund of \$7.00 to a new card is not"):
        engine.terminal.refund_to_card(1200)
    assert len(issues_answered(provider)) == tries  # nothing more sent
    assert [e.state for e in engine.journal.entries()] == ["unknown"]
