"""The journal's sales (version 13, issue 23): a sale and the sale of each of its entries,
kept across a restart, and today's journals (version 12) brought up to it."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from posapp.adapters.journal import Journal
from posapp.adapters.journal_migrations import MIGRATIONS, VERSION
from posapp.core import intent as intents
from posapp.core.sale import Sale

CODE = "500000000000001"


def write_v12_journal(path: Path) -> None:
    """A journal as version 12 of posapp left it (its migrations, append-only), holding a
    shift and a redemption completed in it."""
    db = sqlite3.connect(path, isolation_level=None)
    db.row_factory = sqlite3.Row
    for version in range(1, 13):
        for step in MIGRATIONS[version]:
            if isinstance(step, str):
                db.execute(step)
            else:
                step(db)
        db.execute(f"PRAGMA user_version = {version}")
    now = time.time()
    db.execute("INSERT INTO shifts (opened_at) VALUES (?)", (now,))
    wanted = intents.redeem("g1", amount=500)
    db.execute(
        "INSERT INTO entries (shift_id, operation, code, gift_id, amount, currency, "
        "idempotency_key, state, transaction_id, balance_after, intent, created_at, updated_at) "
        "VALUES (1, 'redemption', ?, 'g1', 500, 'USD', 'v12-1', 'completed', 't1', 1500, ?, ?, ?)",
        (CODE, json.dumps(wanted.to_json()), now, now),
    )
    db.close()


def test_a_version_12_journal_gets_sales_and_keeps_its_entries(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    write_v12_journal(path)
    journal = Journal(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION >= 13
    db.close()
    old = journal.entries()
    assert [(e.operation, e.amount, e.state, e.sale_id) for e in old] == [
        ("redemption", 500, "completed", None)
    ]
    totals, _ = journal.shift_totals(1)
    assert totals.counts["redemption"] == 1  # the totals' triggers still count
    assert journal.open_sales() == []
    sale = journal.open_sale(8320, "USD", "T-0042")
    assert journal.open_sales() == [sale]
    assert journal.shift_sales(journal.current_shift()) == {"open": 1}


def test_a_sale_and_its_entries_are_kept_across_a_restart(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    sale = journal.open_sale(8320, "USD", None)
    assert sale == Sale(id=sale.id, due=8320, currency="USD", ticket=None)
    paid = journal.intend(
        intents.redeem("g1", amount=2500), code=CODE, currency="USD", key="k1", sale_id=sale.id
    )
    alone = journal.intend(intents.redeem("g1", amount=100), code=CODE, currency="USD", key="k2")
    back = journal.intend(
        intents.reverse("t1", gift_id="g1", amount=2500),
        code=CODE,
        currency="USD",
        key="k3",
        reverses_entry=paid.id,
        sale_id=sale.id,
    )
    journal.close()

    again = Journal(tmp_path / "j.db")  # as after a restart
    assert again.open_sales() == [sale]
    assert [e.id for e in again.sale_entries(sale.id)] == [paid.id, back.id]
    assert again.entry(alone.id).sale_id is None
    assert again.entry(paid.id).sale_id == sale.id
    assert again.close_sale(sale.id, "cancelled") is True
    assert again.close_sale(sale.id, "paid") is False  # ended once
    assert again.sale(sale.id) == Sale(
        id=sale.id, due=8320, currency="USD", ticket=None, state="cancelled"
    )
    assert again.open_sales() == []
    assert again.shift_sales(again.current_shift()) == {"cancelled": 1}
    assert again.sale(sale.id + 99) is None


def test_a_sale_refuses_nonsense_in_the_file(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    with pytest.raises(sqlite3.IntegrityError):
        journal.open_sale(0, "USD", None)  # nothing due is no sale
    sale = journal.open_sale(100, "USD", None)
    with pytest.raises(sqlite3.IntegrityError):
        journal.close_sale(sale.id, "gone")  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):  # a sale that is not there
        journal.intend(
            intents.redeem("g1", amount=1), code=CODE, currency="USD", key="k", sale_id=999
        )
