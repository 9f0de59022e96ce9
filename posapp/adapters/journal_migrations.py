"""The journal's versions: user_version -> the steps that bring a journal file from the
version before it (SQL, or a function for what SQL cannot say).

Append only: a landed migration is never edited, a till may skip versions, and a new one takes
the next number (CONTRIBUTING.md). posapp/adapters/journal.py runs them when it opens a file.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from collections.abc import Callable

from posapp.adapters import (
    item_totals,
    offline_record,
    pin_record,
    sale_record,
    setting_record,
    sign_in_record,
)
from posapp.core import intent as intents
from posapp.core.intent import Intent


def intent_from_v1_request(row: sqlite3.Row) -> Intent:
    """A version-1 entry's recorded HTTP request (api.md path and body) as the intent it
    carried. Only these five requests were ever written by version 1."""
    request = json.loads(row["request"])
    path, body = request["path"], request.get("body") or {}
    operation = row["operation"]
    if m := re.fullmatch(r"/v1/gifts/([^/]+)/redemptions", path):
        if operation == "cash_out":  # config.md cash_out = "redeem": the whole balance
            return intents.cash_out(m[1], body["amount"])
        return intents.redeem(
            m[1],
            amount=body.get("amount"),
            quantity=body.get("quantity"),
            use_all=bool(body.get("allow_partial")),
            reference=body.get("reference"),
        )
    if m := re.fullmatch(r"/v1/gifts/([^/]+)/cash-out", path):
        return intents.cash_out(m[1], row["amount"], reference=body.get("reference"))
    if m := re.fullmatch(r"/v1/transactions/([^/]+)/reversal", path):
        return intents.reverse(
            m[1],
            gift_id=row["gift_id"],
            amount=row["amount"],
            quantity=row["quantity"],
            reason=body.get("reason"),
        )
    if path == "/v1/gift-cards/activations":
        return intents.activate(body["code"], body["amount"], reference=body.get("reference"))
    if path == "/v1/gift-cards/issues":
        email = (body.get("recipient") or {}).get("email")
        return intents.issue(body["amount"], recipient_email=email)
    raise RuntimeError(f"journal entry {row['id']}: a request version 1 never made: {path}")


def _requests_to_intents(db: sqlite3.Connection) -> None:
    """Version 2: entries keep the intent, not an HTTP request (house rule 14), so that
    an entry left pending by version 1 settles through whichever adapter runs now."""
    db.execute("ALTER TABLE entries ADD COLUMN intent TEXT")
    for row in db.execute("SELECT id, operation, gift_id, amount, quantity, request FROM entries"):
        intent = intent_from_v1_request(row)
        db.execute(
            "UPDATE entries SET intent = ? WHERE id = ?",
            (json.dumps(intent.to_json()), row["id"]),
        )
    db.execute("ALTER TABLE entries DROP COLUMN request")


def _kind(row: str) -> str:
    """Which of a report's columns an entry counts in (core.reports.totals): its money moved,
    it waits to be settled, or it was declined or never sent."""
    return (
        f"CASE WHEN {row}.state = 'completed' OR ({row}.state = 'settled' AND "
        f"{row}.outcome = 'completed') THEN 'moved' "
        f"WHEN {row}.state IN ('pending', 'unknown') THEN 'to_settle' ELSE 'declined' END"
    )


_ADD = (
    "ON CONFLICT (shift_id, operation, kind) DO UPDATE SET "
    "entries = entries + excluded.entries, amount = amount + excluded.amount;"
)


def _cash_back(row: str) -> str:
    """The rows of a reversal whose money went back to the card from a cash-out of the same
    shift: the drawer got that cash back (core.reports.totals)."""
    return (
        f"FROM entries AS o WHERE o.id = {row}.reverses_entry AND o.operation = 'cash_out' "
        f"AND o.shift_id = {row}.shift_id AND {row}.operation = 'reversal' "
        f"AND {_kind(row)} = 'moved'"
    )


def _totals_change(row: str, sign: int) -> str:
    """Trigger statements adding (sign 1) or taking away (-1) a row's share of the totals."""
    # Only our own fragments are formatted in; no value from outside.
    return f"""
        INSERT INTO shift_totals (shift_id, operation, kind, entries, amount)
            VALUES ({row}.shift_id, {row}.operation, {_kind(row)}, {sign},
                    {sign} * COALESCE({row}.amount, 0)) {_ADD}
        INSERT INTO shift_totals (shift_id, operation, kind, entries, amount)
            SELECT {row}.shift_id, 'cash_back', 'moved', {sign},
                   {sign} * COALESCE({row}.amount, 0) {_cash_back(row)} {_ADD}"""  # noqa: S608


# A receipt number: the journal's prefix (6 digits, no leading zero), then the entry's id with
# at least 6 digits, made even in length: digits only (the till looks up nothing else, issue
# 14), printed in CODE128's code set C. 12 digits are 101 modules, 2.5 cm at 2 dots a module
# and 203 dpi; a 38-letter Square activity id in code set B is 453, 906 dots: wider than
# 80 mm paper (576 dots).
PREFIX_DIGITS = 6


def _draw_prefix(db: sqlite3.Connection) -> None:
    low = 10 ** (PREFIX_DIGITS - 1)
    prefix = str(low + secrets.randbelow(9 * low))
    db.execute("INSERT INTO receipt_numbers (id, prefix) VALUES (1, ?)", (prefix,))


# user_version -> the steps (SQL, or a function for what SQL cannot say) that bring the
# journal from the version before it. Append only: a till may skip versions.
Step = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, list[Step]] = {
    1: [
        """CREATE TABLE shifts (
            id INTEGER PRIMARY KEY,
            opened_at REAL NOT NULL,
            closed_at REAL
        )""",
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            shift_id INTEGER NOT NULL REFERENCES shifts(id),
            operation TEXT NOT NULL,
            code TEXT NOT NULL,
            gift_id TEXT,
            amount INTEGER,
            quantity INTEGER,
            currency TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN
                ('pending', 'completed', 'declined', 'unknown', 'settled')),
            outcome TEXT CHECK (outcome IN ('completed', 'declined')),
            transaction_id TEXT,
            balance_after INTEGER,
            error TEXT,
            request TEXT NOT NULL,
            reverses_entry INTEGER REFERENCES entries(id),
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )""",
        "CREATE INDEX entries_by_shift ON entries (shift_id, id)",
        "CREATE INDEX entries_to_settle ON entries (state) WHERE state IN ('pending', 'unknown')",
        """CREATE TABLE receipts (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER REFERENCES entries(id),
            body TEXT NOT NULL,
            printed INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL
        )""",
        """CREATE TABLE pin_attempts (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            failures INTEGER NOT NULL,
            locked_until REAL NOT NULL
        )""",
    ],
    2: [_requests_to_intents],
    # Version 3 (issue 14): what runs per scan and per report does not grow with the shift.
    3: [
        # A receipt's barcode is a transaction id: found by index, not by reading the shift.
        "CREATE INDEX entries_by_transaction ON entries (transaction_id) "
        "WHERE transaction_id IS NOT NULL",
        "CREATE INDEX entries_by_reversed ON entries (reverses_entry) "
        "WHERE reverses_entry IS NOT NULL",
        # X and Z totals, kept by the database as entries are written (core.reports.totals
        # says what each one counts): a report reads a few rows, whatever the shift holds.
        """CREATE TABLE shift_totals (
            shift_id INTEGER NOT NULL REFERENCES shifts(id),
            operation TEXT NOT NULL,
            kind TEXT NOT NULL,
            entries INTEGER NOT NULL,
            amount INTEGER NOT NULL,
            PRIMARY KEY (shift_id, operation, kind)
        )""",
        f"""INSERT INTO shift_totals
            SELECT e.shift_id, e.operation, {_kind("e")}, COUNT(*), SUM(COALESCE(e.amount, 0))
            FROM entries AS e GROUP BY 1, 2, 3""",  # noqa: S608
        f"""INSERT INTO shift_totals
            SELECT e.shift_id, 'cash_back', 'moved', COUNT(*), SUM(COALESCE(e.amount, 0))
            FROM entries AS e WHERE EXISTS (SELECT 1 {_cash_back("e")}) GROUP BY 1""",  # noqa: S608
        f"""CREATE TRIGGER shift_totals_insert AFTER INSERT ON entries BEGIN
            {_totals_change("NEW", 1)}
        END""",
        f"""CREATE TRIGGER shift_totals_update AFTER UPDATE ON entries BEGIN
            {_totals_change("OLD", -1)}
            {_totals_change("NEW", 1)}
        END""",
    ],
    # Version 4: a receipt's barcode is the journal's own receipt number (receipt_number),
    # not the provider's id (Square's are 38 letters long, too wide for the paper). Its
    # prefix is this journal's, drawn once: another till's receipt is not found here.
    4: [
        """CREATE TABLE receipt_numbers (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            prefix TEXT NOT NULL
        )""",
        _draw_prefix,
    ],
    # Version 5: an item gift's movements keep the item's name ("1 × Coffee" on the reversal
    # list, its PIN prompt and receipts; the provider's transactions do not carry it).
    5: ["ALTER TABLE entries ADD COLUMN item_label TEXT"],
    # Version 6 (issue 18.8): the manager PIN's lock as its length and start, and each
    # wrong PIN kept for the reports (posapp/adapters/pin_record.py).
    6: [*pin_record.MIGRATION, pin_record.from_version_5, "DROP TABLE pin_attempts"],
    # Version 7 (issue 18.3, 18.8): a 2xx answer that did not add up, kept as it came for
    # the manager (core/answer.py); and when the provider made each transaction by its own
    # clock, which reconciliation asks by, not the till's.
    7: [
        "ALTER TABLE entries ADD COLUMN answer TEXT",
        "ALTER TABLE entries ADD COLUMN provider_at REAL",
    ],
    # Version 8 (issue 19.15): an item gift's movements counted apart in the reports.
    8: [*item_totals.MIGRATION],
    # Version 9 (issue 19.2): a manager's money changes are entries too (a balance set, a
    # card created with a balance, a card canceled holding money): who made each, and what
    # the card held before; the X and Z reports list a shift's by index.
    9: [
        "ALTER TABLE entries ADD COLUMN who TEXT",
        "ALTER TABLE entries ADD COLUMN balance_before INTEGER",
        "CREATE INDEX entries_manager_changes ON entries (shift_id, id) "
        "WHERE operation IN ('adjustment', 'card_created', 'card_canceled')",
    ],
    # Version 10 (issue 19, the second trial): who was signed in from when, kept across a
    # restart (posapp/adapters/sign_in_record.py); the cards issued as refunds found by
    # index, whatever shift they were issued in (F12, Refund cards).
    10: [
        *sign_in_record.MIGRATION,
        "CREATE INDEX entries_issued ON entries (created_at) WHERE operation = 'issue'",
    ],
    # Version 11 (issue 20, journal_growth): a shift's voids by index, for the reports'
    # "Taken in for cards sold" (posapp/adapters/taken_in.py). By entries_by_shift the query
    # read every entry of the open shift: the X report took 73 ms at 500,000 entries, 0.5 ms
    # before that line existed.
    11: ["CREATE INDEX entries_voids ON entries (shift_id) WHERE operation = 'void'"],
    # Version 12 (the store trial of 6 Dec 2026): a manager's settings changes, each key
    # with who and when, and the settings as last seen, so a hand edit is found at a start
    # (posapp/adapters/setting_record.py).
    12: [*setting_record.MIGRATION],
    # Version 13 (issue 23): a sale paid card by card, and the sale of each redemption and
    # reversal made for it (posapp/adapters/sale_record.py).
    13: [*sale_record.MIGRATION],
    # Version 14 (issue 24): the last known balance of each card seen online, redemptions
    # taken offline (forwarded later with their key), the manager's off-for-the-shift
    # switch (posapp/adapters/offline_record.py).
    14: [*offline_record.MIGRATION],
    # Version 15 (the sale trial of 6 Dec 2026): when each sale's receipt was printed, so a
    # till killed before it printed says so at its start (posapp/adapters/sale_record.py).
    15: [*sale_record.PRINTED],
}
VERSION = max(MIGRATIONS)
