"""Every receipt type, made by the real use cases against the real provider and printed as
ESC/POS bytes, read back: no internal name on the paper, the card masked where it must be."""

from __future__ import annotations

import re

from hardware.printers.decode import decode
from posapp.adapters.printer import lay_out
from posapp.app import Engine
from posapp.core.receipt import Receipt
from tests.gui.test_words import RAW, SNAKE


def words(receipt: Receipt, paper: int) -> list[str]:
    return decode(lay_out(receipt, paper_width_mm=paper)).lines


def test_every_receipt_type_in_words(engine: Engine) -> None:
    terminal = engine.terminal
    card = terminal.check("SVS_GC-500000000000001")
    receipts = {
        "redemption": terminal.redeem(card, 2500),
        "items": terminal.redeem(terminal.check("SVS_GC-500000000000008"), quantity=1),
    }
    receipts["reversal"] = terminal.reverse(terminal.shift.shift_entries()[0].id)
    receipts["cash_out"] = terminal.cash_out(terminal.check("SVS_GC-500000000000002"))
    receipts["activation"] = terminal.sell("SVS_GC-700000000000011", amount=4000)
    receipts["issue"] = terminal.refund_to_card(1999)
    for code in ("500000000000001", "500000000000004", "500000000000008"):
        receipts[f"balance {code}"] = terminal.print_balance(terminal.check(f"SVS_GC-{code}"))
    receipts["x_report"] = terminal.shift.x_report()
    receipts["z_report"] = terminal.shift.z_report()
    for name, receipt in receipts.items():
        for paper in (80, 58):
            lines = words(receipt, paper)
            for line in lines:
                assert not SNAKE.search(line), (name, line)
                cells = {cell.strip() for cell in re.split(r"\s{2,}", line)}
                assert not cells & RAW, (name, line)  # a label or a value that is a code name
            assert sum(line.startswith("Cashier") for line in lines) <= 1
            if receipt.serial_number and name != "issue":
                assert receipt.serial_number not in "\n".join(lines), name  # masked
    issue = words(receipts["issue"], 80)
    assert receipts["issue"].new_card_code in issue  # the refund's new card, in full
    reversal = {line.split()[0]: line for line in words(receipts["reversal"], 80) if line.strip()}
    assert reversal["Reverses"].endswith(re.search(r"\d\d:\d\d", reversal["Reverses"]).group())  # type: ignore[union-attr]
    assert receipts["redemption"].transaction_id in reversal["Original"]
    z = "\n".join(words(receipts["z_report"], 80))
    for label in ("Shift opened", "Shift closed", "Net on cards"):
        assert label in z
    assert "Thank you!" not in z
    for new_card, paid in (("activation", "Sold for"), ("issue", "Refunded")):
        said = [line.split("  ")[0] for line in words(receipts[new_card], 80)]
        assert {paid, "Card value"} <= set(said), new_card  # its value, nothing "left"
        assert "Balance left" not in said, new_card
    balance = words(receipts["balance 500000000000001"], 80)
    assert sum("$75.00" in line for line in balance) == 1  # the balance, said once
