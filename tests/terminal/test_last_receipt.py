"""F9's receipt is held terminal-side (terminal/last_receipt.py): the last one this run
printed, else the one the journal kept unprinted before a restart, marked DUPLICATE; with
neither, the cashier is told there is nothing to reprint."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from posapp.core.receipt import Line, Receipt, ReceiptKind
from posapp.terminal.last_receipt import LastReceipt
from posapp.terminal.ports import CashierError


def receipt(kind: ReceiptKind) -> Receipt:
    return Receipt(
        kind=kind,
        store_name="Shop",
        header=(),
        location="Till 1",
        cashier="",
        when=datetime(2026, 12, 6, tzinfo=UTC),
        lines=(Line("Amount", "$12.50", bold=True),),
        open_drawer=True,
    )


def test_the_last_receipt_of_this_run_comes_before_the_journals_kept_one() -> None:
    kept = receipt("balance")
    last = LastReceipt(lambda: kept)
    assert last.reprint() == kept.reprint()  # after a restart: the kept one
    printed = receipt("redemption")
    last.keep(printed)
    again = last.reprint()
    assert again == printed.reprint()
    assert again.duplicate
    assert not again.open_drawer
    assert last.receipt == printed  # holding it does not mark it


def test_nothing_to_reprint_is_said() -> None:
    with pytest.raises(CashierError, match="Nothing to reprint yet"):
        LastReceipt().reprint()
