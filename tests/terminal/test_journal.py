from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from posapp.adapters.journal import Journal
from posapp.adapters.journal_migrations import VERSION
from posapp.core import intent as intents
from posapp.core.intent import Intent
from posapp.core.sign_in import SignIn


def intend(journal: Journal, key: str = "k1") -> int:
    return journal.intend(
        intents.redeem("1", amount=100), code="500000000000001", currency="USD", key=key
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
    assert entry.intent == intents.redeem("1", amount=100)
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


def test_a_shift_closes_with_its_next_sign_in_in_one_write(tmp_path: Path) -> None:
    """The Z report's closing and the sign-in that lasts into the next shift are one commit:
    both are kept, or neither (a sign-in the journal refuses leaves the shift open)."""
    journal = Journal(tmp_path / "j.db")
    first = journal.current_shift()
    intend(journal)
    refused = SignIn(time.time(), "Ann", "lunch")  # type: ignore[arg-type]  # not a How
    with pytest.raises(sqlite3.IntegrityError):
        journal.close_shift(first, then=refused)
    assert journal.current_shift() == first  # still open: nothing of the write was kept
    assert journal.last_sign_in() is None

    journal.close_shift(first, then=SignIn(1000.0, "Ann", "z_report"))
    assert journal.current_shift() != first
    assert journal.last_sign_in() == SignIn(1000.0, "Ann", "z_report")


def write_v1_journal(path: Path, rows: list[tuple[str, str, str | None, int | None, dict]]) -> None:
    """A journal as version 1 of posapp wrote it: its schema (MIGRATIONS[1], append-only)
    and its INSERT, with the HTTP request it recorded. Each row is left pending, as a
    crash between intent and answer leaves it."""
    from posapp.adapters.journal_migrations import MIGRATIONS

    db = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[1]:
        assert isinstance(statement, str)
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    # Written just now: an upgrade is a restart, and a till settles on start (entries
    # without a till reference are sent again only while their key is surely remembered).
    now = time.time()
    db.execute("INSERT INTO shifts (opened_at) VALUES (?)", (now,))
    for i, (operation, code, gift_id, amount, request) in enumerate(rows):
        db.execute(
            "INSERT INTO entries (shift_id, operation, code, gift_id, amount, quantity, "
            "currency, idempotency_key, state, request, reverses_entry, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
            (1, operation, code, gift_id, amount, None, "USD", f"v1-{i}", json.dumps(request),
             None, now, now),
        )  # fmt: skip
    db.close()


def test_a_version_1_journal_is_moved_to_intents(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    red = {"path": "/v1/gifts/11/redemptions", "body": {"amount": 500, "allow_partial": True}}
    write_v1_journal(
        path,
        [
            ("redemption", "500000000000001", "11", 500, red),
            ("cash_out", "500000000000002", "12", 1250, {"path": "/v1/gifts/12/cash-out"}),
            (
                "cash_out",  # config.md cash_out = "redeem"
                "500000000000003",
                "13",
                900,
                {"path": "/v1/gifts/13/redemptions", "body": {"amount": 900}},
            ),
            (
                "reversal",
                "500000000000001",
                "11",
                500,
                {"path": "/v1/transactions/77/reversal", "body": {"reason": "oops"}},
            ),
            (
                "activation",
                "700000000000001",
                None,
                30000,
                {
                    "path": "/v1/gift-cards/activations",
                    "body": {"code": "700000000000001", "amount": 30000, "reference": "gc-300"},
                },
            ),
            (
                "issue",
                "(new card)",
                None,
                1999,
                {
                    "path": "/v1/gift-cards/issues",
                    "body": {"amount": 1999, "recipient": {"email": "ann@example.com"}},
                },
            ),
        ],
    )
    journal = Journal(path)
    assert [e.intent for e in journal.to_settle()] == [
        intents.redeem("11", amount=500, use_all=True),
        intents.cash_out("12", 1250),
        intents.cash_out("13", 900),
        intents.reverse("77", gift_id="11", amount=500, reason="oops"),
        intents.activate("700000000000001", 30000, reference="gc-300"),
        intents.issue(1999, recipient_email="ann@example.com"),
    ]
    assert [e.idempotency_key for e in journal.to_settle()] == [f"v1-{i}" for i in range(6)]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    columns = {row[1] for row in db.execute("PRAGMA table_info(entries)")}
    assert "request" not in columns
    db.close()


def test_intents_round_trip_and_refuse_nonsense() -> None:
    for wanted in (
        intents.redeem("1", quantity=2),
        intents.reverse("9", gift_id="1", amount=5),
        intents.issue(5),
    ):
        assert Intent.from_json(wanted.to_json()) == wanted
    with pytest.raises(ValueError, match="exactly one"):
        intents.redeem("1")
    with pytest.raises(ValueError, match="positive int"):
        intents.redeem("1", amount=0)
    with pytest.raises(ValueError, match="needs its code"):
        intents.activate("", 100)
    with pytest.raises(ValueError, match="unknown intent fields"):
        Intent.from_json({"operation": "issue", "amount": 1, "path": "/v1/x"})
