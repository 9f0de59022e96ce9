"""The admin's gift card list and a card's transactions at 1,000 and 1,000,000 cards.

For each size: a fresh SQLite store filled with that many gift cards (one activation each)
and a quiet card (the store's first) with a second transaction at the very end. Measured
through the provider's own app (in-process ASGI): the list's first page, a deep page (the
page after the card at 90%), and the quiet card's transactions; after 3 calls to warm up,
the median of at least 20 calls. Each is measured twice on the same data: with schema version 1's indexes (before
issue 14) and after the provider's migration to version 2 (whose time is shown). Target:
each figure at 1,000,000 cards within 1.5 times its figure at 1,000.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posapp.provider.app import create_app
from posapp.provider.ledger import now_us
from posapp.provider.store import Store

VERSION_2_INDEXES = ("gifts_by_store", "transactions_by_store_gift", "idempotency_by_age")


class AsVersion1(Store):
    """The store as an older provider opened it: no migration."""

    def migrate(self) -> None:
        pass


def fill(path: Path, cards: int) -> tuple[dict[str, str], int, int]:
    """A store of `cards` gift cards at schema version 1. Returns (tokens, quiet, deep id)."""
    store = Store(f"sqlite:///{path}")
    made = store.create_store("Bench", "USD")
    store_id, location_id = int(made["store_id"]), int(made["location_id"])
    ids = [store.flakes.next() for _ in range(cards)]
    txn_ids = [store.flakes.next() for _ in range(cards + 1)]
    store.close()
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None)
    for index in VERSION_2_INDEXES:
        db.execute(f"DROP INDEX {index}")
    db.execute("CREATE INDEX transactions_by_gift ON transactions (gift_id, id)")
    db.execute("UPDATE schema_version SET version = 1")
    now, stamp = now_us(), orjson.dumps({"id": "1", "name": "bench"}).decode()
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO gifts (id, store_id, code, code_key, kind, balance, starting_balance, "
        "enabled, promotional, usable_at, public_token, created_at, created_by) "
        "VALUES (?, ?, ?, ?, 'monetary', 5000, 5000, 1, 0, ?, ?, ?, ?)",
        ((g, store_id, f"B{g}", f"B{g}", now, f"t{g}", now, stamp) for g in ids),
    )
    db.executemany(
        "INSERT INTO transactions (id, type, gift_id, store_id, location_id, amount, "
        "currency, balance_after, state, created_at, created_by) "
        "VALUES (?, 'activation', ?, ?, ?, 5000, 'USD', 5000, 'completed', ?, ?)",
        (
            (t, g, store_id, location_id, now, stamp)
            for t, g in zip(txn_ids, [*ids, ids[0]], strict=True)
        ),
    )
    db.commit()
    db.close()
    return made, ids[0], ids[cards * 9 // 10]


async def timings(store: Store, admin: str, quiet: int, deep: int) -> dict[str, float]:
    app = create_app(store)
    headers = {"Authorization": f"Bearer {admin}"}
    transport = httpx.ASGITransport(app=app)
    calls = {
        "page 1": ("/v1/gift-cards", {"limit": 50}),
        "deep page": ("/v1/gift-cards", {"limit": 50, "after": str(deep)}),
        "quiet card's transactions": ("/v1/transactions", {"gift_id": str(quiet)}),
    }
    found = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for name, (path, params) in calls.items():
            for _ in range(3):  # warm: the pool's connections, SQLite's page cache
                await client.get(path, params=params, headers=headers)
            times: list[float] = []
            spent = 0.0
            while len(times) < 20 or (spent < 2.0 and len(times) < 100):
                start = time.perf_counter()
                answer = await client.get(path, params=params, headers=headers)
                times.append(time.perf_counter() - start)
                spent += times[-1]
                assert answer.status_code == 200, answer.text
                assert answer.json(), name
            found[name] = statistics.median(times) * 1000
    return found


def measure(cards: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        made, quiet, deep = fill(path, cards)
        filled = time.perf_counter() - start
        url = f"sqlite:///{path}"
        before_store = AsVersion1(url)
        before = asyncio.run(timings(before_store, made["admin_token"], quiet, deep))
        before_store.close()
        start = time.perf_counter()
        after_store = Store(url)  # migrates to version 2
        migrated = time.perf_counter() - start
        after = asyncio.run(timings(after_store, made["admin_token"], quiet, deep))
        after_store.close()
    return {"before": before, "after": after, "fill_s": filled, "migrate_s": migrated}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000", help="card counts, comma-separated")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    results = {size: measure(size) for size in sizes}
    small, large = sizes[0], sizes[-1]
    print(f"SQLite, median ms per call through the app; target: {large:,} within 1.5x {small:,}")
    for when in ("before", "after"):
        label = "schema 1 (before)" if when == "before" else "schema 2 (after)"
        print(label)
        for name in results[small][when]:
            row = "  ".join(f"{size:>9,}: {results[size][when][name]:8.2f}" for size in sizes)
            ratio = results[large][when][name] / results[small][when][name]
            print(f"  {name:27s} {row}   ratio {ratio:6.2f}x")
    for size in sizes:
        print(
            f"{size:,} cards: filled in {results[size]['fill_s']:.1f} s, "
            f"migrated to schema 2 in {results[size]['migrate_s']:.1f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
