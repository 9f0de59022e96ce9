"""An answer is checked before it is believed (issue 18.3), for both APIs: the real provider
commits a $20.00 redemption and the fault proxy rewrites its 2xx answer into each kind of
lie. Each is recorded as unknown with the answer kept, printed NOT CONFIRMED with why in
words (never as fact), listed by reconciliation; then the settler asks the provider by the
till's reference, finds the real movement and settles it: one charge, the amount asked."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from hardware.printers.decode import decode
from posapp.adapters.printer import lay_out
from posapp.app import Engine
from tests.terminal.conftest import APIS, Provider

pytestmark = pytest.mark.parametrize("api", APIS)

Body = dict[str, Any]
MONEY = {
    "posapp": b"/redemptions",
    "square": b"POST /v2/gift-cards/activities",
    "adyen": b"POST /checkout/v71/payments ",
}
LOOKUP = {"posapp": b"GET /v1/transactions/lookup", "square": b"GET /v2/gift-cards/activities"}


def posapp_lie(change: Callable[[Body, Body], None]) -> Callable[[bytes], bytes]:
    def rewrite(raw: bytes) -> bytes:
        answer = json.loads(raw)
        change(answer["transaction"], answer["gift"])
        return json.dumps(answer).encode()

    return rewrite


def square_lie(change: Callable[[Body], None]) -> Callable[[bytes], bytes]:
    def rewrite(raw: bytes) -> bytes:
        answer = json.loads(raw)
        change(answer["gift_card_activity"])
        return json.dumps(answer).encode()

    return rewrite


def adyen_lie(change: Callable[[Body], None]) -> Callable[[bytes], bytes]:
    """Adyen's payment answer (PaymentResponse) rewritten."""

    def rewrite(raw: bytes) -> bytes:
        answer = json.loads(raw)
        change(answer)
        return json.dumps(answer).encode()

    return rewrite


def _set(where: Body, **values: Any) -> None:
    where.update(values)


def _another_card(t: Body, g: Body) -> None:
    t["gift_id"] = g["id"] = str(int(g["id"]) + 1)


def _balance_up(t: Body, g: Body) -> None:
    t["balance_after"] = g["balance"] = g["eligible_value"] = 999_999


def _amount(a: Body, **values: Any) -> None:
    a["redeem_activity_details"]["amount_money"].update(values)


# Adyen's payment answer names no card and no type (a payment is a payment): its lies are
# another till's merchant reference, the amount, the balance Adyen may add
# (additionalData), the currency. None: a lie Adyen's answer has no field for.
ADYEN_LIES: dict[str, tuple[Callable[[bytes], bytes], str] | None] = {
    "another card": (
        adyen_lie(lambda a: _set(a, merchantReference="someone-elses")),
        "it answers another till's request",
    ),
    "a smaller amount": (
        adyen_lie(lambda a: a["amount"].update(value=100)),
        "it says $1.00, not the $20.00 asked",
    ),
    "a negative amount": (adyen_lie(lambda a: a["amount"].update(value=-2000)), "not above zero"),
    "a balance that went up": (
        adyen_lie(lambda a: _set(a, additionalData={"currentBalanceValue": "999999"})),
        "it says the balance went up to $9,999.99 after a redemption",
    ),
    "another type": None,
    "another currency": (
        adyen_lie(lambda a: a["amount"].update(currency="EUR")),
        "it is in EUR, not USD",
    ),
}
# Each lie: how each API's answer is rewritten, and the words the receipt says of it.
LIES: dict[str, tuple[Callable[[bytes], bytes], Callable[[bytes], bytes] | None, str]] = {
    "another card": (
        posapp_lie(_another_card),
        square_lie(lambda a: _set(a, gift_card_id="gftc:someone-else", gift_card_gan="9" * 15)),
        "it names another card",
    ),
    "a smaller amount": (
        posapp_lie(lambda t, _g: _set(t, amount=100)),
        square_lie(lambda a: _amount(a, amount=100)),
        "it says $1.00, not the $20.00 asked",
    ),
    "a negative amount": (
        posapp_lie(lambda t, _g: _set(t, amount=-2000)),
        square_lie(lambda a: _amount(a, amount=-2000)),
        "not above zero",
    ),
    "a balance that went up": (
        posapp_lie(_balance_up),
        square_lie(lambda a: a["gift_card_balance_money"].update(amount=999_999)),
        "it says the balance went up to $9,999.99 after a redemption",
    ),
    "another type": (
        posapp_lie(lambda t, _g: _set(t, type="issue")),
        square_lie(lambda a: _set(a, type="LOAD")),
        "it says it was a ",  # a refund to a card (api.md), a balance adjustment (Square)
    ),
    "another currency": (
        posapp_lie(lambda t, _g: _set(t, currency="EUR")),
        square_lie(lambda a: _amount(a, currency="EUR")),
        "it is in EUR, not USD",
    ),
}


@pytest.mark.parametrize("lie", LIES)
def test_an_answer_that_does_not_add_up_is_not_printed_as_fact(
    engine: Engine, provider: Provider, lie: str
) -> None:
    posapp_rewrite, square_rewrite, says = LIES[lie]
    rewrite = posapp_rewrite if provider.api == "posapp" else square_rewrite
    if provider.api == "adyen":
        adyen = ADYEN_LIES[lie]
        if adyen is None:
            pytest.skip("Adyen's payment answer has no transaction type to lie about")
        rewrite, says = adyen
    assert rewrite is not None
    terminal = engine.terminal
    gift = terminal.check("SVS_GC-500000000000001")
    provider.proxy.set("rewrite", only=MONEY[provider.api], rewrite=rewrite)
    receipt = terminal.redeem(gift, 2000)
    provider.proxy.set("pass")

    assert receipt.not_confirmed
    assert receipt.notes
    assert says in receipt.notes[0], receipt.notes
    paper = "\n".join(decode(lay_out(receipt, paper_width_mm=80)).lines)
    assert "NOT CONFIRMED" in paper
    assert "does not add up" in paper
    assert "Balance left" not in paper
    assert "$9,999.99" not in paper.split("does not")[0]
    assert receipt.transaction_id is None
    assert receipt.barcode is None

    (entry,) = engine.journal.entries()
    assert entry.state == "unknown"
    assert entry.error is not None
    assert says in entry.error
    assert entry.answer is not None
    assert len(entry.answer) > 50
    assert (provider.balance("500000000000001"), len(provider.redemptions())) == (5500, 1)
    if provider.cancels_payments:
        # No list to reconcile with (README "Adyen"), and no look-up by reference: the
        # settler cancels the payment by its merchant reference; the lie stays kept.
        assert engine.settler.settle_once() == 0
        settled = engine.journal.entry(entry.id)
        assert (settled.state, settled.outcome) == ("settled", "declined")
        assert settled.answer == entry.answer
        assert (provider.balance("500000000000001"), provider.charged()) == (7500, [])
        return
    listed = terminal.shift.reconciliation()
    assert any("not confirmed yet" in line and says in line for line in listed), listed
    # The manager reads the answer itself (the lie), its card code masked as everywhere.
    assert any("The provider answered: {" in line for line in listed), listed
    assert not any("500000000000001" in line for line in listed), listed

    # Asked again by the till's reference: the provider's own record adds up.
    assert engine.settler.settle_once() == 0
    settled = engine.journal.entry(entry.id)
    assert (settled.state, settled.outcome) == ("settled", "completed")
    assert (settled.amount, settled.balance_after) == (2000, 5500)
    assert settled.answer == entry.answer  # still kept for the manager
    assert (provider.balance("500000000000001"), len(provider.redemptions())) == (5500, 1)
    (after,) = terminal.shift.reconciliation()
    assert "first answer did not add up" in after
    assert "It had answered: {" in after
    assert "500000000000001" not in after


def test_an_item_answer_with_other_items_is_not_believed(
    engine: Engine, provider: Provider
) -> None:
    if provider.api != "posapp":
        pytest.skip("Square's and Adyen's gift cards hold money only")
    terminal = engine.terminal
    coffee = terminal.check("SVS_GC-500000000000008")
    provider.proxy.set(
        "rewrite", only=b"/redemptions", rewrite=posapp_lie(lambda t, _g: _set(t, quantity=2))
    )
    receipt = terminal.redeem(coffee, quantity=1)
    provider.proxy.set("pass")
    assert receipt.not_confirmed
    assert "it says 2 items, not the 1 asked" in receipt.notes[0]
    (entry,) = engine.journal.entries()
    assert entry.state == "unknown"
    assert engine.settler.settle_once() == 0
    assert (engine.journal.entry(entry.id).quantity, engine.journal.entry(entry.id).outcome) == (
        1,
        "completed",
    )


def test_the_settler_does_not_believe_a_lie_either(engine: Engine, provider: Provider) -> None:
    """An answer lost, then the provider's answers to the settler's lookup lie: still
    unknown, the lie kept; the truth settles it."""
    if provider.cancels_payments:
        pytest.skip(
            "Adyen has no look-up by reference to lie: a payment left unknown is canceled "
            "(tests/terminal/test_adyen_settle.py)"
        )
    terminal = engine.terminal
    gift = terminal.check("SVS_GC-500000000000001")
    # The answer lost, and the till's own ask by reference within the call too.
    provider.proxy.set("drop_answer", only=(MONEY[provider.api], LOOKUP[provider.api]))
    assert terminal.redeem(gift, 2000).not_confirmed
    if provider.api == "posapp":
        only = b"/v1/transactions/lookup"

        def rewrite(raw: bytes) -> bytes:
            found = json.loads(raw)
            found[0]["transaction"]["amount"] = 100
            return json.dumps(found).encode()

    else:
        only = b"GET /v2/gift-cards/activities"

        def rewrite(raw: bytes) -> bytes:
            page = json.loads(raw)
            for activity in page.get("gift_card_activities", []):
                if activity["type"] == "REDEEM":
                    activity["redeem_activity_details"]["amount_money"]["amount"] = 100
            return json.dumps(page).encode()

    provider.proxy.set("rewrite", only=only, rewrite=rewrite)
    assert engine.settler.settle_once() == 1
    (entry,) = engine.journal.entries()
    assert entry.state == "unknown"
    assert "it says $1.00, not the $20.00 asked" in (entry.error or "")
    assert entry.answer
    provider.proxy.set("pass")
    assert engine.settler.settle_once() == 0
    assert engine.journal.entry(entry.id).amount == 2000
    assert (provider.balance("500000000000001"), len(provider.redemptions())) == (5500, 1)


def test_a_reversal_that_says_more_went_back_than_it_reversed_is_not_believed(
    engine: Engine, provider: Provider
) -> None:
    """The chaos campaign's lie (issue 18.11): a reversal's answer whose balance went up by
    more than it put back was printed as fact. The card is read before a reversal now."""
    terminal = engine.terminal
    terminal.redeem(terminal.check("SVS_GC-500000000000001"), 2000)  # 75.00 -> 55.00
    (redeemed,) = engine.journal.entries()
    rewrite = (
        posapp_lie(lambda t, g: (_set(t, balance_after=8500), _set(g, balance=8500)))
        if provider.api == "posapp"
        else square_lie(lambda a: a["gift_card_balance_money"].update(amount=8500))
    )
    only = MONEY[provider.api].replace(b"/redemptions", b"/reversal")
    says = "it says $85.00 is on the card, more than $55.00 plus $20.00"
    if provider.api == "adyen":  # its answer is "received", of a payment: that one it names
        rewrite = adyen_lie(lambda a: _set(a, paymentPspReference="ANOTHERPAYMENT01"))
        only, says = b"/reversals", "it answers the reversal of another payment"
    provider.proxy.set("rewrite", only=only, rewrite=rewrite)
    receipt = terminal.reverse(redeemed.id)
    provider.proxy.set("pass")
    assert receipt.not_confirmed
    assert says in receipt.notes[0], receipt.notes
    paper = "\n".join(decode(lay_out(receipt, paper_width_mm=80)).lines)
    assert "Balance left" not in paper
    reversal = engine.journal.entries()[-1]
    assert (reversal.state, reversal.operation) == ("unknown", "reversal")
    assert provider.balance("500000000000001") == 7500  # it went back, once
    assert engine.settler.settle_once() == 0
    settled = engine.journal.entry(reversal.id)
    assert (settled.state, settled.outcome, settled.balance_after) == ("settled", "completed", 7500)
    assert provider.balance("500000000000001") == 7500


def test_the_settler_checks_what_it_sends_again_against_the_card_read_before(
    engine: Engine, provider: Provider
) -> None:
    """A movement that never reached the provider is sent again by the settler; the answer
    to that says the balance went up: not believed either (it was, before issue 18.11).
    Square only: api.md's provider cancels it, never sends it again (test_cancel.py)."""
    if provider.api != "square":
        pytest.skip(
            "api.md's provider and Adyen: not sent again but canceled "
            "(tests/terminal/test_cancel.py, test_adyen_settle.py)"
        )
    terminal = engine.terminal
    gift = terminal.check("SVS_GC-500000000000001")
    provider.proxy.set("reset_before", only=MONEY[provider.api])  # never reached: unknown
    assert terminal.redeem(gift, 2000).not_confirmed
    assert (provider.balance("500000000000001"), len(provider.redemptions())) == (7500, 0)
    balance_up = (
        posapp_lie(_balance_up)
        if provider.api == "posapp"
        else square_lie(lambda a: a["gift_card_balance_money"].update(amount=999_999))
    )
    provider.proxy.set("rewrite", only=MONEY[provider.api], rewrite=balance_up)
    assert engine.settler.settle_once() == 1
    (entry,) = engine.journal.entries()
    assert entry.state == "unknown"
    assert "it says the balance went up to $9,999.99 after a redemption" in (entry.error or "")
    assert (provider.balance("500000000000001"), len(provider.redemptions())) == (5500, 1)
    provider.proxy.set("pass")
    assert engine.settler.settle_once() == 0  # found by its reference, as the provider has it
    settled = engine.journal.entry(entry.id)
    assert (settled.outcome, settled.amount, settled.balance_after) == ("completed", 2000, 5500)
    assert (provider.balance("500000000000001"), len(provider.redemptions())) == (5500, 1)
