"""An item gift's movements in the X and Z reports, counted apart from the money ones (issue
19.15: an item redemption was one of "Redemptions (3) $15.00"). Kept by the database as
entries are written, as shift_totals is: a report reads a few rows, whatever the shift
holds. SQL on the journal's own connection; the Journal calls these."""

from __future__ import annotations

import sqlite3

from posapp.core.reports import ItemTotal, item_totals


def _moved(row: str) -> str:
    """The entry moved what it asked (core.entry.Entry.moved_money)."""
    return (
        f"({row}.state = 'completed' OR ({row}.state = 'settled' AND {row}.outcome = 'completed'))"
    )


def _change(row: str, sign: int) -> str:
    """A trigger's statement adding (1) or taking away (-1) an item entry's share."""
    # Only our own fragments are formatted in; no value from outside.
    return f"""
        INSERT INTO shift_item_totals (shift_id, operation, item_label, entries, quantity)
            SELECT {row}.shift_id, {row}.operation, COALESCE({row}.item_label, ''), {sign},
                   {sign} * {row}.quantity
            WHERE {row}.quantity IS NOT NULL AND {_moved(row)}
        ON CONFLICT (shift_id, operation, item_label) DO UPDATE SET
            entries = entries + excluded.entries, quantity = quantity + excluded.quantity;"""


# Journal version 8: the shift's item movements by kind and item.
MIGRATION = [
    """CREATE TABLE shift_item_totals (
        shift_id INTEGER NOT NULL REFERENCES shifts(id),
        operation TEXT NOT NULL,
        item_label TEXT NOT NULL,
        entries INTEGER NOT NULL,
        quantity INTEGER NOT NULL,
        PRIMARY KEY (shift_id, operation, item_label)
    )""",
    f"""INSERT INTO shift_item_totals
        SELECT e.shift_id, e.operation, COALESCE(e.item_label, ''), COUNT(*), SUM(e.quantity)
        FROM entries AS e WHERE e.quantity IS NOT NULL AND {_moved("e")}
        GROUP BY 1, 2, 3""",  # noqa: S608
    f"""CREATE TRIGGER shift_item_totals_insert AFTER INSERT ON entries
        WHEN NEW.quantity IS NOT NULL BEGIN
        {_change("NEW", 1)}
    END""",
    f"""CREATE TRIGGER shift_item_totals_update AFTER UPDATE ON entries
        WHEN OLD.quantity IS NOT NULL OR NEW.quantity IS NOT NULL BEGIN
        {_change("OLD", -1)}
        {_change("NEW", 1)}
    END""",
]


def read(db: sqlite3.Connection, shift_id: int) -> tuple[ItemTotal, ...]:
    rows = db.execute(
        "SELECT operation, item_label, entries, quantity FROM shift_item_totals WHERE shift_id = ?",
        (shift_id,),
    )
    return item_totals(ItemTotal(op, label, int(n), int(q)) for op, label, n, q in rows)
