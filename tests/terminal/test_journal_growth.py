"""The journal's costs do not grow with the shift (issue 14, house rule 15): totals kept by
the database agree with core.reports.totals, a receipt barcode and a page of the shift are
read by index, and text that cannot be a transaction id is not looked up."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from posapp.adapters.journal import Journal
from posapp.adapters.journal_migrations import MIGRATIONS
from posapp.core import intent as intents
from posapp.core.reports import totals
from posapp.terminal.shift import SHIFT_PAGE


def intend(journal: Journal, key: str, operation: str = "redeem", amount: int = 100,
           reverses: int | None = None) -> int:  # fmt: skip
    intent = {
        "redeem": lambda: intents.redeem("1", amount=amount),
        "cash_out": lambda: intents.cash_out("1", amount),
        "activate": lambda: intents.activate("500000000000009", amount),
        "reverse": lambda: intents.reverse("7", gift_id="1", amount=amount),
    }[operation]()
    entry = journal.intend(
        intent, code="500000000000001", currency="USD", key=key, reverses_entry=reverses
    )
    return entry.id


def a_busy_shift(journal: Journal) -> None:
    """Every state an entry passes through, and reversals of a cash-out and a redemption."""
    done = intend(journal, "a", amount=250)
    journal.record(done, "completed", transaction_id="1001")
    journal.record(intend(journal, "b", amount=70), "declined", error="insufficient")
    intend(journal, "c", amount=30)  # pending
    later = intend(journal, "d", amount=40)
    journal.record(later, "unknown", error="timeout")
    journal.record(later, "settled", outcome="completed", transaction_id="1004")
    journal.record(intend(journal, "e"), "settled", outcome="declined")
    cash = intend(journal, "f", "cash_out", 900)
    journal.record(cash, "completed", transaction_id="1006")
    back = intend(journal, "g", "reverse", 900, reverses=cash)
    journal.record(back, "completed", transaction_id="1007")
    undone = intend(journal, "h", "reverse", 250, reverses=done)
    journal.record(undone, "completed", transaction_id="1008")
    journal.record(intend(journal, "i", "activate", 5000), "completed", transaction_id="1009")


def test_the_databases_totals_are_core_reports_totals(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    first = journal.current_shift()
    a_busy_shift(journal)
    journal.close_shift(first)
    second = journal.current_shift()
    # A cash-out of the first shift reversed in the second: not cash back in this drawer.
    cash = next(e for e in journal.entries(first) if e.operation == "cash_out")
    journal.record(intend(journal, "j", "reverse", 900, reverses=cash.id), "completed")
    journal.record(intend(journal, "k", amount=5), "completed")
    for shift in (first, second):
        found, currency = journal.shift_totals(shift)
        assert found == totals(journal.entries(shift)), shift
        assert currency == "USD"
    assert journal.shift_totals(first)[0].cash_paid_out == 0  # 900 out, 900 back
    assert journal.shift_totals(journal.current_shift() + 1) == (totals([]), None)


def undo_version_14(db: sqlite3.Connection) -> None:
    """Offline selling (version 14) taken out again."""
    db.execute("DROP INDEX entries_offline")
    db.execute("ALTER TABLE entries DROP COLUMN offline")
    db.execute("DROP TABLE last_known")
    db.execute("DROP TABLE offline_switch")


def undo_version_13(db: sqlite3.Connection) -> None:
    """The sales paid card by card (version 13) taken out again (and version 14 first)."""
    undo_version_14(db)
    db.execute("DROP INDEX entries_by_sale")
    db.execute("ALTER TABLE entries DROP COLUMN sale_id")
    db.execute("DROP TABLE sales")


def undo_versions_6_to_12(db: sqlite3.Connection) -> None:
    """The journal's schema as version 5 left it, for the tests that go back further."""
    undo_version_13(db)
    db.execute("DROP TABLE setting_changes")  # version 12's
    db.execute("DROP TABLE settings_seen")
    db.execute("DROP INDEX entries_voids")  # version 11's
    db.execute("DROP INDEX entries_issued")  # version 10's
    db.execute("DROP TABLE sign_ins")
    db.execute("DROP INDEX entries_manager_changes")  # version 9's
    for column in ("who", "balance_before"):
        db.execute(f"ALTER TABLE entries DROP COLUMN {column}")
    for name in ("TRIGGER shift_item_totals_insert", "TRIGGER shift_item_totals_update",
                 "TABLE shift_item_totals"):  # fmt: skip
        db.execute(f"DROP {name}")  # version 8's
    for column in ("answer", "provider_at"):  # version 7's
        db.execute(f"ALTER TABLE entries DROP COLUMN {column}")
    db.execute("DROP TABLE pin_lock")  # version 6's, and the table it replaced
    db.execute("DROP TABLE wrong_pins")
    pin_attempts = next(s for s in MIGRATIONS[1] if isinstance(s, str) and "pin_attempts" in s)
    db.execute(pin_attempts)


def test_a_version_2_journal_gets_its_totals_added_up(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    a_busy_shift(journal)
    shift = journal.current_shift()
    expected = totals(journal.entries(shift))
    db = journal._connect()  # back to what version 2 had
    undo_versions_6_to_12(db)
    for name in ("TRIGGER shift_totals_insert", "TRIGGER shift_totals_update",
                 "TABLE shift_totals", "INDEX entries_by_transaction",
                 "INDEX entries_by_reversed", "TABLE receipt_numbers"):  # fmt: skip
        db.execute(f"DROP {name}")
    db.execute("ALTER TABLE entries DROP COLUMN item_label")  # version 5's
    db.execute("PRAGMA user_version = 2")
    journal.close()
    again = Journal(tmp_path / "j.db")
    assert again.shift_totals(shift)[0] == expected
    journal.record(intend(again, "z", amount=1), "completed")  # the triggers are back
    assert again.shift_totals(shift)[0] == totals(again.entries(shift))


def test_a_version_3_journal_keeps_finding_the_barcodes_it_printed(tmp_path: Path) -> None:
    """Receipts printed before version 4 carry the provider's id (api.md's are digits): the
    upgraded till still finds them, and numbers the receipts it prints from then on."""
    from posapp.terminal.shift import Shift

    journal = Journal(tmp_path / "j.db")
    a_busy_shift(journal)
    db = journal._connect()  # back to what version 3 had
    undo_versions_6_to_12(db)
    db.execute("DROP TABLE receipt_numbers")
    db.execute("ALTER TABLE entries DROP COLUMN item_label")  # version 5's
    db.execute("PRAGMA user_version = 3")
    journal.close()
    again = Journal(tmp_path / "j.db")
    terminal = Shift.__new__(Shift)  # only its journal is used here
    terminal.journal = again
    assert [e.transaction_id for e in terminal.entry_for_transaction("1004")] == ["1004"]
    found = terminal.entry_for_transaction("1004")[0]
    number = again.receipt_number(found.id)
    assert [e.id for e in terminal.entry_for_transaction(number)] == [found.id]


@contextmanager
def statements(journal: Journal) -> Iterator[list[str]]:
    seen: list[str] = []
    journal._connect().set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        journal._connect().set_trace_callback(None)


def plan(journal: Journal, statement: str) -> str:
    rows = journal._connect().execute("EXPLAIN QUERY PLAN " + statement).fetchall()
    return "\n".join(row[-1] for row in rows)


def test_a_barcode_and_a_page_are_read_by_index(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    shift = journal.current_shift()
    a_busy_shift(journal)
    with statements(journal) as seen:
        found = journal.entry_for_transaction(shift, "1006")
        page = journal.shift_page(shift)
        journal.shift_totals(shift)
        assert found is not None
        numbered = journal.entry_for_receipt(shift, journal.receipt_number(found.id))
    assert found.operation == "cash_out"
    assert numbered == found
    assert [e.id for e in page] == [e.id for e in journal.entries(shift)]
    plans = [plan(journal, s) for s in seen if s.startswith("SELECT")]
    assert "entries_by_transaction" in plans[0], plans[0]
    assert "entries_by_shift" in plans[1], plans[1]
    assert "SEARCH shift_totals USING INDEX" in plans[2], plans[2]
    assert "USING INTEGER PRIMARY KEY" in plans[-1], plans[-1]
    assert not any("SCAN" in p for p in plans), plans
    # The reports' "Taken in for cards sold" reads the shift's voids, not the whole shift.
    (voids,) = [plan(journal, s) for s in seen if "operation = 'void'" in s]
    assert "entries_voids" in voids, voids


def test_the_shift_is_read_a_page_at_a_time_newest_first(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    shift = journal.current_shift()
    ids = [intend(journal, f"p{i}") for i in range(2 * SHIFT_PAGE + 20)]
    newest = journal.shift_page(shift, limit=SHIFT_PAGE)
    assert [e.id for e in newest] == ids[-SHIFT_PAGE:]  # oldest first within the page
    older = journal.shift_page(shift, newest[0].id, SHIFT_PAGE)
    assert [e.id for e in older] == ids[-2 * SHIFT_PAGE : -SHIFT_PAGE]
    oldest = journal.shift_page(shift, older[0].id, SHIFT_PAGE)
    assert [e.id for e in oldest] == ids[:20]


def test_only_text_that_can_be_a_transaction_id_is_looked_up(tmp_path: Path) -> None:
    from posapp.terminal.shift import Shift

    journal = Journal(tmp_path / "j.db")
    a_busy_shift(journal)
    terminal = Shift.__new__(Shift)  # only its journal is used here
    terminal.journal = journal
    journal.current_shift()
    with statements(journal) as seen:
        assert terminal.entry_for_transaction("SVS_GC-500000000000001") == []
        assert terminal.entry_for_transaction("1" * 21) == []
    assert seen == []
    assert [e.transaction_id for e in terminal.entry_for_transaction("1004")] == ["1004"]
    # A reversed cash-out comes with its reversal, so it is not offered again.
    assert [e.transaction_id for e in terminal.entry_for_transaction("1006")] == ["1006", "1007"]


def item_redemption(journal: Journal, key: str, quantity: int, label: str | None) -> int:
    entry = journal.intend(
        intents.redeem("8", quantity=quantity),
        code="500000000000008",
        currency="USD",
        key=key,
        item_label=label,
    )
    return entry.id


def test_item_movements_are_counted_apart_from_the_money(tmp_path: Path) -> None:
    """Issue 19.15: an item redemption was one of "Redemptions (2) $2.50"."""
    journal = Journal(tmp_path / "j.db")
    shift = journal.current_shift()
    a_busy_shift(journal)
    coffee = item_redemption(journal, "x1", 2, "Coffee")
    journal.record(coffee, "completed", transaction_id="2001")
    journal.record(item_redemption(journal, "x2", 1, "Tea"), "completed", transaction_id="2002")
    journal.record(item_redemption(journal, "x3", 1, "Coffee"), "declined", error="used up")
    later = item_redemption(journal, "x4", 1, "Coffee")
    journal.record(later, "unknown", error="timeout")
    journal.record(later, "settled", outcome="completed", transaction_id="2004")
    back = journal.intend(
        intents.reverse("2001", gift_id="8", amount=None, quantity=2),
        code="500000000000008",
        currency="USD",
        key="x5",
        reverses_entry=coffee,
        item_label="Coffee",
    )
    journal.record(back.id, "completed", transaction_id="2005")
    found, _currency = journal.shift_totals(shift)
    assert found == totals(journal.entries(shift))
    assert found.counts["redemption"] == 2  # the money ones only, as before the items
    assert [(i.operation, i.label, i.entries, i.quantity) for i in found.items] == [
        ("redemption", "Coffee", 2, 3),
        ("redemption", "Tea", 1, 1),
        ("reversal", "Coffee", 1, 2),
    ]
    # A version 7 journal (items among the money) gets them added up apart.
    db = journal._connect()
    for name in ("TRIGGER shift_item_totals_insert", "TRIGGER shift_item_totals_update",
                 "TABLE shift_item_totals"):  # fmt: skip
        db.execute(f"DROP {name}")
    db.execute("DROP INDEX entries_manager_changes")  # and version 9's
    for column in ("who", "balance_before"):
        db.execute(f"ALTER TABLE entries DROP COLUMN {column}")
    db.execute("DROP INDEX entries_issued")  # and version 10's
    db.execute("DROP TABLE sign_ins")
    db.execute("DROP INDEX entries_voids")  # and version 11's
    undo_version_13(db)  # and version 13's
    db.execute("DROP TABLE setting_changes")  # and version 12's
    db.execute("DROP TABLE settings_seen")
    db.execute("PRAGMA user_version = 7")
    journal.close()
    again = Journal(tmp_path / "j.db")
    assert again.shift_totals(shift)[0] == found
