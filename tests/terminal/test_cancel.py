"""Trial till #1/A: a redemption whose answer never came (the provider frozen, the request
held on its way) was looked up minutes later, or at the next start, not found, and SENT
AGAIN: the card was charged while the customer was long gone, and the screen said "hand
over the goods". Now the settler cancels it at the provider (api.md "Canceling a movement
that never came"), settles it not charged, and the request arriving late is refused. When
it arrived just before the cancel, the cancel answers it and it settles done, once.

The real provider over loopback, the real journal; the proxy holds the till's redemptions.
"""

from __future__ import annotations

from pathlib import Path

from posapp.app import Engine, build_engine
from posapp.core.gift import Movement
from posapp.core.intent import Intent
from posapp.terminal.settle import CANCELED_WORDS
from tests.helpers import wait_for
from tests.terminal.conftest import Provider
from tests.terminal.test_journal_failures import engine_on
from tests.terminal.test_service import ACTIVE

CODE = "500000000000001"  # $75.00
REDEMPTIONS = b"/redemptions"


def ledger(provider: Provider) -> tuple[int, int]:
    return provider.balance(CODE), len(provider.redemptions())


def a_redemption_held_past_the_deadline(provider: Provider, path: Path) -> int:
    """$10.00 on the card, every try of it held by the proxy until the till gives up: NOT
    CONFIRMED; then the till is closed (the night). The journal entry's id."""
    config = provider.config(provider.proxy.url, timeout_s=0.5, deadline_s=1.0)
    till = build_engine(config, token=provider.token, journal=path, start_settler=False)
    till.client.backoff = (0.01, 0.02)
    try:
        gift = till.terminal.check(ACTIVE)
        provider.proxy.set("hold", only=REDEMPTIONS)
        assert till.terminal.redeem(gift, 1000).not_confirmed
        (entry,) = till.journal.entries()
        assert entry.state == "unknown"  # the cashier was told the till would finish it
    finally:
        till.close()
    assert ledger(provider) == (7500, 0)
    return entry.id


def held(provider: Provider) -> int:
    return sum(REDEMPTIONS in line for line in provider.proxy.requests)


def arrived(provider: Provider) -> list[bytes]:
    return [status for line, status in provider.proxy.answered if REDEMPTIONS in line]


def test_a_redemption_held_past_the_deadline_is_canceled_and_refused_when_it_arrives(
    provider: Provider, tmp_path: Path
) -> None:
    entry_id = a_redemption_held_past_the_deadline(provider, tmp_path / "journal.db")
    sent = held(provider)
    assert sent >= 1
    again = engine_on(provider, tmp_path / "journal.db")  # the next start
    try:
        assert again.settler.settle_once() == 0
        done = again.journal.entry(entry_id)
        assert (done.state, done.outcome, done.error) == ("settled", "declined", CANCELED_WORDS)
        assert held(provider) == sent  # never sent again
        assert ledger(provider) == (7500, 0)

        provider.proxy.release()  # the held requests reach the provider at last
        wait_for(lambda: len(arrived(provider)) == sent, 10, "the held requests to arrive")
        assert set(arrived(provider)) == {b"HTTP/1.1 409 Conflict"}  # reference_canceled
        assert ledger(provider) == (7500, 0)  # nothing moved
        assert again.terminal.shift.reconciliation() == []
        # The card takes money again, once per press.
        provider.proxy.set("pass")
        again.terminal.redeem(again.terminal.check(ACTIVE), 1000)
        assert ledger(provider) == (6500, 1)
    finally:
        provider.proxy.set("pass")
        provider.proxy.release()
        again.close()


def test_a_redemption_arriving_between_the_lookup_and_the_cancel_settles_done_once(
    provider: Provider, tmp_path: Path
) -> None:
    entry_id = a_redemption_held_past_the_deadline(provider, tmp_path / "journal.db")
    again: Engine = engine_on(provider, tmp_path / "journal.db")
    cancel = again.client.cancel
    raced: list[int] = []

    def cancel_once_it_arrived(intent: Intent, key: str) -> Movement | None:
        """The lookup found nothing; the held request commits now, before the cancel."""
        provider.proxy.release()
        wait_for(lambda: ledger(provider) == (6500, 1), 10, "the held redemption to commit")
        raced.append(1)
        return cancel(intent, key)

    again.client.cancel = cancel_once_it_arrived  # type: ignore[method-assign]
    try:
        assert again.settler.settle_once() == 0
        assert raced == [1]
        done = again.journal.entry(entry_id)
        assert (done.state, done.outcome) == ("settled", "completed")
        assert done.transaction_id in provider.redemptions()
        assert ledger(provider) == (6500, 1)  # charged once
        assert again.terminal.shift.reconciliation() == []
    finally:
        provider.proxy.set("pass")
        provider.proxy.release()
        again.close()
