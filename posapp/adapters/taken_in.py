"""What the counter took for cards sold in a shift, less the cards sold in it and voided: the
X and Z reports' "Taken in for cards sold" (the demo trial, 69: the drawer's side of the card
sales was no line of its own). A void of a refund card gives no money back: no one paid for
it. SQL on the journal's own connection; the Journal calls this."""

from __future__ import annotations

import sqlite3

from posapp.adapters.item_totals import _moved


def read(db: sqlite3.Connection, shift_id: int, sold: int) -> int:
    """`sold`: the shift's cards sold (shift_totals); less the voids of those of them voided.
    The shift's voids are read by their own index (entries_voids, journal version 11): few
    rows, however long the shift or the journal."""
    voided = db.execute(
        f"""SELECT COALESCE(SUM(v.amount), 0) FROM entries AS v
            JOIN entries AS s ON s.id = v.reverses_entry
            WHERE v.shift_id = ? AND v.operation = 'void' AND {_moved("v")}
              AND s.operation = 'activation'""",  # noqa: S608
        (shift_id,),
    ).fetchone()[0]
    return sold - int(voided)
