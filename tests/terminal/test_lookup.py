"""No blind resend (issue 18.1), for both APIs: before the settler sends an unknown movement
again it asks the provider by the till's reference. Found: recorded from the provider's
transaction, not sent. None: sent again with its key. The provider cannot say: it stays
unknown, said so, and nothing is sent."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from posapp.app import Engine
from posapp.core import intent as intents
from posapp.terminal.settle import CANCELED_WORDS
from tests.terminal.conftest import APIS, Provider
from tests.terminal.test_faults import http_answer
from tests.terminal.test_service import ACTIVE

pytestmark = pytest.mark.parametrize("api", APIS)

CODE = "500000000000001"
# The request lines of a redemption, and of the lookup, as the proxy sees them.
MONEY = {
    "posapp": b"/redemptions",
    "square": b"POST /v2/gift-cards/activities",
    "adyen": b"POST /checkout/v71/payments ",
}
CANCEL = b"POST /v1/transactions/cancel"  # api.md "Canceling a movement that never came"
# Adyen has no look-up of a payment by reference: what it is asked is its cancel by the
# merchant reference (README "Adyen"), which answers "canceled, not charged" in one step.
LOOKUP = {
    "posapp": b"GET /v1/transactions/lookup",
    "square": b"GET /v2/gift-cards/activities",
    "adyen": b"POST /checkout/v71/cancels ",
}
NO_LOOKUP = (
    "Adyen has no look-up of a payment by reference: canceled instead (test_adyen_settle.py)"
)


def asked_since(provider: Provider, start: int) -> tuple[int, int]:
    """How many lookups and money calls reached the proxy since request `start`."""
    seen = provider.proxy.requests[start:]
    return (
        sum(LOOKUP[provider.api] in line for line in seen),
        sum(MONEY[provider.api] in line for line in seen),
    )


def an_answer_lost_then_keys_forgotten(engine: Engine, provider: Provider) -> None:
    """A redemption of $10.00 the provider committed, every answer to it lost; then the
    provider forgets its key (the long weekend)."""
    gift = engine.terminal.check(ACTIVE)
    # The answer lost, and the till's own ask by reference within the call too.
    provider.proxy.set("drop_answer", only=(MONEY[provider.api], LOOKUP[provider.api]))
    assert engine.terminal.redeem(gift, 1000).not_confirmed
    provider.proxy.set("pass")
    provider.forget_keys()
    assert (provider.balance(CODE), len(provider.redemptions())) == (6500, 1)


def test_found_by_its_reference_it_is_recorded_and_not_sent_again(
    engine: Engine, provider: Provider
) -> None:
    if provider.cancels_payments:
        pytest.skip(NO_LOOKUP)
    an_answer_lost_then_keys_forgotten(engine, provider)
    start = len(provider.proxy.requests)
    assert engine.settler.settle_once() == 0
    assert asked_since(provider, start)[1] == 0  # asked, never sent again
    assert asked_since(provider, start)[0] >= 1
    (entry,) = engine.journal.entries()
    assert (entry.state, entry.outcome) == ("settled", "completed")
    assert entry.transaction_id in provider.redemptions()
    assert (entry.amount, entry.balance_after) == (1000, 6500)
    assert (provider.balance(CODE), len(provider.redemptions())) == (6500, 1)
    assert engine.terminal.shift.reconciliation() == []


def test_none_at_the_provider_it_is_canceled_or_with_square_sent_again_with_its_key(
    engine: Engine, provider: Provider
) -> None:
    """api.md's provider cancels what it has none of (it may still be on its way: trial till
    #1/A); Square has no cancel, and it is sent again with its key (README: its limit)."""
    gift = engine.terminal.check(ACTIVE)
    # Each attempt is read and cut off before the provider sees it: the till cannot know.
    provider.proxy.set("reset_before", only=MONEY[provider.api])
    assert engine.terminal.redeem(gift, 1000).not_confirmed
    assert (provider.balance(CODE), len(provider.redemptions())) == (7500, 0)
    provider.proxy.set("pass")
    provider.forget_keys()
    start = len(provider.proxy.requests)
    assert engine.settler.settle_once() == 0
    seen = provider.proxy.requests[start:]
    if provider.cancels_payments:  # canceled by its merchant reference, never paid again
        assert sum(LOOKUP["adyen"] in line for line in seen) == 1
        assert not any(MONEY["adyen"] in line for line in seen)
        (entry,) = engine.journal.entries()
        assert (entry.state, entry.outcome, entry.error) == ("settled", "declined", CANCELED_WORDS)
        assert (provider.balance(CODE), provider.charged()) == (7500, [])
        return
    if provider.api == "posapp":
        asked = [i for i, line in enumerate(seen) if LOOKUP["posapp"] in line]
        canceled = [i for i, line in enumerate(seen) if CANCEL in line]
        assert asked
        assert canceled
        assert asked[0] < canceled[0]
        assert not any(MONEY["posapp"] in line for line in seen)  # never sent again
        (entry,) = engine.journal.entries()
        assert (entry.state, entry.outcome, entry.error) == ("settled", "declined", CANCELED_WORDS)
        assert (provider.balance(CODE), len(provider.redemptions())) == (7500, 0)
        assert engine.terminal.shift.reconciliation() == []
        return
    first_money = next(i for i, line in enumerate(seen) if MONEY[provider.api] in line)
    assert any(LOOKUP[provider.api] in line for line in seen[:first_money])  # asked first
    (entry,) = engine.journal.entries()
    assert (entry.state, entry.outcome) == ("settled", "completed")
    assert entry.intent.client_reference == entry.idempotency_key
    assert (provider.balance(CODE), len(provider.redemptions())) == (6500, 1)
    assert engine.terminal.shift.reconciliation() == []


def another_reference(body: bytes) -> bytes:
    """api.md's lookup answer, its transaction's client_reference changed."""
    found = json.loads(body)
    for movement in found:
        movement["transaction"]["client_reference"] = "someone-else"
    return json.dumps(found).encode()


def cannot_say(api: str) -> dict[str, dict[str, object]]:
    """The proxy's ways to leave the lookup without an answer, as each API would meet them."""
    old_provider = (
        http_answer(
            404,
            "Not Found",
            "application/problem+json",
            b'{"type":"about:blank","title":"Not found","status":404,"code":"not_found",'
            b'"detail":"There is nothing at this address"}',
        )
        if api == "posapp"
        else http_answer(
            404,
            "Not Found",
            "application/json",
            b'{"errors":[{"category":"INVALID_REQUEST_ERROR","code":"NOT_FOUND"}]}',
        )
    )
    ways: dict[str, dict[str, object]] = {
        "a fault (502)": {
            "mode": "substitute",
            "answer": http_answer(502, "Bad Gateway", "text/html", b"<html>502</html>"),
        },
        "a provider without the lookup (404)": {"mode": "substitute", "answer": old_provider},
        "no answer": {"mode": "drop_answer"},
        "an answer it cannot read": {"mode": "rewrite", "rewrite": lambda _body: b"{not json"},
    }
    if api == "posapp":
        ways["an answer naming another reference"] = {
            "mode": "rewrite",
            "rewrite": another_reference,
        }
    return ways


WAYS = [
    "a fault (502)",
    "a provider without the lookup (404)",
    "no answer",
    "an answer it cannot read",
    "an answer naming another reference",
]


@pytest.mark.parametrize("way", WAYS)
def test_when_the_provider_cannot_say_it_stays_unknown_and_nothing_is_sent(
    engine: Engine, provider: Provider, way: str
) -> None:
    ways = cannot_say(provider.api)
    if way not in ways:
        pytest.skip(f"{provider.api}: a lookup of its own has no {way}")
    an_answer_lost_then_keys_forgotten(engine, provider)
    fault = ways[way]
    rewrite = fault.get("rewrite")
    provider.proxy.set(
        str(fault["mode"]),
        answer=bytes(fault.get("answer", b"")),  # type: ignore[arg-type]
        only=LOOKUP[provider.api],
        rewrite=rewrite if callable(rewrite) else None,  # type: ignore[arg-type]
    )
    start = len(provider.proxy.requests)
    assert engine.settler.settle_once() == 1
    assert asked_since(provider, start) >= (1, 0)
    assert asked_since(provider, start)[1] == 0  # never guessed: nothing sent again
    (entry,) = engine.journal.entries()
    assert entry.state == "unknown"
    assert (entry.error is not None and "could not say whether it happened" in entry.error) or (
        entry.error is not None and "does not fit" in entry.error
    )
    # Adyen's cancel went through, its answer did not (the proxy forwards, then fails):
    # not charged already, and still unknown to the till until Adyen answers.
    held = 7500 if provider.cancels_payments else 6500
    assert (provider.balance(CODE), len(provider.redemptions())) == (held, 1)
    provider.proxy.set("pass")  # (Square's lookup is its activity list, as reconciliation's)
    assert "is not confirmed yet" in " ".join(engine.terminal.shift.reconciliation())
    # The provider can say again: found, settled, still once.
    assert engine.settler.settle_once() == 0
    if provider.cancels_payments:  # Adyen takes the cancel now: not charged
        assert engine.journal.entry(entry.id).outcome == "declined"
        assert (provider.balance(CODE), provider.charged()) == (7500, [])
        return
    assert engine.journal.entry(entry.id).outcome == "completed"
    assert (provider.balance(CODE), len(provider.redemptions())) == (6500, 1)


@pytest.mark.parametrize("age_days", [0, 2])
def test_an_entry_from_before_till_references_is_sent_again_only_while_its_key_is_kept(
    engine: Engine, provider: Provider, age_days: int
) -> None:
    """A pending entry journalled without a reference (a till that crashed before its
    upgrade): api.md's provider cannot find it, so its key is all there is. Within a day it
    is sent again with it; older, the provider may have forgotten the key: it stays to
    settle. (Square's activities carried the key as their reference_id then: found or not
    by it; not found, a pending entry is not charged once its call cannot be on its way,
    terminal/settle.py.)"""
    gift = engine.terminal.check(ACTIVE)
    wanted = intents.redeem(gift.id, amount=1000)  # no client_reference: as before issue 18
    engine.journal.intend(wanted, code=CODE, currency="USD", key="from-before")
    later: Callable[[], float] = lambda: time.time() + age_days * 86400  # noqa: E731
    engine.settler.clock = later
    left = engine.settler.settle_once(include_pending=True)
    (entry,) = engine.journal.entries()
    if provider.cancels_payments:
        # Adyen cancels by the merchant reference it was sent with (the key, then): never
        # sent again, whatever its age; not charged.
        assert (left, entry.state, entry.outcome) == (0, "settled", "declined")
        assert (provider.balance(CODE), provider.charged()) == (7500, [])
    elif provider.api == "square":
        # Never sent: not found; not charged once its call cannot be on its way.
        assert (left, entry.state, entry.outcome) == (
            (1, "pending", None) if age_days == 0 else (0, "settled", "declined")
        )
        assert (provider.balance(CODE), len(provider.redemptions())) == (7500, 0)
    elif age_days == 0:
        assert (left, entry.state, entry.outcome) == (0, "settled", "completed")
        assert (provider.balance(CODE), len(provider.redemptions())) == (6500, 1)
    else:
        assert (left, entry.state) == (1, "pending")
        assert "more than a day ago" in (entry.error or "")
        assert (provider.balance(CODE), len(provider.redemptions())) == (7500, 0)


SOLD = "700000000000123"  # a card no provider knows yet


@pytest.mark.parametrize("operation", ["redemption", "activation"])
def test_a_retry_within_the_call_asks_first_when_the_key_was_forgotten_meanwhile(
    engine: Engine, provider: Provider, operation: str
) -> None:
    """The chaos campaign's clock jump (issue 18.11): a movement commits, its answer is
    lost, and before the till's own retry the provider forgets the key (restarted with its
    clock past its retention). Sent again blindly, a redemption ran twice and an activation
    was declined as "code taken" by itself; asked first, it is found: confirmed, once."""
    if provider.api == "adyen":
        pytest.skip(
            "Adyen keeps a key at least 31 days (docs.adyen.com, API idempotency): a retry "
            "within a call finds it; the fake's forget_keys stands for a month gone by"
        )
    money = (
        MONEY[provider.api]
        if operation == "redemption" or provider.api == "square"
        else b"/gift-cards/activations"
    )
    provider.proxy.set("drop_answer", times=1, only=money)  # committed, its answer lost
    engine.client.sleep = lambda _pause: provider.forget_keys()  # then the key is forgotten
    start = len(provider.proxy.requests)
    if operation == "redemption":
        receipt = engine.terminal.redeem(engine.terminal.check(ACTIVE), 1000)
        assert (provider.balance(CODE), len(provider.redemptions())) == (6500, 1)
    else:
        receipt = engine.terminal.sell(f"SVS_GC-{SOLD}", amount=2500)
        assert provider.balance(SOLD) == 2500
    assert not receipt.not_confirmed  # found by its reference: confirmed
    (entry,) = engine.journal.entries()
    assert (entry.state, entry.operation) == ("completed", operation)
    assert receipt.transaction_id == entry.transaction_id
    seen = provider.proxy.requests[start:]
    assert sum(LOOKUP[provider.api] in line for line in seen) >= 1  # asked
    assert sum(money in line for line in seen) == 1  # never sent again
