"""A sale paid card by card, kept in the journal (journal version 13, issue 23).

A row in `sales` per sale (its due, currency, the main register's ticket, where it stands,
when it opened and closed, the shift it opened in), and on each redemption and reversal
made for it, `entries.sale_id`: the sale's payments are its entries, so a till killed in
the middle of a sale finds the sale and its movements (settled by the settler as any other)
when it starts again. SQL on the journal's own connection; the Journal calls these."""

from __future__ import annotations

import sqlite3

from posapp.core.sale import Sale, SaleState

# Journal version 13.
MIGRATION = [
    """CREATE TABLE sales (
        id INTEGER PRIMARY KEY,
        shift_id INTEGER NOT NULL REFERENCES shifts(id),
        due INTEGER NOT NULL CHECK (due > 0),
        currency TEXT NOT NULL,
        ticket TEXT,
        state TEXT NOT NULL DEFAULT 'open'
            CHECK (state IN ('open', 'paid', 'handed_over', 'cancelled')),
        opened_at REAL NOT NULL,
        closed_at REAL
    )""",
    "CREATE INDEX sales_open ON sales (id) WHERE state = 'open'",
    "CREATE INDEX sales_by_shift ON sales (shift_id, state)",
    "ALTER TABLE entries ADD COLUMN sale_id INTEGER REFERENCES sales(id)",
    "CREATE INDEX entries_by_sale ON entries (sale_id, id) WHERE sale_id IS NOT NULL",
]

# Journal version 15 (the sale trial of 6 Dec 2026, finding 1): when the sale's receipt
# went to the printer. A till killed between closing the sale and printing its receipt finds
# at its start a sale that ended unprinted: it says so, and F9 prints the receipt as the
# original, not a copy. Sales closed before this version had theirs printed.
PRINTED = [
    "ALTER TABLE sales ADD COLUMN printed_at REAL",
    "UPDATE sales SET printed_at = closed_at WHERE state != 'open'",
]

_COLUMNS = "id, due, currency, ticket, state"


def _sale(row: sqlite3.Row) -> Sale:
    return Sale(
        id=int(row[0]),
        due=int(row[1]),
        currency=str(row[2]),
        ticket=None if row[3] is None else str(row[3]),
        state=row[4],
    )


def open_sale(
    db: sqlite3.Connection, shift_id: int, due: int, currency: str, ticket: str | None, at: float
) -> Sale:
    sale_id = db.execute(
        "INSERT INTO sales (shift_id, due, currency, ticket, opened_at) VALUES (?, ?, ?, ?, ?)",
        (shift_id, due, currency, ticket, at),
    ).lastrowid
    return Sale(id=int(sale_id or 0), due=due, currency=currency, ticket=ticket)


def close_sale(db: sqlite3.Connection, sale_id: int, state: SaleState, at: float) -> bool:
    """The open sale ended as `state`; False when it was not open (ended already)."""
    done = db.execute(
        "UPDATE sales SET state = ?, closed_at = ? WHERE id = ? AND state = 'open'",
        (state, at, sale_id),
    )
    return done.rowcount == 1


def sale(db: sqlite3.Connection, sale_id: int) -> Sale | None:
    """The sale as kept (its payments are its entries: `Sales` reads them)."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM sales WHERE id = ?",  # noqa: S608
        (sale_id,),
    ).fetchone()
    return None if row is None else _sale(row)


def open_sales(db: sqlite3.Connection) -> list[Sale]:
    """The sales still open, oldest first, by index."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM sales WHERE state = 'open' ORDER BY id"  # noqa: S608
    ).fetchall()
    return [_sale(r) for r in rows]


def sales_in_shift(db: sqlite3.Connection, shift_id: int) -> list[Sale]:
    """The sales opened in the shift, oldest first, by index."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM sales WHERE shift_id = ? ORDER BY id",  # noqa: S608
        (shift_id,),
    ).fetchall()
    return [_sale(r) for r in rows]


def shift_sales(db: sqlite3.Connection, shift_id: int) -> dict[str, int]:
    """How many sales opened in the shift stand in each state (the X and Z reports)."""
    rows = db.execute(
        "SELECT state, COUNT(*) FROM sales WHERE shift_id = ? GROUP BY state", (shift_id,)
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def mark_printed(db: sqlite3.Connection, sale_id: int, at: float) -> None:
    """The sale's receipt went to the printer (or was kept by it for F9)."""
    db.execute("UPDATE sales SET printed_at = ? WHERE id = ? AND printed_at IS NULL", (at, sale_id))


def was_printed(db: sqlite3.Connection, sale_id: int) -> bool:
    row = db.execute("SELECT printed_at FROM sales WHERE id = ?", (sale_id,)).fetchone()
    return row is not None and row[0] is not None


def last_closed(db: sqlite3.Connection) -> Sale | None:
    """The sale that ended last (paid, handed over or cancelled), by when it closed."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM sales WHERE state != 'open' "  # noqa: S608
        "ORDER BY closed_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else _sale(row)
