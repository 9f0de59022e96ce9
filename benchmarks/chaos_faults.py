"""The faults benchmarks/chaos.py adds for issue 18: answers that lie, journals whose disk
fills, and what the campaign reads of the provider's keys and the journals while it runs.

- Liar: the fault proxy's "lie". A money call's 2xx answer (the provider has committed) is
  rewritten to name another card, a smaller amount, a negative amount, a balance that went
  up, another currency or another type: each a way issue 18 saw answers believed. Every
  lie told is kept with the request's idempotency key, so that the reconciliation can ask
  what became of its journal entry.
- JournalDisks: each terminal's journal on a small tmpfs of its own, filled to its last
  byte for a while and freed. Mounting needs root (mount(8)); where it cannot be done the
  journals are plain files and the fault is skipped, with the reason.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import sqlite3
import subprocess
import threading
from pathlib import Path
from typing import Any

from tests.faultproxy import rewritten

# api.md's money calls, as their request lines show them.
MONEY_PATHS = (
    b"/redemptions",
    b"/reversal",
    b"/cash-out",
    b"/gift-cards/activations",
    b"/gift-cards/issues",
)
LIES = (
    "another card",
    "a smaller amount",
    "a negative amount",
    "a balance that went up",
    "another currency",
    "another type",
)
# What a transaction is said to be instead (api.md's types; none is what was asked).
OTHER_TYPE = {
    "redemption": "reversal",
    "reversal": "redemption",
    "activation": "adjustment",
    "issue": "adjustment",
    "gift_card_cash_out": "redemption",
}


def header(request: bytes, name: bytes) -> str | None:
    head = request.partition(b"\r\n\r\n")[0]
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip().decode("latin-1")
    return None


def another(value: str) -> str:
    """The same shape, another value: its last digit changed."""
    last = value[-1]
    return value[:-1] + ("1" if last != "1" else "2")


def lie(found: dict[str, Any], kind: str) -> dict[str, Any]:
    """api.md's money answer ({"transaction", "gift"}, a reversal also "reversed"), told as
    `kind` says."""
    txn, gift = found["transaction"], found["gift"]
    if kind == "another card":
        txn["gift_id"] = gift["id"] = another(str(gift["id"]))
        gift["code"] = another(str(gift["code"]))
    elif kind == "a smaller amount":
        txn["amount"] = txn["amount"] - 1
    elif kind == "a negative amount":
        txn["amount"] = -txn["amount"]
    elif kind == "a balance that went up":
        txn["balance_after"] = txn["balance_after"] + 1000
        gift["balance"] = txn["balance_after"]
    elif kind == "another currency":
        txn["currency"] = gift["currency"] = "EUR" if txn["currency"] != "EUR" else "USD"
    else:
        txn["type"] = OTHER_TYPE.get(txn["type"], "adjustment")
    return found


class Liar:
    """The proxy's liar: each money call's 2xx answer it is given, told as one of LIES."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.told: list[dict[str, str]] = []  # {"key", "kind", "call"}, in the order told
        self._lock = threading.Lock()

    def __call__(self, request: bytes, answer: bytes) -> bytes | None:
        line = request.partition(b"\r\n")[0]
        if not line.startswith(b"POST ") or not any(path in line for path in MONEY_PATHS):
            return None  # a read: passed as it came
        status = answer.partition(b"\r\n")[0].split(b" ")
        key = header(request, b"idempotency-key")
        if len(status) < 2 or not status[1].startswith(b"2") or key is None:
            return None  # a refusal says nothing to lie about
        try:
            found = json.loads(answer.partition(b"\r\n\r\n")[2])
        except ValueError:
            return None
        with self._lock:
            kind = self.rng.choice(LIES)
            self.told.append({"key": key, "kind": kind, "call": line.decode("latin-1")})
        told = json.dumps(lie(found, kind)).encode()
        return rewritten(answer, lambda _body: told)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {kind: sum(t["kind"] == kind for t in self.told) for kind in LIES}


class JournalDisks:
    """A small tmpfs for each terminal's journal, or plain folders (and `skipped` says why)."""

    def __init__(self, root: Path, count: int, size: str = "32m") -> None:
        self.folders = [root / f"disk-{i}" for i in range(count)]
        self.mounted: list[Path] = []
        self.skipped: str | None = None
        self.full: dict[int, float] = {}  # terminal -> when its disk is freed (monotonic)
        self.fills = 0
        for folder in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            self.skipped = "mounting a tmpfs needs root"
            return
        for folder in self.folders:
            made = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
                capture_output=True,
                text=True,
            )
            if made.returncode != 0:
                self.skipped = f"cannot mount a tmpfs here: {made.stderr.strip()}"
                self.close()
                return
            self.mounted.append(folder)

    def journal(self, index: int) -> Path:
        return self.folders[index] / "journal.db"

    def fill(self, index: int, until: float) -> None:
        """Every free byte of the terminal's disk taken until `until` (monotonic)."""
        journal = self.journal(index)
        # A WAL checkpointed over from its start takes no new space: a write could still fit
        # on a full disk. Emptied (when the till is not in the middle of a write), the
        # till's next write must grow it, and fails.
        with contextlib.suppress(sqlite3.Error):
            db = sqlite3.connect(f"file:{journal}?mode=rw", uri=True, timeout=0.5)
            try:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                db.close()
        filler = self.folders[index] / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            for block in (b"\0" * (1 << 20), b"\0" * 4096, b"\0"):
                try:
                    while True:
                        os.write(fd, block)
                except OSError as exc:  # full for this size: the next, smaller one
                    if exc.errno != errno.ENOSPC:
                        raise
        finally:
            os.close(fd)
        self.full[index] = until
        self.fills += 1

    def free(self, index: int) -> None:
        (self.folders[index] / "filler").unlink(missing_ok=True)
        self.full.pop(index, None)

    def free_due(self, now: float) -> None:
        for index, until in list(self.full.items()):
            if now >= until:
                self.free(index)

    def close(self) -> None:
        for index in list(self.full):
            self.free(index)
        for folder in self.mounted:
            # Lazy: a journal a killed till left open does not keep the mount behind.
            subprocess.run(["umount", "-l", str(folder)], check=False)
        self.mounted = []


def provider_keys(db_file: Path) -> int:
    """How many idempotency keys the provider remembers."""
    try:
        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0])
    except sqlite3.Error:
        return -1


def to_settle(journal: Path) -> int:
    """How many of a journal's movements are not confirmed (pending or unknown)."""
    if not journal.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{journal}?mode=ro", uri=True, timeout=1) as db:
            row = db.execute(
                "SELECT COUNT(*) FROM entries WHERE state IN ('pending', 'unknown')"
            ).fetchone()
            return int(row[0])
    except sqlite3.Error:
        return 0
