from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from posapp.adapters.journal import VERSION, Journal


def intend(journal: Journal, key: str = "k1") -> int:
    return journal.intend(
        operation="redemption",
        code="500000000000001",
        gift_id="1",
        amount=100,
        quantity=None,
        currency="USD",
        key=key,
        request={"path": "/v1/gifts/1/redemptions", "body": {"amount": 100}},
    ).id


def test_intent_then_outcome_on_disk(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    entry_id = intend(journal)
    assert journal.entry(entry_id).state == "pending"
    assert journal.count_to_settle() == 1
    journal.record(entry_id, "unknown", error="no answer")
    journal.record(entry_id, "settled", outcome="completed", transaction_id="77", balance_after=900)
    again = Journal(tmp_path / "j.db")  # as after a restart
    entry = again.entry(entry_id)
    assert (entry.state, entry.outcome, entry.transaction_id, entry.moved_money) == (
        "settled",
        "completed",
        "77",
        True,
    )
    assert entry.request == {"path": "/v1/gifts/1/redemptions", "body": {"amount": 100}}
    assert again.count_to_settle() == 0
    with pytest.raises(sqlite3.IntegrityError):
        intend(again, "k1")  # one entry per idempotency key


def test_wal_full_sync_and_user_version(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    intend(journal)
    db = sqlite3.connect(tmp_path / "j.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    db.close()
    raw = journal._connect()  # the journal's own connection carries synchronous=FULL (2)
    assert raw.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_a_newer_journal_is_refused(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "j.db")
    db.execute(f"PRAGMA user_version = {VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer posapp"):
        Journal(tmp_path / "j.db")


def test_shifts_open_and_close(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    first = journal.current_shift()
    assert journal.current_shift() == first
    intend(journal)
    journal.close_shift(first)
    second = journal.current_shift()
    assert second != first
    assert journal.entries(second) == []
    assert len(journal.entries(first)) == 1
