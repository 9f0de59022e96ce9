"""The till in front of NewStore (issue 22 points 2 and 4): `[provider] api = "newstore"`
against the fake NewStore over loopback HTTP, behind the fault proxy. It checks balances,
sells and cashes out (only where the business allows it); F2 and F3 are refused in words
naming the NewStore checkout before any call; faults end with the card moved once or not at
all, an unknown outcome settled once, and the fake's ledger agreeing with the journal."""

from __future__ import annotations

import httpx
import pytest

from posapp.app import Engine
from posapp.terminal.service import CashierError
from tests.helpers import free_port
from tests.terminal.conftest import NEWSTORE_STORE, Provider

pytestmark = pytest.mark.parametrize("api", ["newstore"])

ACTIVE, SMALL, BLANK = "500000000000001", "500000000000002", "700000000000011"
MONEY = (b"/gift_card/activate", b"/gift_card/deactivate")


def scan(number: str) -> str:
    return f"SVS_GC-{number}"


def fake_of(provider: Provider) -> list[dict[str, object]]:
    assert provider.newstore is not None
    return provider.newstore.movements


def test_a_balance_is_checked_at_newstore_with_the_tills_store_id(
    engine: Engine, provider: Provider
) -> None:
    assert provider.newstore is not None
    seen: list[object] = []
    provider.newstore.recorder = lambda exchange: seen.append(exchange[1])
    gift = engine.terminal.check(scan(ACTIVE))
    assert (gift.code, gift.balance, gift.eligible_value, gift.currency) == (
        ACTIVE, 7500, 7500, "USD",
    )  # fmt: skip
    assert seen == [{"identifier": {"number": ACTIVE}, "metadata": {"store_id": NEWSTORE_STORE}}]
    with pytest.raises(CashierError, match="not sold yet"):
        engine.terminal.check(scan(BLANK))


def test_a_cash_out_deactivates_the_card_once_on_newstores_ledger(
    engine: Engine, provider: Provider
) -> None:
    receipt = engine.terminal.cash_out(engine.terminal.check(scan(SMALL)))
    assert (receipt.kind, receipt.open_drawer) == ("cash_out", True)
    (moved,) = fake_of(provider)
    assert (moved["type"], moved["number"], moved["amount"]) == ("gift_card_cash_out", SMALL, 1250)
    assert provider.newstore is not None
    assert provider.newstore.card(SMALL) == {"number": SMALL, "balance": 0, "status": "deactivated"}
    (entry,) = engine.journal.entries()
    assert (entry.operation, entry.state, entry.amount) == ("cash_out", "completed", 1250)


def test_no_cash_out_where_the_business_does_not_allow_it_and_no_call(
    engine: Engine, provider: Provider
) -> None:
    gift = engine.terminal.check(scan(SMALL))
    engine.client.cash_out_enabled = False  # type: ignore[union-attr]
    start = len(provider.proxy.requests)
    with pytest.raises(CashierError, match="does not pay gift cards out in cash"):
        engine.terminal.cash_out(gift)
    assert provider.proxy.requests[start:] == []
    assert (fake_of(provider), provider.balance(SMALL)) == ([], 1250)


@pytest.mark.parametrize("use_all", [False, True])  # F2 an amount, F3 the whole balance
def test_f2_and_f3_say_the_card_is_spent_at_the_newstore_checkout_before_any_call(
    engine: Engine, provider: Provider, use_all: bool
) -> None:
    gift = engine.terminal.check(scan(ACTIVE))
    start = len(provider.proxy.requests)
    with pytest.raises(CashierError, match="spent at the NewStore checkout"):
        engine.terminal.redeem(gift, None if use_all else 1000, use_all=use_all)
    assert provider.proxy.requests[start:] == []
    assert provider.balance(ACTIVE) == 7500


def test_a_card_sold_is_activated_at_newstore(engine: Engine, provider: Provider) -> None:
    receipt = engine.terminal.sell(scan(BLANK), amount=2500)
    assert receipt.kind == "activation"
    assert provider.balance(BLANK) == 2500
    (moved,) = fake_of(provider)
    assert (moved["type"], moved["amount"]) == ("activation", 2500)
    assert engine.terminal.check(scan(BLANK)).eligible_value == 2500


def test_an_answer_dropped_once_is_answered_by_the_retry_with_the_same_key(
    engine: Engine, provider: Provider
) -> None:
    gift = engine.terminal.check(scan(SMALL))
    provider.proxy.set("drop_answer", times=1, only=MONEY)
    assert not engine.terminal.cash_out(gift).not_confirmed
    assert len(fake_of(provider)) == 1


def test_reset_before_forwarding_is_retried_and_sells_once(
    engine: Engine, provider: Provider
) -> None:
    provider.proxy.set("reset_before", times=2, only=MONEY)
    assert not engine.terminal.sell(scan(BLANK), amount=2500).not_confirmed
    assert (provider.balance(BLANK), len(fake_of(provider))) == (2500, 1)


def test_newstore_down_before_the_call_moves_nothing(engine: Engine, provider: Provider) -> None:
    gift = engine.terminal.check(scan(SMALL))
    engine.client.http.base_url = httpx.URL(f"http://127.0.0.1:{free_port()}/v0/c")
    with pytest.raises(CashierError, match="cannot be reached"):
        engine.terminal.cash_out(gift)
    (entry,) = engine.journal.entries()
    assert entry.state == "declined"
    assert (provider.balance(SMALL), fake_of(provider)) == (1250, [])


@pytest.mark.parametrize("forget", [False, True])
@pytest.mark.parametrize("operation", ["cash_out", "activation"])
def test_every_answer_lost_stays_unknown_then_settles_once(
    engine: Engine, provider: Provider, operation: str, forget: bool
) -> None:
    terminal = engine.terminal
    gift = terminal.check(scan(SMALL)) if operation == "cash_out" else None
    provider.proxy.set("drop_answer", only=MONEY)
    if gift is not None:
        receipt = terminal.cash_out(gift)
    else:
        receipt = terminal.sell(scan(BLANK), amount=2500)
    assert receipt.not_confirmed
    (entry,) = engine.journal.entries()
    assert entry.state == "unknown"
    assert len(fake_of(provider)) == 1  # NewStore did it; the till never heard
    assert engine.settler.settle_once() == 1  # still no answer: still unknown
    provider.proxy.set("pass")
    if forget:
        provider.forget_keys()  # the card's state answers instead
    assert engine.settler.settle_once() == 0
    settled = engine.journal.entry(entry.id)
    assert (settled.state, settled.outcome) == ("settled", "completed")
    assert len(fake_of(provider)) == 1  # never twice
    card, held = (SMALL, 0) if operation == "cash_out" else (BLANK, 2500)
    assert provider.balance(card) == held


def test_an_unknown_sale_that_never_reached_newstore_is_sent_again_with_its_key(
    engine: Engine, provider: Provider
) -> None:
    provider.proxy.set("reset_before", only=(b"/gift_card/activate",))
    assert engine.terminal.sell(scan(BLANK), amount=2500).not_confirmed
    assert fake_of(provider) == []  # never arrived; the till cannot know that
    provider.proxy.set("pass")
    assert engine.settler.settle_once() == 0  # the card shows no sale: sent again, its key
    (entry,) = engine.journal.entries()
    assert (entry.state, entry.outcome) == ("settled", "completed")
    assert (provider.balance(BLANK), len(fake_of(provider))) == (2500, 1)


def test_a_card_at_nothing_is_nothing_to_spend_not_used_up_on_screen_and_slip(
    engine: Engine, provider: Provider
) -> None:
    """The NewStore trial (finding 2): a deactivated card read "USED UP", "Tell the customer
    nothing is left on the card", and its slip "This card is used up". NewStore's balance
    answer says 0 for a disabled card and an empty one alike: the till says only that."""
    from posapp.core.cardview import card_view
    from posapp.core.receipt_lines import balance_lines
    from posapp.core.unusable import tell_customer

    engine.terminal.cash_out(engine.terminal.check(scan(SMALL)))  # NewStore deactivates it
    assert provider.newstore is not None
    assert provider.newstore.card(SMALL)["status"] == "deactivated"
    gift = engine.terminal.check(scan(SMALL))
    view = card_view(gift)
    assert (view.badge, view.why) == ("Nothing to spend", "Nothing to spend on this card")
    lines, notes = balance_lines(gift, "en_US")
    assert [(line.label, line.value) for line in lines] == [("Nothing to spend", "$0.00 held")]
    assert notes == ("Nothing to spend on this card.",)
    said = " ".join((view.badge, view.why, tell_customer(gift), *notes)).lower()
    assert "used up" not in said
    assert "nothing left" not in said


@pytest.mark.parametrize(
    ("told", "why", "doubt"),
    [
        # NewStore deactivated the card, and its answer does not say what it paid out
        (b'"value":12.5', b'"note":0', "it does not say how much moved"),
        # an answer that names another card
        (SMALL.encode(), b"500000000000001", "it names another card"),
    ],
)
def test_a_deactivate_answer_that_does_not_say_what_it_paid_pays_nothing_out(
    engine: Engine, provider: Provider, told: bytes, why: bytes, doubt: str
) -> None:
    """NewStore committed (the card is deactivated), but its answer does not say the amount or
    names another card: the till does not fill them in from what it showed, so the answer is
    doubted: the cash-out is not confirmed and the cash drawer does not open for it."""
    gift = engine.terminal.check(scan(SMALL))
    provider.proxy.set(
        "rewrite", only=b"/gift_card/deactivate", rewrite=lambda body: body.replace(told, why)
    )
    receipt = engine.terminal.cash_out(gift)
    provider.proxy.set("pass")
    assert (receipt.not_confirmed, receipt.open_drawer) == (True, False)
    (entry,) = engine.journal.entries()
    assert entry.state == "unknown"
    assert doubt in (entry.error or "")
    assert fake_of(provider)[0]["amount"] == 1250  # NewStore's own ledger: it did deactivate
