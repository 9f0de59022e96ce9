"""The slip of a redemption taken offline (issue 24; trial 6B, 1): its receipt number and
barcode like every receipt's (the till finds the redemption by it), and printed again once
the provider answered, what became of it: confirmed, or declined when sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.printers.decode import decode
from posapp.adapters.printer import lay_out
from posapp.app import Engine
from posapp.core.receipt import Receipt
from posapp.terminal.offline import NotChecked
from posapp.terminal.offline_calls import as_made
from tests.terminal.conftest import APIS, Provider
from tests.terminal.test_offline import A, B, scan, till

pytestmark = pytest.mark.parametrize("api", APIS)


@pytest.fixture
def engine(provider: Provider, tmp_path: Path) -> Iterator[Engine]:
    made = till(provider, tmp_path / "journal.db")
    yield made
    made.close()


def printed(receipt: Receipt) -> tuple[list[str], list[str]]:
    paper = decode(lay_out(receipt, paper_width_mm=80))
    return [line.strip() for line in paper.lines], paper.barcodes


def taken_offline(engine: Engine, provider: Provider, code: str, amount: int) -> Receipt:
    engine.terminal.check(scan(code))  # seen online
    provider.proxy.refuse()
    with pytest.raises(NotChecked):
        engine.terminal.check(scan(code))
    last = engine.terminal.offline.last_known(code)
    assert last is not None
    return engine.terminal.offline.redeem(last, amount)


def test_the_offline_slip_has_its_receipt_number_and_barcode_then_says_confirmed(
    engine: Engine, provider: Provider
) -> None:
    slip = taken_offline(engine, provider, A, 2000)
    (entry,) = [e for e in engine.journal.entries() if e.offline]
    number = engine.journal.receipt_number(entry.id)
    lines, barcodes = printed(slip)
    assert barcodes == [number]
    assert f"Receipt {number}" in lines
    assert "OFFLINE: to be confirmed" in lines
    # The number typed or scanned at the till finds it.
    assert engine.journal.entry_for_receipt(None, number) == entry
    again, _ = printed(as_made(engine.terminal, entry))  # F9 while it waits: as printed
    assert "OFFLINE: to be confirmed" in again
    provider.proxy.listen()
    assert engine.settler.settle_once() == 0
    (entry,) = [e for e in engine.journal.entries() if e.offline]
    lines, barcodes = printed(as_made(engine.terminal, entry))  # F9 once confirmed
    assert barcodes == [number]
    assert "OFFLINE: to be confirmed" not in lines
    assert any(
        line.startswith("Taken offline") and "confirmed by the provider" in line for line in lines
    ), lines
    assert any("Balance left" in line and "$55.00" in line for line in lines), lines


def test_an_offline_slip_declined_when_sent_says_so(
    engine: Engine, provider: Provider, tmp_path: Path
) -> None:
    taken_offline(engine, provider, B, 1000)
    other = till(provider, tmp_path / "other.db", url=provider.server.url)
    try:  # another till spends the card meanwhile
        other.terminal.redeem(other.terminal.check(scan(B)), 1000)
    finally:
        other.close()
    provider.proxy.listen()
    assert engine.settler.settle_once() == 0
    (entry,) = [e for e in engine.journal.entries() if e.offline]
    assert entry.lost
    lines, barcodes = printed(as_made(engine.terminal, entry))
    assert barcodes == []  # nothing to reverse: the card paid nothing
    assert "OFFLINE: to be confirmed" not in lines
    assert any("declined by the provider" in line for line in lines), lines
