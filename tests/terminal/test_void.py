"""Issue 19.3: a card sold or issued as a refund, not spent, voided in the same shift through
the journal (intent, key, settle), against both APIs the terminal speaks; checked on the
provider's side."""

from __future__ import annotations

import pytest

from posapp.app import Engine
from posapp.terminal.reversal import reversible
from posapp.terminal.service import CashierError
from tests.terminal.conftest import APIS, Provider

both = pytest.mark.parametrize("api", APIS)
BLANK = "SVS_GC-700000000000011"


def lines(receipt: object) -> list[tuple[str, str]]:
    return [(line.label, line.value) for line in receipt.lines]  # type: ignore[attr-defined]


def held(engine: Engine, code: str, provider: Provider | None = None) -> int | None:
    """What the provider says the card holds (canceled cards too: validate finds them). Adyen
    refuses to read a card a void made inactive and does not say its balance (the till reads
    it "not known"): there, the fake's own ledger says it."""
    if provider is not None and provider.adyen is not None:
        return provider.balance(code)
    return engine.client.validate(code=code).balance


def provider_types(provider: Provider, gift_id: str) -> list[str]:
    """What the provider's ledger holds on the card, in its own words."""
    if provider.fake is not None:
        return [a["type"] for a in provider.fake.activities if a["gift_card_id"] == gift_id]
    if provider.adyen is not None:  # Stored Value's movements; a void marks what it undid
        moves = provider.adyen.movements.values()
        return [f"{m.kind}{' (voided)' if m.voided else ''}" for m in moves if m.number == gift_id]
    assert provider.store is not None
    import httpx

    headers = {"Authorization": f"Bearer {provider.token}"}
    found = httpx.get(
        f"{provider.server.url}/v1/transactions", params={"gift_id": gift_id}, headers=headers
    ).json()
    return [t["type"] for t in found]


@both
def test_a_card_sold_by_mistake_is_voided_and_its_value_taken_off(
    engine: Engine, provider: Provider
) -> None:
    terminal = engine.terminal
    terminal.sell(BLANK, amount=2500)
    sale = terminal.shift.shift_entries()[0]
    (offered,) = reversible(terminal.shift.shift_entries())  # F7 lists the sale
    assert (offered.entry_id, offered.operation) == (sale.id, "activation")
    receipt = terminal.reverse(sale.id)
    assert receipt.kind == "void"
    said = lines(receipt)
    assert said[0][0] == "Voids"
    assert said[0][1].startswith("Card sold of ")
    assert ("Voided", "$25.00") in said
    assert ("Balance left", "$0.00") in said
    void = terminal.shift.shift_entries()[1]
    assert (void.operation, void.reverses_entry, void.state) == ("void", sale.id, "completed")
    assert void.intent.transaction_id == sale.transaction_id  # journalled with its key first
    assert held(engine, "700000000000011", provider) == 0
    if provider.adyen is not None:  # voidTransaction: the card back to not sold
        assert provider_types(provider, sale.gift_id or "") == ["activate (voided)"]
        assert terminal.check(BLANK).not_redeemable_reason == "not_activated"
    elif provider.fake is None:
        assert provider_types(provider, sale.gift_id or "") == ["activation", "reversal"]
        assert terminal.check(BLANK).status == "canceled"
    else:  # Square: the activation's amount taken off (PURCHASE_WAS_REFUNDED)
        assert provider_types(provider, sale.gift_id or "") == ["ACTIVATE", "ADJUST_DECREMENT"]
    # What the settler asks when a void's answer is lost: the provider finds it (Square:
    # by what it is, its ADJUST_DECREMENT carrying no reference).
    found = engine.client.look_up(void.intent, void.idempotency_key)
    assert found is not None
    assert (found.transaction.type, found.transaction.amount) == ("reversal", 2500)
    assert reversible(terminal.shift.shift_entries()) == []  # voided once
    with pytest.raises(CashierError, match="already voided"):
        terminal.reverse(sale.id)
    if provider.adyen is None:  # Adyen: no list to reconcile with (README "Adyen")
        assert terminal.shift.reconciliation() == []
    x = dict(lines(terminal.shift.x_report()))
    assert (x["Cards sold (1)"], x["Cards voided (1)"], x["Net on cards"]) == (
        "$25.00",
        "$25.00",
        "$0.00",
    )


@both
def test_a_refund_card_issued_by_mistake_is_voided(engine: Engine, provider: Provider) -> None:
    terminal = engine.terminal
    terminal.refund_to_card(1999)
    issue = terminal.shift.shift_entries()[0]
    receipt = terminal.reverse(issue.id)
    assert ("Voided", "$19.99") in lines(receipt)
    assert held(engine, issue.code, provider) == 0


@both
def test_a_card_spent_since_it_was_sold_is_not_voided(engine: Engine, provider: Provider) -> None:
    terminal = engine.terminal
    terminal.sell(BLANK, amount=2500)
    sale = terminal.shift.shift_entries()[0]
    terminal.redeem(terminal.check(BLANK), 500)
    with pytest.raises(
        CashierError, match=r"used after it was sold \(it holds \$20.00 of \$25.00\)"
    ):
        terminal.reverse(sale.id)
    assert held(engine, "700000000000011") == 2000  # nothing taken
    refused = terminal.shift.shift_entries()[-1]
    assert (refused.operation, refused.state) == ("void", "declined")


def test_a_sale_of_an_earlier_shift_is_not_voided(engine: Engine, provider: Provider) -> None:
    terminal = engine.terminal
    terminal.sell(BLANK, amount=2500)
    sale = terminal.shift.shift_entries()[0]
    terminal.shift.z_report()
    with pytest.raises(CashierError, match="voided only in the shift that sold it"):
        terminal.reverse(sale.id)
    assert [e.operation for e in engine.journal.entries()] == ["activation"]  # nothing sent
    assert held(engine, "700000000000011") == 2500


def test_a_void_whose_answer_is_lost_settles_once(engine: Engine, provider: Provider) -> None:
    terminal = engine.terminal
    terminal.sell(BLANK, amount=2500)
    sale = terminal.shift.shift_entries()[0]
    provider.proxy.set("drop_answer")
    receipt = terminal.reverse(sale.id)
    assert receipt.not_confirmed
    void = terminal.shift.shift_entries()[1]
    assert (void.operation, void.state) == ("void", "unknown")
    assert reversible(terminal.shift.shift_entries()) == []  # not offered again while unknown
    provider.proxy.set("pass")
    assert engine.settler.settle_once() == 0
    settled = engine.journal.entry(void.id)
    assert (settled.state, settled.outcome) == ("settled", "completed")
    assert provider_types(provider, sale.gift_id or "") == ["activation", "reversal"]
    assert held(engine, "700000000000011") == 0
    assert terminal.shift.reconciliation() == []
