"""A cash-out a law requires (issue 25.3), against the real reference provider over HTTP:
made where the store forbids cash-outs (the law wins, api.md "Cash-out" `required_by`), the
statute kept on the provider's ledger and journalled, the receipt and its reprint saying
why. Without the law the store's switch still refuses."""

from __future__ import annotations

import httpx
import pytest

from posapp.app import Engine
from posapp.terminal.service import CashierError
from tests.terminal.conftest import Provider

CA = "California Civil Code 1749.5"
SMALL = "SVS_GC-500000000000002"  # $12.50 in the demo store


def forbid_cash_outs(provider: Provider) -> None:
    headers = {"Authorization": f"Bearer {provider.made['admin_token']}"}
    answer = httpx.patch(
        f"{provider.server.url}/v1/gift-card-config",
        json={"store_configurations": {"cash_out_enabled": False, "cash_out_max": 500}},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text


def test_the_law_wins_over_the_store_switch_and_the_receipt_says_why(
    engine: Engine, provider: Provider
) -> None:
    forbid_cash_outs(provider)
    terminal = engine.terminal
    gift = terminal.check(SMALL)
    with pytest.raises(CashierError, match="does not pay gift cards out in cash"):
        terminal.cash_out(gift)  # no law named: the store's choice stands
    receipt = terminal.cash_out(gift, law=CA)
    why = f"Cash-out required by {CA}"
    assert (receipt.kind, receipt.open_drawer) == ("cash_out", True)
    assert (receipt.lines[0].label, receipt.lines[0].value) == ("Cash paid out", "$12.50")
    assert why in receipt.notes
    assert provider.balance("500000000000002") == 0
    entry = terminal.shift.shift_entries()[0]
    assert (entry.operation, entry.intent.reason) == ("cash_out", CA)
    assert why in terminal.entry_receipt(entry).notes  # the reprint says it too
    moved = engine.client.transactions(gift_id=entry.gift_id)
    assert [(t.type, t.amount, t.reference) for t in moved] == [("gift_card_cash_out", 1250, why)]


def test_a_cash_out_no_law_requires_has_no_reason_on_its_receipt(engine: Engine) -> None:
    receipt = engine.terminal.cash_out(engine.terminal.check(SMALL))
    assert not [note for note in receipt.notes if "required by" in note]
