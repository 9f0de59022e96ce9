"""The chaos campaign of issue 13, in the project: terminals and provider killed and
faulted, then every journal reconciled against the ledger.

N terminal processes, each the real engine (posapp.app.build_engine) with its own journal
and its own token and location, redeem, reverse and sell cards against `posapp-provider
serve` (SQLite) through a fault proxy on loopback that delays, resets before forwarding, or
drops the answer after the provider committed. Meanwhile terminals and the provider are
SIGKILLed at random points of the run and started again: a terminal goes on from its
journal, and its settler settles what the kill left. At the end the proxy passes, every
journal is settled, and each is reconciled against the provider's ledger:

- completed / declined: the journal's outcomes (declined: the provider said no, or the
  request never reached it);
- unknown then settled: outcomes that were unknown (a fault, a kill) and settled later;
- left unknown: what settling could not finish (should be 0);
- lost: completed in a journal, absent from the ledger;
- doubled: a ledger movement beside the one its journal entry names (same gift, type and
  amount): one intent that ran twice;
- orphaned: a ledger movement at a terminal's location that no journal knows;
- balance mismatches: gifts whose ledger does not add up (api.md's identity), or whose
  balance is not what the journals say happened to it;
- crashes: a terminal or the provider that died without being killed.

Bounded: --operations in all, --time-limit seconds (the terminals still running then are
stopped and said so). Loopback only. `--terminals 8 --operations 10000` is the full run;
tests/test_chaos.py runs a small one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faultproxy import FaultProxy  # noqa: E402  (the repo root first)

BIN = Path(sys.executable).parent
CARD_BALANCE = 100_000
FAULTS = {"delay": 0.10, "reset_before": 0.06, "drop_answer": 0.06}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- a terminal process -------------------------------------------------------------------


def terminal(args: argparse.Namespace) -> int:
    """One till: its money operations until its journal holds --operations of them."""
    from posapp.app import build_engine
    from posapp.config import Config
    from posapp.terminal.service import CashierError

    config = Config()
    config = replace(config, provider=replace(config.provider, url=args.url, timeout_s=3.0))
    engine = build_engine(config, token=args.token, journal=Path(args.journal))
    codes = json.loads(Path(args.codes).read_text())
    deadline = time.monotonic() + args.time_limit
    attempt = 0
    entries = engine.journal.entries()
    while len(entries) < args.operations and time.monotonic() < deadline:
        attempt += 1
        rng = random.Random(f"{args.seed}/{args.index}/{len(entries)}/{attempt}")
        roll = rng.random()
        reversed_ = {e.reverses_entry for e in entries if e.operation == "reversal"}
        reversible = [
            e
            for e in entries
            if e.operation == "redemption" and e.moved_money and e.id not in reversed_
        ]
        try:
            if roll < 0.15 and reversible:
                engine.terminal.reverse(rng.choice(reversible).id)
            elif roll < 0.25:
                serial = f"9{args.index:02d}{len(entries):07d}{attempt % 100_000:05d}"
                engine.terminal.sell(f"SVS_GC-{serial}", amount=rng.randint(500, 5_000))
            else:
                gift = engine.terminal.check(f"SVS_GC-{rng.choice(codes)}")
                engine.terminal.redeem(gift, rng.randint(1, 500))
        except CashierError:
            pass  # a decline, or the provider out of reach: the journal says which
        entries = engine.journal.entries()
    settle_by = time.monotonic() + 20
    while engine.settler.count and time.monotonic() < settle_by:
        engine.settler.wake()
        time.sleep(0.1)
    engine.close()
    return 0


# --- the campaign -------------------------------------------------------------------------


@dataclass
class Process:
    argv: list[str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    killed: int = 0
    crashed: int = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=out, cwd=ROOT)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.killed += 1

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class Campaign:
    args: argparse.Namespace
    tmp: Path
    db: str = ""
    port: int = 0
    made: dict[str, Any] = field(default_factory=dict)
    tills: list[dict[str, str]] = field(default_factory=list)

    def provider_up(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_provider(self, provider: Process) -> None:
        deadline = time.monotonic() + 30
        while not self.provider_up():
            if time.monotonic() > deadline or not provider.running():
                raise SystemExit(f"the provider did not start; see {provider.log}")
            time.sleep(0.05)

    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.made['admin_token']}"}

    def setup(self) -> Process:
        self.db = f"sqlite:///{self.tmp / 'provider.db'}"
        provider_cli = str(BIN / "posapp-provider")
        self.made = json.loads(
            subprocess.run(
                [provider_cli, "init", "--db", self.db, "--store-name", "Chaos"],
                capture_output=True,
                check=True,
            ).stdout
        )
        for i in range(self.args.terminals):
            made = subprocess.run(
                [
                    *(provider_cli, "token", "--db", self.db),
                    *("--store-id", str(self.made["store_id"]), "--name", f"Till {i + 1}"),
                ],
                capture_output=True,
                check=True,
            ).stdout
            self.tills.append(json.loads(made))
        self.port = free_port()
        provider = Process(
            [provider_cli, "serve", "--db", self.db, "--port", str(self.port)],
            self.tmp / "provider.log",
        )
        provider.start()
        self.wait_provider(provider)
        cards = max(20, self.args.operations // 20)
        codes = [f"8{i:014d}" for i in range(cards)]
        with httpx.Client(base_url=f"http://127.0.0.1:{self.port}", headers=self.admin()) as http:
            for code in codes:
                answer = http.post("/v1/gift-cards", json={"code": code, "balance": CARD_BALANCE})
                answer.raise_for_status()
        (self.tmp / "codes.json").write_text(json.dumps(codes))
        return provider

    def run(self) -> dict[str, Any]:
        rng = random.Random(self.args.seed)
        provider = self.setup()
        proxy = FaultProxy(self.port)
        proxy.chaos(random.Random(self.args.seed + 1), delay_s=0.4, **FAULTS)
        per_till = [
            self.args.operations // self.args.terminals
            + (i < self.args.operations % self.args.terminals)
            for i in range(self.args.terminals)
        ]
        journals = [self.tmp / f"journal-{i}.db" for i in range(self.args.terminals)]
        tills = [
            Process(
                [
                    *(sys.executable, __file__, "--terminal", "--url", proxy.url),
                    *("--token", self.tills[i]["token"], "--journal", str(journals[i])),
                    *("--operations", str(per_till[i]), "--codes", str(self.tmp / "codes.json")),
                    *("--seed", str(self.args.seed), "--index", str(i)),
                    *("--time-limit", str(self.args.time_limit)),
                ],
                self.tmp / f"terminal-{i}.log",
            )
            for i in range(self.args.terminals)
        ]
        for till in tills:
            till.start()
        # Kills at random points of the run's progress, terminals and provider mixed.
        kills = ["terminal"] * self.args.terminal_kills + ["provider"] * self.args.provider_kills
        rng.shuffle(kills)
        at = sorted(rng.uniform(0.05, 0.9) * self.args.operations for _ in kills)
        started = time.monotonic()
        deadline = started + self.args.time_limit
        while any(t.running() for t in tills) and time.monotonic() < deadline:
            done = sum(journal_count(j) for j in journals)
            while kills and at and done >= at[0]:
                at.pop(0)
                if kills.pop(0) == "provider":
                    provider.kill()
                    time.sleep(rng.uniform(0.1, 1.0))  # the till sees it down for a while
                    provider.start()
                    self.wait_provider(provider)
                else:
                    running = [t for t in tills if t.running()]
                    if running:
                        victim = rng.choice(running)
                        victim.kill()
                        victim.start()  # it goes on from its journal; its settler settles
            for till in tills:
                if till.proc is not None and till.proc.poll() not in (None, 0):
                    till.crashed += 1  # died by itself: counted, and started again
                    if till.crashed <= 3:
                        till.start()
            if not provider.running():
                provider.crashed += 1
                provider.start()
                self.wait_provider(provider)
            time.sleep(0.05)
        unfinished = sum(t.running() for t in tills)
        for till in tills:
            if till.running():
                till.kill()
                till.killed -= 1  # stopped at the time limit, not a chaos kill
        seconds = time.monotonic() - started
        proxy.set("pass")
        if not provider.running():
            provider.start()
        self.wait_provider(provider)
        settled_now = settle_all(self, journals)
        result = reconcile(self, journals)
        if self.args.check_the_check:
            result["with faults put in"] = self.put_faults_in(journals)
        result.update(
            terminals=self.args.terminals,
            seconds=round(seconds, 1),
            terminal_kills=sum(t.killed for t in tills),
            provider_kills=provider.killed,
            crashes=sum(t.crashed for t in tills) + provider.crashed,
            unfinished_terminals=unfinished,
            settled_at_the_end=settled_now,
            load=os.getloadavg()[0],
        )
        proxy.close()
        provider.proc.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
        provider.proc.wait(30)  # type: ignore[union-attr]
        return result

    def put_faults_in(self, journals: list[Path]) -> dict[str, Any]:
        """The reconciliation again, of a ledger and a journal made wrong on purpose: a
        redemption no journal knows (orphaned), one journalled redemption run a second time
        under a new key (doubled), and a journal entry naming a transaction the ledger does
        not have (lost). Shows the check can fail."""
        from posapp.adapters.journal import Journal
        from posapp.core import intent

        book = Journal(journals[0])
        once = next(e for e in book.entries() if e.operation == "redemption" and e.moved_money)
        codes = json.loads((self.tmp / "codes.json").read_text())
        till = {"Authorization": f"Bearer {self.tills[0]['token']}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{self.port}", headers=till) as http:
            other = http.post("/v1/gifts/validate", json={"code": codes[0]}).json()["gift"]
            for gift_id, amount, key in (
                (other["id"], 777, "in-no-journal"),  # the terminals redeem 1 to 500
                (once.gift_id, once.amount, "again-under-a-new-key"),
            ):
                http.post(
                    f"/v1/gifts/{gift_id}/redemptions",
                    json={"amount": amount},
                    headers={"Idempotency-Key": key},
                ).raise_for_status()
        fake = book.intend(
            intent.redeem(other["id"], amount=5), code=codes[0], currency="USD", key="fake"
        )
        book.record(fake.id, "completed", transaction_id="1", amount=5, gift_id=other["id"])
        book.close()
        return reconcile(self, journals)


def journal_count(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])
    except sqlite3.Error:
        return 0  # not made yet, or busy: asked again next time


def settle_all(campaign: Campaign, journals: list[Path]) -> int:
    """Each journal settled by its own till's engine, straight to the provider."""
    from posapp.app import build_engine
    from posapp.config import Config

    url = f"http://127.0.0.1:{campaign.port}"
    config = Config()
    config = replace(config, provider=replace(config.provider, url=url, timeout_s=5.0))
    settled = 0
    for till, journal in zip(campaign.tills, journals, strict=True):
        if not journal.exists():
            continue
        engine = build_engine(config, token=till["token"], journal=journal, start_settler=False)
        before = engine.settler.count
        deadline = time.monotonic() + 60
        while engine.settler.settle_once(include_pending=True) and time.monotonic() < deadline:
            time.sleep(0.2)
        settled += before - engine.settler.count
        engine.close()
    return settled


def reconcile(campaign: Campaign, journals: list[Path]) -> dict[str, Any]:
    from posapp.adapters.journal import Journal

    url = f"http://127.0.0.1:{campaign.port}"
    with httpx.Client(base_url=url, headers=campaign.admin(), timeout=30) as http:
        # The tills' movements: a card the campaign creates with its balance is a manager's
        # adjustment in the ledger (issue 19.2), which no journal of a till names.
        ledger = [t for t in paged(http, "/v1/transactions") if t["type"] != "adjustment"]
        gifts = paged(http, "/v1/gift-cards", include_canceled=True)
    by_id = {t["id"]: t for t in ledger}
    counts = dict.fromkeys(
        ("operations", "completed", "declined", "unknown then settled", "left unknown"), 0
    )
    lost = 0
    named: set[str] = set()
    moved: dict[str, int] = {}  # what the journals say happened to each gift's balance
    signs = {"redemption": -1, "reversal": 1, "activation": 1}
    for path in journals:
        if not path.exists():
            continue
        book = Journal(path)
        for entry in book.entries():
            counts["operations"] += 1
            counts["unknown then settled"] += entry.state == "settled"
            if entry.to_settle:
                counts["left unknown"] += 1
            elif entry.moved_money:
                counts["completed"] += 1
                if entry.transaction_id not in by_id:
                    lost += 1
                    continue
                named.add(str(entry.transaction_id))
                txn = by_id[entry.transaction_id]
                moved[txn["gift_id"]] = moved.get(txn["gift_id"], 0) + signs[txn["type"]] * (
                    txn["amount"] or 0
                )
            else:
                counts["declined"] += 1
        book.close()
    locations = {t["location_id"] for t in campaign.tills}
    strays = [t for t in ledger if t["location_id"] in locations and t["id"] not in named]
    kinds = {(by_id[i]["gift_id"], by_id[i]["type"], by_id[i]["amount"]) for i in named}
    doubled = sum((t["gift_id"], t["type"], t["amount"]) in kinds for t in strays)
    mismatches = 0
    for gift in gifts:
        own = [t for t in ledger if t["gift_id"] == gift["id"]]
        redeemed = sum(t["amount"] for t in own if t["type"] == "redemption")
        back = sum(t["amount"] for t in own if t["type"] == "reversal")
        start = gift["starting_balance"]
        activated = any(t["type"] == "activation" for t in own)
        said = (0 if activated else start) + moved.get(gift["id"], 0)
        if start - redeemed + back != gift["balance"] or said != gift["balance"]:
            mismatches += 1
    return {
        **counts,
        "lost": lost,
        "doubled": doubled,
        "orphaned": len(strays) - doubled,
        "balance mismatches": mismatches,
        "gifts": len(gifts),
        "ledger movements": len(ledger),
    }


def paged(http: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = None
    while True:
        page = http.get(
            path, params={"limit": 100, **params, **({"after": after} if after else {})}
        )
        page.raise_for_status()
        rows = page.json()
        found += rows
        if len(rows) < 100:
            return found
        after = rows[-1]["id"]


ROWS = (
    "operations",
    "completed",
    "declined",
    "unknown then settled",
    "left unknown",
    "lost",
    "doubled",
    "orphaned",
    "balance mismatches",
    "crashes",
)


def table(result: dict[str, Any]) -> str:
    faults = ", ".join(f"{rate:.0%} {name.replace('_', ' ')}" for name, rate in FAULTS.items())
    lines = [
        f"chaos: {result['terminals']} terminals, {result['terminal_kills']} terminal and "
        f"{result['provider_kills']} provider SIGKILLs, {result['gifts']} gifts, "
        f"{result['seconds']} s, load {result['load']:.2f}; proxy faults: {faults}",
        *(f"  {row:<22}{result[row]:>8}" for row in ROWS),
    ]
    if result["unfinished_terminals"]:
        lines.append(f"  ({result['unfinished_terminals']} terminals stopped at the time limit)")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminals", type=int, default=8, help="terminal processes")
    parser.add_argument("--operations", type=int, default=10_000, help="money operations in all")
    parser.add_argument("--terminal-kills", type=int, default=None, help="default: 1 a 300 ops")
    parser.add_argument("--provider-kills", type=int, default=None, help="default: 1 a 1,000 ops")
    parser.add_argument("--time-limit", type=float, default=1800, help="seconds for the run")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", action="store_true", help="print the result as JSON too")
    parser.add_argument(
        "--check-the-check",
        action="store_true",
        help="after the run, put a lost and an orphaned movement in and reconcile again",
    )
    # A terminal process, started by the campaign.
    parser.add_argument("--terminal", action="store_true", help=argparse.SUPPRESS)
    for name in ("--url", "--token", "--journal", "--codes"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.terminal:
        return terminal(args)
    if args.terminal_kills is None:
        args.terminal_kills = max(1, args.operations // 300)
    if args.provider_kills is None:
        args.provider_kills = max(1, args.operations // 1000)
    with tempfile.TemporaryDirectory(prefix="posapp-chaos-") as tmp:
        result = Campaign(args, Path(tmp)).run()
    print(table(result), flush=True)
    if args.json:
        print(json.dumps(result), flush=True)
    bad = sum(result[k] for k in ("left unknown", "lost", "doubled", "orphaned"))
    return 1 if bad or result["balance mismatches"] or result["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
