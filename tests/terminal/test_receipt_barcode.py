"""A receipt's barcode, printed and scanned back, finds its transaction to reverse, whichever
API made it: the barcode carries the journal's receipt number, not the provider's id
(Square's activity ids are 38 letters, too wide for the paper)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyzbar.pyzbar import decode as zbar

from hardware.printers.decode import decode
from hardware.printers.render import render
from posapp.adapters.journal import Journal
from posapp.adapters.printer import lay_out
from posapp.app import Engine
from posapp.core import intent as intents
from posapp.terminal.ports import CashierError
from posapp.terminal.receipt_lookup import transaction_for_barcode
from tests.terminal.conftest import APIS, Provider

both = pytest.mark.parametrize("api", APIS)

ACTIVE = "SVS_GC-500000000000001"  # $75.00 in both demo worlds


@both
@pytest.mark.parametrize("paper", [58, 80])
def test_a_redemptions_barcode_scanned_back_reverses_that_redemption(
    engine: Engine, provider: Provider, paper: int
) -> None:
    terminal = engine.terminal
    first = terminal.redeem(terminal.check(ACTIVE), 1000)
    second = terminal.redeem(terminal.check(ACTIVE), 700)
    assert first.transaction_id
    assert second.transaction_id
    assert provider.balance("500000000000001") == 5800

    stream = lay_out(first, paper_width_mm=paper)
    (printed,) = decode(stream).barcodes
    # The picture a thermal printer makes of it reads back (zbar) to the same digits.
    seen = {symbol.data.decode() for symbol in zbar(render(stream, paper).convert("L"))}
    assert seen == {printed}
    assert printed.isdigit()
    assert len(printed) <= 20
    # The provider's id is on the paper whole, for its support, even where it is long.
    assert first.transaction_id in "".join(decode(stream).lines).replace(" ", "")
    # The barcode's own number is printed under it, named: two numbers, each explained
    # (the trial: "Transaction 1184..." above a barcode that read another number).
    assert f"Receipt {printed}" in [line.strip() for line in decode(stream).lines]

    found = transaction_for_barcode(printed, terminal.shift.entry_for_transaction)
    assert found is not None
    original = terminal.journal.entry(found.entry_id)
    assert original.transaction_id == first.transaction_id
    assert found.amount == 1000

    terminal.reverse(found.entry_id)
    reversal = terminal.shift.shift_entries()[-1]
    assert reversal.operation == "reversal"
    assert reversal.moved_money
    assert reversal.intent == intents.reverse(
        first.transaction_id, gift_id=original.gift_id, amount=1000, quantity=None
    ).referenced(reversal.idempotency_key)
    assert provider.balance("500000000000001") == 6800  # the 10.00, not the 7.00
    if provider.fake is not None:
        refund = provider.fake.activities[-1]
        assert refund["type"] == "REFUND"
        details = refund["refund_activity_details"]
        assert details["amount_money"]["amount"] == 1000
        assert details["redeem_activity_id"] == first.transaction_id
    # Scanned again, it is not offered twice; the other redemption's barcode still is.
    with pytest.raises(CashierError, match="reversed already"):
        transaction_for_barcode(printed, terminal.shift.entry_for_transaction)
    (other,) = decode(lay_out(second, paper_width_mm=paper)).barcodes
    still = transaction_for_barcode(other, terminal.shift.entry_for_transaction)
    assert still is not None
    assert still.amount == 700


@both
def test_another_tills_receipt_is_not_found_here(engine: Engine) -> None:
    terminal = engine.terminal
    receipt = terminal.redeem(terminal.check(ACTIVE), 1000)
    mine = receipt.receipt_number
    assert mine is not None
    assert mine.isdigit()
    assert mine[0] != "0"
    # Another till's receipt of its entry with the same id: only the prefix differs.
    theirs = f"{int(mine[:6]) % 899_999 + 100_000}{mine[6:]}"
    assert theirs != mine
    assert terminal.shift.entry_for_transaction(theirs) == []
    found = terminal.shift.entry_for_transaction(mine)
    assert [e.transaction_id for e in found] == [receipt.transaction_id]


def test_each_journal_draws_its_own_prefix_once(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    number = journal.receipt_number(7)
    journal.close()
    again = Journal(tmp_path / "j.db")
    assert again.receipt_number(7) == number  # kept, not drawn at each start
    assert again.receipt_number(1_234_567) == number[:6] + "01234567"  # even length
    again.close()
    others = set()
    for n in range(5):
        other = Journal(tmp_path / f"other{n}.db")
        others.add(other.receipt_number(7)[:6])
        other.close()
    assert len(others | {number[:6]}) > 1  # drawn, not one constant (1 in 10^29 otherwise)
