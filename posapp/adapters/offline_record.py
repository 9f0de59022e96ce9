"""Offline selling kept in the journal (journal version 14, issue 24).

- `last_known`: each card as last seen online (its code, the provider's id for it, its
  spendable balance, currency, when), written by every check and every confirmed movement,
  so a card can be taken offline only up to what it held then.
- `entries.offline`: a redemption taken while the provider could not be reached, kept
  "unknown" with its idempotency key until the settler forwards it (then settled completed,
  or declined: the store's loss). Written in one statement with its state, before the
  receipt prints.
- `offline_switch`: the manager's "turn off offline selling for this shift" (and on again),
  who and when; the latest row of a shift decides.

SQL on the journal's own connection: `OfflineRecords` is a base of the Journal, whose
`_write` and `_connect` it uses.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from posapp.core.entry import Entry
from posapp.core.gift import Gift
from posapp.core.offline import LastKnown

# Journal version 14.
MIGRATION = [
    "ALTER TABLE entries ADD COLUMN offline INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX entries_offline ON entries (shift_id, id) WHERE offline = 1",
    """CREATE TABLE last_known (
        code TEXT PRIMARY KEY,
        gift_id TEXT,
        balance INTEGER NOT NULL,
        currency TEXT NOT NULL,
        seen_at REAL NOT NULL
    )""",
    """CREATE TABLE offline_switch (
        id INTEGER PRIMARY KEY,
        shift_id INTEGER NOT NULL REFERENCES shifts(id),
        off INTEGER NOT NULL CHECK (off IN (0, 1)),
        who TEXT NOT NULL,
        at REAL NOT NULL
    )""",
    "CREATE INDEX offline_switch_by_shift ON offline_switch (shift_id, id)",
]


def spendable(gift: Gift) -> int | None:
    """What a card seen online may be spent for, as offline selling trusts it: its eligible
    value, 0 for a card that cannot pay now (disabled, expired, not active: never taken
    offline); None for an item gift (offline takes money only)."""
    if gift.kind != "monetary":
        return None
    return 0 if gift.why_not_redeemable() else gift.eligible_value


class OfflineRecords:
    """The journal's offline reads and writes; the Journal provides the connection."""

    # Each confirmed movement's card kept as last known (a write of its own): only where the
    # store sells offline ([offline] on; app.py sets it), so no other till pays for it.
    keeps_last_known = False

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # the Journal's

    def _connect(self) -> sqlite3.Connection:
        raise NotImplementedError  # JournalReads'

    def entries_where(self, where: str, args: tuple[object, ...]) -> list[Entry]:
        raise NotImplementedError  # JournalReads'

    def see_card(self, gift: Gift, at: float) -> None:
        """The card as the provider answered it now; an answer older than the one kept
        (a settler's, written after a newer check) does not replace it."""
        balance = spendable(gift)
        if balance is None or not gift.code:
            return
        with self._write() as db:
            db.execute(
                "INSERT INTO last_known (code, gift_id, balance, currency, seen_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
                "gift_id = excluded.gift_id, balance = excluded.balance, "
                "currency = excluded.currency, seen_at = excluded.seen_at "
                "WHERE excluded.seen_at >= last_known.seen_at",
                (gift.code, gift.id, balance, gift.currency, at),
            )

    def forget_card(self, code: str) -> None:
        """The card's last known balance is no longer trusted (a redemption taken offline on
        it was declined: spent elsewhere): not taken offline again until seen online."""
        with self._write() as db:
            db.execute("DELETE FROM last_known WHERE code = ?", (code,))

    def last_known(self, code: str) -> LastKnown | None:
        row = (
            self._connect()
            .execute(
                "SELECT code, gift_id, balance, currency, seen_at FROM last_known WHERE code = ?",
                (code,),
            )
            .fetchone()
        )
        if row is None:
            return None
        seen = datetime.fromtimestamp(float(row[4]), UTC)
        return LastKnown(str(row[0]), int(row[2]), str(row[3]), seen, gift_id=row[1])

    def queue_offline(self, entry_id: int, words: str, at: float) -> bool:
        """The intent journalled before its call, now an offline redemption to forward:
        "unknown" and offline in one write. False when it is no longer pending."""
        with self._write() as db:
            done = db.execute(
                "UPDATE entries SET state = 'unknown', offline = 1, error = ?, updated_at = ? "
                "WHERE id = ? AND state = 'pending'",
                (words, at, entry_id),
            )
            return done.rowcount == 1

    def offline_entries(self, shift_id: int) -> list[Entry]:
        """The shift's offline redemptions, in order, by index."""
        return self.entries_where("shift_id = ? AND offline = 1", (shift_id,))

    def offline_losses(self) -> list[Entry]:
        """Every forwarded offline redemption the provider declined, oldest first."""
        return self.entries_where("offline = 1 AND state = 'settled' AND outcome = 'declined'", ())

    def offline_lost_during(self, shift_id: int, until: float) -> list[Entry]:
        """Offline redemptions of earlier shifts declined when forwarded after the shift
        before this one closed, until `until`: losses found after their own Z report, said
        on this shift's (a shift opens at its first movement: a loss may come before)."""
        return self.entries_where(
            "offline = 1 AND state = 'settled' AND outcome = 'declined' AND shift_id < ? "
            "AND updated_at >= COALESCE((SELECT MAX(closed_at) FROM shifts WHERE id < ?), 0) "
            "AND updated_at < ?",
            (shift_id, shift_id, until),
        )

    def switch_offline(self, shift_id: int, *, off: bool, who: str, at: float) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO offline_switch (shift_id, off, who, at) VALUES (?, ?, ?, ?)",
                (shift_id, int(off), who, at),
            )

    def offline_off(self, shift_id: int) -> bool:
        """The manager turned offline selling off for this shift (and not on again)."""
        row = (
            self._connect()
            .execute(
                "SELECT off FROM offline_switch WHERE shift_id = ? ORDER BY id DESC LIMIT 1",
                (shift_id,),
            )
            .fetchone()
        )
        return bool(row and row[0])
