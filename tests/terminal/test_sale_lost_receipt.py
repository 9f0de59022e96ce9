"""A till stopped after the last card paid a sale in full and before the sale receipt
printed (the sale trial of 6 Dec 2026, finding 1: kill -9 20-40 ms after Enter): at the next
start the till says which sale ended and F9 prints its receipt, the original (none was
printed), then copies; F9 after a restart prints the shift's last receipt from the journal,
not "Nothing to reprint yet" (finding 11). Against the reference provider over loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hardware.printers.transports import FileTransport
from posapp.app import Engine, services_for
from posapp.core.till_request import FinishSale, Request
from tests.terminal.conftest import Provider

ONE, TWO = "SVS_GC-500000000000001", "SVS_GC-500000000000002"  # $75.00, $12.50


def restarted(engine: Engine, printer: Path | None = None) -> Any:
    """What the window is built with at a start: no receipt held in memory."""
    transport = FileTransport(str(printer)) if printer is not None else object()
    return services_for(engine.config, engine, transport=transport)  # type: ignore[arg-type]


def test_a_sale_ended_before_its_receipt_printed_is_said_and_f9_prints_it(
    engine: Engine, provider: Provider
) -> None:
    sales, terminal = engine.terminal.sales, engine.terminal
    sale = sales.open(1000, "4716")
    _, sale = sales.pay(sale.id, terminal.check(TWO), 1000)
    sales.finish(sale.id)  # the till closes the sale, then is killed before it prints

    services = restarted(engine)
    ended = services.calls.current_sale()
    assert ended is not None
    assert (ended.id, ended.state, ended.ticket) == (sale.id, "paid", "4716")
    receipt = services.last.reprint()
    assert (receipt.kind, receipt.duplicate) == ("sale", False)  # the original: none printed
    assert ("Ticket", "4716") in [(line.label, line.value) for line in receipt.lines]
    # Printed now: nothing said at the next start, and F9 prints a copy.
    again = restarted(engine)
    assert again.calls.current_sale() is None
    copy = again.last.reprint()
    assert (copy.kind, copy.duplicate) == ("sale", True)


def test_a_sale_receipt_printed_is_not_said_at_the_next_start(
    engine: Engine, provider: Provider, tmp_path: Path
) -> None:
    sales, terminal = engine.terminal.sales, engine.terminal
    services = restarted(engine, tmp_path / "printer.bin")
    sale = sales.open(1000, None)
    _, sale = sales.pay(sale.id, terminal.check(TWO), 1000)
    # The sale's call as the till runs it: closed, then printed.
    calls = services.calls
    calls.run(Request(FinishSale(sale.id), "Print the sale receipt"), None)
    assert b"PAID WITH GIFT CARDS" in (tmp_path / "printer.bin").read_bytes()
    assert restarted(engine).calls.current_sale() is None


def test_f9_after_a_restart_prints_the_shifts_last_receipt_from_the_journal(
    engine: Engine, provider: Provider
) -> None:
    engine.terminal.redeem(engine.terminal.check(ONE), 500)
    receipt = restarted(engine).last.reprint()
    assert (receipt.kind, receipt.duplicate) == ("redemption", True)
    assert "$5.00" in [line.value for line in receipt.lines]
