"""A sale's payments read from its journal entries, its receipts' lines, and its lines in
the reports and the reconciliation (core/sale_entries.py, sale_receipt.py, sale_report.py)."""

from __future__ import annotations

from dataclasses import replace

from msgspec.structs import replace as changed

from posapp.core import intent as intents
from posapp.core.entry import Entry
from posapp.core.sale import Sale, SalePayment
from posapp.core.sale_entries import balance_now, payment_state, with_payments
from posapp.core.sale_receipt import cancel_lines, sale_lines
from posapp.core.sale_report import report_lines, sale_problems

CODE = "500000000000001"


def entry(entry_id: int, state: str = "completed", **more: object) -> Entry:
    made = Entry(
        id=entry_id,
        shift_id=1,
        operation="redemption",
        code=CODE,
        gift_id="g1",
        amount=1000,
        quantity=None,
        currency="USD",
        idempotency_key=f"k{entry_id}",
        state=state,  # type: ignore[arg-type]
        outcome=None,
        transaction_id=f"t{entry_id}",
        balance_after=500,
        error=None,
        intent=intents.redeem("g1", amount=1000),
        created_at=0.0,
        sale_id=7,
    )
    return replace(made, **more)  # type: ignore[arg-type]


def back(entry_id: int, of: int, state: str = "completed", balance: int = 1500) -> Entry:
    return entry(entry_id, state, operation="reversal", reverses_entry=of, balance_after=balance)


def test_a_payment_stands_as_its_entry_and_its_reversal_say() -> None:
    assert payment_state(entry(1, "pending"), []) == "pending"
    assert payment_state(entry(1, "unknown"), []) == "unknown"
    assert payment_state(entry(1, "declined"), []) == "declined"
    assert payment_state(entry(1, "settled", outcome="declined"), []) == "declined"
    assert payment_state(entry(1, "settled", outcome="completed"), []) == "done"
    assert payment_state(entry(1), [back(2, 1, "declined")]) == "done"
    assert payment_state(entry(1), [back(2, 1, "unknown")]) == "reversing"
    assert payment_state(entry(1), [back(2, 1, "declined"), back(3, 1)]) == "reversed"


def test_a_sale_reads_its_payments_from_its_entries() -> None:
    kept = Sale(id=7, due=8320, currency="USD", ticket="T-1")
    entries = [entry(1), entry(2, "declined"), entry(3, "unknown"), back(4, 1)]
    sale = with_payments(kept, entries)
    assert [(p.entry_id, p.state, p.balance_after) for p in sale.payments] == [
        (1, "reversed", 500),
        (2, "declined", None),
        (3, "unknown", None),
    ]
    assert balance_now(entries, sale.payments[0]) == 1500
    assert balance_now(entries, sale.payments[1]) is None


def test_the_receipts_lines_without_a_ticket_and_unmasked_where_the_store_says() -> None:
    sale = Sale(
        id=1,
        due=1000,
        currency="USD",
        ticket=None,
        payments=(SalePayment(1, CODE, 1000, "done", 0),),
        state="paid",
    )
    assert [(x.label, x.value) for x in sale_lines(sale, "en_US", masked=False)] == [
        ("Amount due", "$10.00"),
        ("Card", CODE),
        ("  paid", "$10.00"),
        ("  balance left", "$0.00"),
        ("Paid by gift cards", "$10.00"),
        ("Paid in full", ""),
    ]
    open_one = changed(sale, payments=(SalePayment(1, CODE, 1000, "done", 0),), state="open")
    lines, notes = cancel_lines(open_one, {}, "en_US")
    assert [(x.label, x.value) for x in lines][-3:] == [
        ("  NOT given back", "$10.00"),
        ("Given back to cards", "$0.00"),
        ("Still taken by cards", "$10.00"),
    ]
    assert notes[0].startswith("Not every payment was given back: the sale stays open")


def test_report_lines_count_the_sales_and_say_nothing_without_any() -> None:
    assert report_lines({}) == []
    said = [x.label for x in report_lines({"paid": 2, "cancelled": 1})]
    assert said == [
        "Sales paid in full by cards (2)",
        "Sales finished by other means (0)",
        "Sales cancelled (1)",
        "Sales still open (0)",
    ]


def test_the_reconciliation_names_each_sale_that_does_not_add_up() -> None:
    done = SalePayment(1, CODE, 1000, "done", 0)
    fine = Sale(id=1, due=1000, currency="USD", ticket=None, payments=(done,), state="paid")
    cancelled = changed(fine, id=2, state="cancelled")
    over = changed(fine, id=3, due=500, state="handed_over")
    waiting = changed(
        fine,
        id=4,
        ticket="T-9",
        payments=(SalePayment(2, CODE, 300, "unknown"),),
        state="open",
    )
    assert sale_problems([fine]) == []
    assert sale_problems([cancelled, over, waiting]) == [
        "Sale 2 was cancelled, but $10.00 from ••0001 is not given back: reverse it (F7) or "
        "give it back another way",
        "Sale 3: its cards paid $10.00, more than its $5.00 due",
        "Sale 4: $3.00 from ••0001 is not confirmed yet",
        "Sale 4 ($10.00, ticket T-9) is still open: $0.00 paid by cards. Finish it or cancel it",
    ]


def test_report_lines_give_the_amounts_due_beside_the_counts() -> None:
    """The sale trial, finding 14: counts only, no amounts."""
    from posapp.core.sale_report import dues

    sales = [
        Sale(1, 8320, "USD", "4711", state="paid"),
        Sale(2, 1000, "USD", None, state="paid"),
        Sale(3, 3000, "USD", None, state="cancelled"),
    ]
    said = [(x.label, x.value) for x in report_lines({"paid": 2, "cancelled": 1}, dues(sales))]
    assert said == [
        ("Sales paid in full by cards (2)", "$93.20"),
        ("Sales finished by other means (0)", ""),
        ("Sales cancelled (1)", "$30.00"),
        ("Sales still open (0)", ""),
    ]
