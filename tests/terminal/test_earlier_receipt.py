"""Issue 19.13: a receipt kept from an earlier shift, scanned back, says what it is and when,
and is offered for reversal under the manager's PIN while the provider still allows it (it
read "Gift card not found")."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from posapp.app import Engine
from posapp.core.glossary import day
from posapp.terminal.ports import CashierError
from posapp.terminal.receipt_lookup import scanned_earlier, transaction_for_barcode
from tests.terminal.conftest import APIS, Provider

both = pytest.mark.parametrize("api", APIS)
ACTIVE = "SVS_GC-500000000000001"  # $75.00


def look(engine: Engine, number: str) -> object:
    terminal = engine.terminal
    return transaction_for_barcode(number, terminal.shift.entry_for_transaction) or scanned_earlier(
        terminal.journal, terminal.provider, number, locale="en_US"
    )


@both
def test_an_earlier_shifts_redemption_is_offered_and_reversed(
    engine: Engine, provider: Provider
) -> None:
    terminal = engine.terminal
    receipt = terminal.redeem(terminal.check(ACTIVE), 1000)
    number = receipt.receipt_number
    assert number is not None
    terminal.shift.z_report()  # the shift closes: the receipt is an earlier shift's now
    found = look(engine, number)
    assert found is not None
    today = day(datetime.now())
    assert found.earlier == today  # type: ignore[attr-defined]
    back = terminal.reverse(found.entry_id)  # type: ignore[attr-defined]
    assert back.kind == "reversal"
    assert provider.balance("500000000000001") == 7500
    reversal = terminal.shift.shift_entries()[-1]
    assert reversal.shift_id != engine.journal.entry(reversal.reverses_entry or 0).shift_id
    # Its receipt says the day too, as the screen did (the Adyen trial, 5a #12).
    made = datetime.fromtimestamp(engine.journal.entry(reversal.reverses_entry or 0).created_at)
    said = {line.label: line.value for line in back.lines}
    assert said["Reverses"] == f"Redemption of {today} {made:%H:%M}"
    with pytest.raises(CashierError, match="that was reversed already"):
        look(engine, number)


@both
def test_an_earlier_shifts_card_sale_says_what_and_when_and_why_not(engine: Engine) -> None:
    terminal = engine.terminal
    sold = terminal.sell("SVS_GC-700000000000011", amount=2500)
    terminal.shift.z_report()
    assert sold.receipt_number is not None
    with pytest.raises(CashierError) as said:
        look(engine, sold.receipt_number)
    words = str(said.value)
    assert words.startswith(
        f"This is the receipt of a card sale of $25.00 on ••0011, made {day(datetime.now())} at "
    )
    assert "a card is voided only in the shift that sold it" in words
    assert "Gift card not found" not in words


def test_an_earlier_redemption_reversed_at_the_provider_is_said_before_the_pin(
    engine: Engine, provider: Provider
) -> None:
    terminal = engine.terminal
    receipt = terminal.redeem(terminal.check(ACTIVE), 1000)
    terminal.shift.z_report()
    # Reversed by someone else (the back office, another till) straight at the provider.
    answer = httpx.post(
        f"{provider.server.url}/v1/transactions/{receipt.transaction_id}/reversal",
        headers={"Authorization": f"Bearer {provider.token}", "Idempotency-Key": "office-1"},
    )
    assert answer.status_code == 201
    assert receipt.receipt_number is not None
    with pytest.raises(CashierError, match="the provider says it was reversed already"):
        look(engine, receipt.receipt_number)


def test_an_earlier_redemption_on_a_canceled_card_is_said_before_the_pin(
    engine: Engine, provider: Provider
) -> None:
    terminal = engine.terminal
    gift = terminal.check(ACTIVE)
    receipt = terminal.redeem(gift, 1000)
    terminal.shift.z_report()
    gone = httpx.delete(
        f"{provider.server.url}/v1/gift-cards/{gift.id}",
        headers={"Authorization": f"Bearer {provider.made['admin_token']}"},
    )
    assert gone.status_code == 204
    assert receipt.receipt_number is not None
    with pytest.raises(CashierError, match="its card was canceled since"):
        look(engine, receipt.receipt_number)


def test_another_tills_number_is_still_no_receipt(engine: Engine) -> None:
    terminal = engine.terminal
    receipt = terminal.redeem(terminal.check(ACTIVE), 1000)
    terminal.shift.z_report()
    mine = receipt.receipt_number
    assert mine is not None
    theirs = f"{int(mine[:6]) % 899_999 + 100_000}{mine[6:]}"
    assert look(engine, theirs) is None  # checked as a card then, as before
