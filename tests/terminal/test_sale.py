"""A sale paid card by card (issue 23) through the engine, on each API in APIS with its
provider over loopback HTTP: cards paid one after another (a declined one in the middle, the
same card twice while it has value), finished paid in full or handed over, cancelled with
each payment given back once (checked on the provider's own side); and refused up front on
NewStore, which redeems nothing at the till."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from hardware.printers.transports import FileTransport
from posapp.app import Engine, services_for
from posapp.core import intent
from posapp.core.till_events import CheckUndo
from posapp.core.till_request import Request, Reverse
from posapp.terminal.ports import CashierError
from posapp.terminal.sale import SaleLeftOpen
from tests.terminal.conftest import APIS, Provider

ONE = "SVS_GC-500000000000001"  # $75.00 in each API's demo
TWO = "SVS_GC-500000000000002"  # $12.50
USED_UP = "SVS_GC-500000000000003"  # $0.00

over_apis = pytest.mark.parametrize("api", APIS)


def lines(receipt: object) -> list[tuple[str, str]]:
    return [(line.label, line.value) for line in receipt.lines]  # type: ignore[attr-defined]


@over_apis
def test_three_cards_with_a_declined_one_then_the_rest_by_other_means(
    engine: Engine, provider: Provider
) -> None:
    sales = engine.terminal.sales
    sale = sales.open(8320, " T-0042 ")
    assert (sale.due, sale.ticket, sale.state, sale.currency) == (8320, "T-0042", "open", "USD")
    assert sales.current() == sale

    two = engine.terminal.check(TWO)
    assert sale.offer(two.eligible_value) == 1250
    slip, sale = sales.pay(sale.id, two, 1250)
    assert slip is None  # one sale receipt at the end ([receipt] sale_card_slips = false)
    assert (sale.paid, sale.left) == (1250, 7070)

    # Card one as the cashier scanned it, then another till takes $20.00 off it: the
    # provider declines $70.00 on it, and the sale is where it was.
    one = engine.terminal.check(ONE)
    engine.client.send(intent.redeem(one.id, amount=2000), "another-till")
    with pytest.raises(CashierError):
        sales.pay(sale.id, one, 7000)
    sale = sales.sale(sale.id)
    assert (sale.paid, sale.left, sale.payments[-1].state) == (1250, 7070, "declined")

    one = engine.terminal.check(ONE)  # read again: $55.00
    assert sale.offer(one.eligible_value) == 5500
    _, sale = sales.pay(sale.id, one, 3000)
    _, sale = sales.pay(sale.id, engine.terminal.check(ONE), 2500)  # the same card again
    assert (sale.paid, sale.left) == (6750, 1570)
    with pytest.raises(CashierError, match=r"used up|no value|Nothing to spend"):  # not when empty
        sales.pay(sale.id, engine.terminal.check(ONE), 100)
    assert sale.collect("en_US") == "Collect $15.70 by other means"

    receipt, sale = sales.finish(sale.id)
    assert sale.state == "handed_over"
    assert sales.current() is None
    assert (receipt.kind, receipt.title) == ("sale", "PAID WITH GIFT CARDS")
    assert lines(receipt) == [
        ("Ticket", "T-0042"),
        ("Amount due", "$83.20"),
        ("Card", "***********0002"),
        ("  paid", "$12.50"),
        ("  balance left", "$0.00"),
        ("Card", "***********0001"),
        ("  paid", "$30.00"),
        ("  balance left", "$25.00"),
        ("Card", "***********0001"),
        ("  paid", "$25.00"),
        ("  balance left", "$0.00"),
        ("Paid by gift cards", "$67.50"),
        ("Collect by other means", "$15.70"),
    ]
    # The provider's own side: each card charged what the sale says, once.
    assert (provider.balance(TWO[7:]), provider.balance(ONE[7:])) == (0, 0)
    assert len(provider.charged()) == 4  # the sale's three and the other till's
    with pytest.raises(CashierError, match="finished already"):
        sales.pay(sale.id, engine.terminal.check(TWO), 100)
    # X counts the sale beside the movements, which are counted as ever
    report = lines(engine.terminal.shift.x_report())
    assert ("Redemptions (3)", "$67.50") in report  # the sale's; the other till's is not ours
    assert ("Sales finished by other means (1)", "$83.20") in report  # their due (trial, 14)
    assert ("Sales paid in full by cards (0)", "") in report
    if provider.api != "adyen":  # Adyen keeps no list to reconcile with (README "Adyen")
        (said,) = engine.terminal.shift.reconciliation()  # the sale's movements agree
        assert "(Redemption $20.00," in said  # only the other till's is not this journal's


@over_apis
def test_paid_in_full_and_each_cards_slip_where_the_store_wants_it(
    engine: Engine, provider: Provider
) -> None:
    terminal = engine.terminal
    terminal.settings = replace(terminal.settings, sale_card_slips=True)
    sale = terminal.sales.open(2000, None)
    slip, sale = terminal.sales.pay(sale.id, terminal.check(TWO), 1250)
    assert slip is not None
    assert slip.kind == "redemption"  # the card's own, as today
    with pytest.raises(CashierError, match=r"\$7\.51 is more than is left to pay"):
        terminal.sales.pay(sale.id, terminal.check(ONE), 751)
    _, sale = terminal.sales.pay(sale.id, terminal.check(ONE), sale.offer(7500))
    assert (sale.paid, sale.left) == (2000, 0)
    receipt, sale = terminal.sales.finish(sale.id)
    assert sale.state == "paid"
    assert lines(receipt)[-2:] == [("Paid by gift cards", "$20.00"), ("Paid in full", "")]
    assert provider.balance(ONE[7:]) == 6750


@over_apis
def test_a_cancelled_sale_gives_each_payment_back_once_newest_first(
    engine: Engine, provider: Provider
) -> None:
    terminal = engine.terminal
    sale = terminal.sales.open(8320, "T-7")
    _, sale = terminal.sales.pay(sale.id, terminal.check(ONE), 4000)
    _, sale = terminal.sales.pay(sale.id, terminal.check(TWO), 1250)
    receipt, sale = terminal.sales.cancel(sale.id)
    assert sale.state == "cancelled"
    assert [p.state for p in sale.payments] == ["reversed", "reversed"]
    assert (receipt.kind, receipt.title) == ("sale_cancelled", "SALE CANCELLED")
    assert lines(receipt) == [
        ("Ticket", "T-7"),
        ("Amount due", "$83.20"),
        ("Card", "***********0002"),
        ("  given back", "$12.50"),
        ("  balance now", "$12.50"),
        ("Card", "***********0001"),
        ("  given back", "$40.00"),
        ("  balance now", "$75.00"),
        ("Given back to cards", "$52.50"),
    ]
    # The provider's ledger: both cards hold what they held, and nothing stays charged.
    assert (provider.balance(ONE[7:]), provider.balance(TWO[7:])) == (7500, 1250)
    if provider.api == "adyen":  # its payments canceled or refunded: none holds money
        assert provider.charged() == []
    reversals = [e for e in engine.journal.entries() if e.operation == "reversal"]
    assert [(e.reverses_entry, e.sale_id, e.moved_money) for e in reversals] == [
        (sale.payments[1].entry_id, sale.id, True),
        (sale.payments[0].entry_id, sale.id, True),
    ]
    with pytest.raises(CashierError, match="was cancelled"):
        terminal.sales.cancel(sale.id)  # each given back once


@over_apis
def test_a_reversal_refused_leaves_the_sale_open_and_says_so(
    engine: Engine, provider: Provider
) -> None:
    terminal = engine.terminal
    sale = terminal.sales.open(8320, None)
    _, sale = terminal.sales.pay(sale.id, terminal.check(ONE), 1000)
    _, sale = terminal.sales.pay(sale.id, terminal.check(TWO), 500)
    provider.proxy.set("reset_before")  # the provider cannot be reached: nothing is sent
    with pytest.raises(SaleLeftOpen, match="The sale stays open") as left:
        terminal.sales.cancel(sale.id)
    provider.proxy.set("pass")
    assert left.value.sale.state == "open"
    assert "NOT given back" in [label.strip() for label, _ in lines(left.value.receipt)]
    assert terminal.sales.current() == left.value.sale
    if provider.api != "adyen":
        (said,) = terminal.shift.reconciliation()
        assert said == (
            f"Sale {sale.id} ($83.20) is still open: $15.00 paid by cards. Finish it or cancel it"
        )
    # once the provider answers again, cancelling again gives back what is left
    _, sale = terminal.sales.cancel(sale.id)
    assert sale.state == "cancelled"
    assert (provider.balance(ONE[7:]), provider.balance(TWO[7:])) == (7500, 1250)


@over_apis
def test_what_a_sale_refuses_in_words_before_any_call(engine: Engine, provider: Provider) -> None:
    sales = engine.terminal.sales
    with pytest.raises(CashierError, match="above zero"):
        sales.open(0, None)
    with pytest.raises(CashierError, match="ticket number is at most 32"):
        sales.open(100, "x" * 33)
    sale = sales.open(1000, None)
    with pytest.raises(CashierError, match=r"A sale of \$10\.00 is open"):
        sales.open(500, None)
    one = engine.terminal.check(ONE)
    with pytest.raises(CashierError, match="item gift card pays for its items"):
        sales.pay(sale.id, replace(one, kind="item", item_label="Coffee"), 100)
    with pytest.raises(CashierError, match=r"used up|Nothing to spend|no value"):
        sales.pay(sale.id, engine.terminal.check(USED_UP), 100)
    with pytest.raises(CashierError, match="No card has paid"):
        sales.finish(sale.id)
    receipt, sale = sales.cancel(sale.id)  # nothing to give back: cancelled at once
    assert sale.state == "cancelled"
    assert receipt.notes == ("No card had paid: nothing to give back.",)
    assert engine.journal.entries() == []  # nothing was sent
    assert provider.balance(ONE[7:]) == 7500


@pytest.mark.parametrize("api", ["newstore"])
def test_newstore_refuses_a_sale_up_front(engine: Engine, provider: Provider) -> None:
    with pytest.raises(CashierError, match="NewStore gift cards are spent at the NewStore"):
        engine.terminal.sales.open(8320, None)
    assert engine.journal.open_sales() == []


def test_the_sale_is_in_its_payments_reference_and_its_receipt_has_a_number(
    engine: Engine, provider: Provider
) -> None:
    """The sale trial, finding 2: the provider's ledger ties each payment to the sale (its
    ticket, else its number), and the sale receipt carries a receipt number and barcode
    the till reads back, as a single card's does (its last card's payment's)."""
    terminal = engine.terminal
    sales = terminal.sales
    sale = sales.open(2000, "4711")
    _, sale = sales.pay(sale.id, terminal.check(TWO), 1250)
    _, sale = sales.pay(sale.id, terminal.check(ONE), 750)
    receipt, sale = sales.finish(sale.id)
    last = sale.payments[-1].entry_id
    assert receipt.receipt_number == terminal.journal.receipt_number(last)
    assert receipt.barcode == receipt.receipt_number
    found = terminal.journal.entry_for_receipt(None, receipt.receipt_number or "")
    assert found is not None
    assert found.sale_id == sale.id
    untitled = sales.open(500, None)
    sales.pay(untitled.id, terminal.check(ONE), 500)
    redeemed = [t for t in engine.client.transactions() if t.type == "redemption"]
    assert [t.reference for t in redeemed] == ["4711", "4711", f"Sale {untitled.id}"]


def test_a_finished_sales_payment_reversed_alone_names_the_sale(
    engine: Engine, provider: Provider, tmp_path: Path
) -> None:
    """The sale trial, finding 3: F7 on one card's payment of a sale paid in full says on
    its confirm which sale it paid and that its receipt will no longer match; the
    reversal's receipt names the sale."""
    terminal = engine.terminal
    sales = terminal.sales
    sale = sales.open(2000, "4711")
    _, sale = sales.pay(sale.id, terminal.check(TWO), 1250)
    _, sale = sales.pay(sale.id, terminal.check(ONE), 750)
    sales.finish(sale.id)
    calls = services_for(
        engine.config, engine, transport=FileTransport(str(tmp_path / "printer.bin"))
    ).calls
    first = sale.payments[0].entry_id
    checked = calls.check_undo(CheckUndo(7, first))
    assert checked.sale == (
        "This card paid part of sale 4711 (paid in full); its receipt will no longer match"
    )
    ran = calls.run(Request(Reverse(first, TWO[7:]), "Reverse the redemption"))
    assert ran.receipt is not None
    assert ran.receipt.kind == "reversal"
    assert lines(ran.receipt)[0] == ("Of sale", "4711")
    assert provider.balance(TWO[7:]) == 1250
    alone = terminal.redeem(terminal.check(ONE), 100)  # not in a sale: nothing said
    assert alone.receipt_number is not None
    entry = terminal.journal.entry_for_receipt(None, alone.receipt_number)
    assert entry is not None
    assert calls.check_undo(CheckUndo(8, entry.id)).sale is None


def test_each_sale_call_leaves_a_line_in_the_log_with_the_card_masked(
    engine: Engine, provider: Provider, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The sale trial, finding 9: the till's log had no line for a sale's payment, finish or
    cancel."""
    from posapp.core.till_request import CancelSale, FinishSale, OpenSale, PaySale

    calls = services_for(
        engine.config, engine, transport=FileTransport(str(tmp_path / "printer.bin"))
    ).calls
    caplog.set_level("INFO", logger="posapp.terminal.till_calls")
    opened = calls.run(Request(OpenSale(2000, "4711"), "Start a sale of $20.00")).result.sale
    assert opened is not None
    two = engine.terminal.check(TWO)
    calls.run(Request(PaySale(opened.id, two, 1250), "Pay $12.50 from ••0002"))
    calls.run(Request(FinishSale(opened.id), "Finish the sale"))
    other = calls.run(Request(OpenSale(500, None), "Start a sale of $5.00")).result.sale
    assert other is not None
    calls.run(Request(CancelSale(other.id), "Cancel the sale"))
    said = [r.getMessage() for r in caplog.records if r.name == "posapp.terminal.till_calls"]
    assert (
        said[0]
        == f"sale {opened.id} (4711), Start a sale of $20.00: Sale of $20.00 started (ticket 4711)"
    )
    assert said[1].startswith(f"sale {opened.id} (4711), Pay $12.50 from ••0002: Paid $12.50")
    assert said[2].startswith(f"sale {opened.id} (4711), Finish the sale: Sale finished")
    assert said[4].startswith(f"sale {other.id} (no ticket), Cancel the sale: Sale cancelled")
    assert TWO[7:] not in "\n".join(said)


def test_a_sale_cancelled_with_nothing_paid_prints_no_receipt(
    engine: Engine, provider: Provider, tmp_path: Path
) -> None:
    """The sale trial, finding 12: an empty SALE CANCELLED receipt printed for nothing."""
    from posapp.core.till_request import CancelSale, OpenSale

    printer = tmp_path / "printer.bin"
    calls = services_for(engine.config, engine, transport=FileTransport(str(printer))).calls
    sale = calls.run(Request(OpenSale(500, "4720"), "Start")).result.sale
    assert sale is not None
    ran = calls.run(Request(CancelSale(sale.id), "Cancel the sale"))
    assert ran.result.words == "Sale cancelled: no card had paid, nothing to print."
    assert ran.job is None
    assert not printer.exists()
    assert engine.terminal.sales.sale(sale.id).state == "cancelled"
    assert calls.current_sale() is None  # not said as a receipt lost at the next start
