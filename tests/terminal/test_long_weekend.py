"""Issue 18's first double charge, with real processes: a $10.00 redemption commits at the
provider, its answer is lost (the fault proxy drops it), the till is switched off; the
provider is started again with its clock three days ahead, so it forgets the key; the till
is started again and settles. It asks by its reference before sending anything: exactly one
charge on the provider's ledger, and the journal says completed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.faultproxy import FaultProxy
from tests.helpers import PROVIDER, Served

ROOT = Path(__file__).resolve().parents[2]
CODE = "500000000000001"
THREE_DAYS_S = 3 * 24 * 3600

TILL = """
import json, sys, time
from pathlib import Path
from posapp.app import build_engine
from tests.terminal.conftest import terminal_config
url, token, journal, step = sys.argv[1:5]
engine = build_engine(terminal_config(url), token=token, journal=Path(journal),
                      start_settler=step == "settle")
if step == "redeem":
    gift = engine.terminal.check("SVS_GC-500000000000001")
    receipt = engine.terminal.redeem(gift, 1000)
    print(json.dumps({"not_confirmed": receipt.not_confirmed}), flush=True)
else:
    deadline = time.monotonic() + 30
    while engine.settler.count and time.monotonic() < deadline:
        time.sleep(0.05)
entries = [(e.state, e.outcome, e.idempotency_key) for e in engine.journal.entries()]
print(json.dumps(entries), flush=True)
engine.close()
"""


def till(proxy: FaultProxy, token: str, journal: Path, step: str) -> list[Any]:
    """The till as its own process, switched off once its step is done."""
    done = subprocess.run(
        [sys.executable, "-c", TILL, proxy.url, token, str(journal), step],
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def ledger(served: Served, admin: str) -> tuple[int, int]:
    """The card's balance and how many redemptions the provider's ledger holds."""
    headers = {"Authorization": f"Bearer {admin}"}
    cards = httpx.get(f"{served.url}/v1/gift-cards", params={"code": CODE}, headers=headers).json()
    txns = httpx.get(
        f"{served.url}/v1/transactions", params={"type": "redemption"}, headers=headers
    ).json()
    return int(cards[0]["balance"]), len(txns)


@pytest.mark.timeout(240)
def test_a_redemption_settled_after_a_long_weekend_charges_the_card_once(tmp_path: Path) -> None:
    db_file = tmp_path / "provider.db"
    db = f"sqlite:///{db_file}"
    made = json.loads(
        subprocess.run(
            [PROVIDER, "demo", "--db", db], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    )
    journal = tmp_path / "journal.db"
    served = Served(db)
    proxy = FaultProxy(served.port)
    try:
        # Committed, every answer lost, and the till's ask by reference within the call too.
        proxy.set("drop_answer", only=(b"/redemptions", b"/v1/transactions/lookup"))
        said, entries = till(proxy, made["terminal_token"], journal, "redeem")
        assert said == {"not_confirmed": True}
        ((state, _outcome, key),) = entries
        assert state == "unknown"
        assert ledger(served, made["admin_token"]) == (6500, 1)
        assert served.stop() == 0

        # Monday: the provider starts with its clock three days on, past its 48 hours.
        served = Served(db, "--clock-offset-s", str(THREE_DAYS_S))
        with sqlite3.connect(db_file) as conn:
            kept = conn.execute("SELECT COUNT(*) FROM idempotency WHERE key = ?", (key,))
            assert kept.fetchone()[0] == 0  # the key is forgotten: sent again, it would run
        proxy.target_port = served.port
        proxy.set("pass")
        (entries,) = till(proxy, made["terminal_token"], journal, "settle")
        assert [(s, o) for s, o, _key in entries] == [("settled", "completed")]
        assert ledger(served, made["admin_token"]) == (6500, 1)  # once: 75.00 -> 65.00
    finally:
        proxy.close()
        served.stop()
