"""The chaos campaign of issues 13 and 18, in the project: terminals and provider killed and
faulted, then every journal reconciled against the ledger.

N terminal processes, each the real engine (posapp.app.build_engine) with its own journal
and its own token and location, redeem, reverse and sell cards against `posapp-provider
serve` (SQLite) through a fault proxy on loopback that delays, resets before forwarding,
drops the answer after the provider committed, or lies: a money call's answer rewritten to
name another card, a smaller or negative amount, a balance that went up, another currency or
type (benchmarks/chaos_faults.py). Meanwhile, at random points of the run:
- terminals and the provider are SIGKILLed and started again: a terminal goes on from its
  journal, and its settler settles what the kill left;
- the provider is restarted with its clock three days ahead, past its key retention, so it
  forgets every idempotency key (issue 18's long weekend); every answer is lost for a few
  seconds before, so that movements committed and not confirmed wait across the jump;
- a terminal's journal disk (a small tmpfs of its own; skipped, with the reason, where
  mounting is impossible) is filled to its last byte for a few seconds, then freed.
At the end the proxy passes, every journal is settled, and each is reconciled against the
provider's ledger, and every receipt the terminals printed is held to it
(benchmarks/chaos_reconcile.py says each figure).

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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.chaos_faults import JournalDisks, Liar, provider_keys, to_settle  # noqa: E402
from benchmarks.chaos_offline import (  # noqa: E402
    offline_bad,
    offline_table,
    offline_terminal,
    run_offline,
)
from benchmarks.chaos_reconcile import (  # noqa: E402
    events,
    fault_counts,
    put_faults_in,
    reconcile,
    settle_all,
    table,
)
from benchmarks.chaos_terminal import terminal  # noqa: E402
from tests.faultproxy import FaultProxy  # noqa: E402  (the repo root first)

BIN = Path(sys.executable).parent
CARD_BALANCE = 100_000
FAULTS = {"delay": 0.10, "reset_before": 0.06, "drop_answer": 0.06}
AHEAD_S = 3 * 24 * 3600  # a long weekend: past the provider's 48 hours of keys


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    offset_s: float = 0.0  # the provider's clock, ahead of the machine's
    made: dict[str, Any] = field(default_factory=dict)
    tills: list[dict[str, str]] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    # The proxy's chaos, set again after each clock jump's blackout.
    chaos_rng: random.Random = field(default_factory=random.Random)
    rates: dict[str, float] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def provider_up(self) -> bool:
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
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

    def provider_argv(self) -> list[str]:
        return [
            *(str(BIN / "posapp-provider"), "serve", "--db", self.db, "--port", str(self.port)),
            *("--clock-offset-s", str(self.offset_s)),
        ]

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
        provider = Process(self.provider_argv(), self.tmp / "provider.log")
        provider.start()
        self.wait_provider(provider)
        cards = max(20, self.args.operations // 20)
        codes = [f"8{i:014d}" for i in range(cards)]
        with httpx.Client(base_url=self.url, headers=self.admin()) as http:
            for code in codes:
                answer = http.post("/v1/gift-cards", json={"code": code, "balance": CARD_BALANCE})
                answer.raise_for_status()
        (self.tmp / "codes.json").write_text(json.dumps(codes))
        return provider

    def clock_ahead(self, provider: Process, journals: list[Path], proxy: FaultProxy) -> None:
        """Issue 18's long weekend: every answer lost for a while (what commits then is not
        confirmed), the provider killed and started with its clock three days on, so that
        it forgets every key; then the proxy's chaos again."""
        drawn = proxy.drawn
        proxy.set("drop_answer")
        time.sleep(self.args.blackout_s)
        provider.kill()
        self.faults["movements not confirmed across the clock jumps"] += sum(
            map(to_settle, journals)
        )
        kept = provider_keys(self.tmp / "provider.db")
        self.offset_s += AHEAD_S
        provider.argv = self.provider_argv()
        provider.start()
        self.wait_provider(provider)
        self.faults["keys forgotten at those restarts"] += kept - provider_keys(
            self.tmp / "provider.db"
        )
        self.faults["restarts with the clock 3 days ahead"] += 1
        proxy.chaos(self.chaos_rng, delay_s=0.4, **self.rates)
        proxy.drawn = drawn

    def run(self) -> dict[str, Any]:
        rng = random.Random(self.args.seed)
        load_start = os.getloadavg()[0]
        provider = self.setup()
        disks = JournalDisks(self.tmp, self.args.terminals)
        try:
            return self._run(rng, provider, disks, load_start)
        finally:
            disks.close()

    def _run(
        self, rng: random.Random, provider: Process, disks: JournalDisks, load_start: float
    ) -> dict[str, Any]:
        proxy = FaultProxy(self.port)
        liar = Liar(random.Random(self.args.seed + 2))
        self.chaos_rng = random.Random(self.args.seed + 1)
        self.rates = {**FAULTS, "lie": self.args.lie_rate}
        proxy.chaos(self.chaos_rng, delay_s=0.4, liar=liar, **self.rates)
        per_till = [
            self.args.operations // self.args.terminals
            + (i < self.args.operations % self.args.terminals)
            for i in range(self.args.terminals)
        ]
        journals = [disks.journal(i) for i in range(self.args.terminals)]
        notes = [self.tmp / f"events-{i}.jsonl" for i in range(self.args.terminals)]
        tills = [
            Process(
                [
                    *(sys.executable, __file__, "--terminal", "--url", proxy.url),
                    *("--token", self.tills[i]["token"], "--journal", str(journals[i])),
                    *("--operations", str(per_till[i]), "--codes", str(self.tmp / "codes.json")),
                    *("--seed", str(self.args.seed), "--index", str(i)),
                    *("--time-limit", str(self.args.time_limit), "--events", str(notes[i])),
                ],
                self.tmp / f"terminal-{i}.log",
            )
            for i in range(self.args.terminals)
        ]
        for till in tills:
            till.start()
        # Faults at random points of the run's progress, all kinds mixed.
        fulls = 0 if disks.skipped else self.args.disk_fulls
        kills = (
            ["terminal"] * self.args.terminal_kills
            + ["provider"] * self.args.provider_kills
            + ["clock ahead"] * self.args.clock_ahead
            + ["disk full"] * fulls
        )
        rng.shuffle(kills)
        at = sorted(rng.uniform(0.05, 0.9) * self.args.operations for _ in kills)
        started = time.monotonic()
        deadline = started + self.args.time_limit
        while any(t.running() for t in tills) and time.monotonic() < deadline:
            done = sum(journal_count(j) for j in journals)
            while kills and at and done >= at[0]:
                at.pop(0)
                kind = kills.pop(0)
                running = [i for i, t in enumerate(tills) if t.running()]
                if kind == "provider":
                    provider.kill()
                    time.sleep(rng.uniform(0.1, 1.0))  # the till sees it down for a while
                    provider.start()
                    self.wait_provider(provider)
                elif kind == "clock ahead":
                    self.clock_ahead(provider, journals, proxy)
                elif kind == "disk full" and running:
                    index = rng.choice(running)
                    if index not in disks.full:
                        disks.fill(index, time.monotonic() + rng.uniform(1.0, 4.0))
                elif kind == "terminal" and running:
                    index = rng.choice(running)
                    if index in disks.full:
                        self.faults["terminal SIGKILLs while its journal disk was full"] += 1
                    tills[index].kill()
                    tills[index].start()  # it goes on from its journal; its settler settles
            disks.free_due(time.monotonic())
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
        disks.free_due(float("inf"))
        proxy.set("pass")
        if not provider.running():
            provider.start()
        self.wait_provider(provider)
        settled_now = settle_all(self.url, self.tills, journals)
        seen = [e for path in notes for e in events(path)]
        receipts = [e["receipt"] for e in seen if "receipt" in e]
        result = reconcile(
            self.url, self.admin(), self.tills, journals, receipts=receipts, told=liar.told
        )
        if self.args.check_the_check:
            result["with faults put in"] = put_faults_in(self, journals, receipts, liar.told)
        result.update(
            terminals=self.args.terminals,
            seed=self.args.seed,
            seconds=round(seconds, 1),
            crashes=sum(t.crashed for t in tills) + provider.crashed,
            unfinished_terminals=unfinished,
            settled_at_the_end=settled_now,
            load_start=load_start,
            load=os.getloadavg()[0],
            faults=fault_counts(self.faults, proxy, liar, disks, tills, provider, seen),
            lies_told=len(liar.told),
            clock_ahead=self.faults["restarts with the clock 3 days ahead"],
            keys_forgotten=self.faults["keys forgotten at those restarts"],
            disk_fulls=disks.fills,
            disk_full_skipped=disks.skipped,
        )
        proxy.close()
        provider.proc.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
        provider.proc.wait(30)  # type: ignore[union-attr]
        return result


def journal_count(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])
    except sqlite3.Error:
        return 0  # not made yet, or busy: asked again next time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminals", type=int, default=8, help="terminal processes")
    parser.add_argument("--operations", type=int, default=10_000, help="money operations in all")
    parser.add_argument("--terminal-kills", type=int, default=None, help="default: 1 a 300 ops")
    parser.add_argument("--provider-kills", type=int, default=None, help="default: 1 a 1,000 ops")
    parser.add_argument(
        "--clock-ahead",
        type=int,
        default=None,
        help="provider restarts with its clock 3 days ahead (keys forgotten); default: 1 a "
        "2,500 ops",
    )
    parser.add_argument(
        "--blackout-s",
        type=float,
        default=4.0,
        help="seconds every answer is lost before each of those (longer than a call's 3 s)",
    )
    parser.add_argument(
        "--disk-fulls", type=int, default=None, help="journal disks filled; default: 1 a 500 ops"
    )
    parser.add_argument(
        "--lie-rate", type=float, default=0.03, help="share of requests drawing a lie"
    )
    parser.add_argument("--time-limit", type=float, default=1800, help="seconds for the run")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", action="store_true", help="print the result as JSON too")
    parser.add_argument(
        "--check-the-check",
        action="store_true",
        help="after the run, put a lost, an orphaned, a doubled movement and lies in and "
        "reconcile again",
    )
    # The offline phase (issue 24, benchmarks/chaos_offline.py).
    parser.add_argument("--offline", action="store_true", help="then the offline phase (issue 24)")
    parser.add_argument("--offline-only", action="store_true", help="the offline phase alone")
    parser.add_argument("--offline-operations", type=int, default=600, help="its operations")
    parser.add_argument("--offline-cards", type=int, default=24, help="its cards ($2,000.00 each)")
    parser.add_argument("--outages", type=int, default=4, help="its outages, the two kinds in turn")
    parser.add_argument("--up-s", type=float, default=3.0, help="seconds online before each")
    parser.add_argument("--down-s", type=float, default=8.0, help="seconds each lasts")
    parser.add_argument("--drain", type=int, default=2, help="cards spent elsewhere in each")
    parser.add_argument("--shift-limit", type=int, default=20_000, help="[offline] shift_limit")
    parser.add_argument("--pause-s", type=float, default=0.02, help="a till's pause between")
    parser.add_argument("--offline-terminal", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--until", default="", help=argparse.SUPPRESS)  # sells on until it is
    # A terminal process, started by the campaign.
    parser.add_argument("--terminal", action="store_true", help=argparse.SUPPRESS)
    for name in ("--url", "--token", "--journal", "--codes", "--events"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.terminal:
        return terminal(args)  # benchmarks/chaos_terminal.py
    if args.offline_terminal:
        return offline_terminal(args)  # benchmarks/chaos_offline.py
    if args.offline_only:
        return offline_phase(args)
    if args.terminal_kills is None:
        args.terminal_kills = max(1, args.operations // 300)
    if args.provider_kills is None:
        args.provider_kills = max(1, args.operations // 1000)
    if args.clock_ahead is None:
        args.clock_ahead = max(1, args.operations // 2500)
    if args.disk_fulls is None:
        args.disk_fulls = max(1, args.operations // 500)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="posapp-chaos-") as tmp:
        result = Campaign(args, Path(tmp)).run()
    result["wall_s"] = round(time.monotonic() - began, 1)
    print(table(result), flush=True)
    if args.json:
        print(json.dumps(result), flush=True)
    bad = sum(
        result[k]
        for k in (
            "left unknown",
            "lost",
            "doubled",
            "orphaned",
            "lies printed",
            "canceled yet in the ledger",
        )
    )
    bad += result["lies believed"] + result["balance mismatches"] + result["crashes"]
    if args.offline:
        bad += offline_phase(args)
    return 1 if bad else 0


def offline_phase(args: argparse.Namespace) -> int:
    """The offline phase on a provider of its own (benchmarks/chaos_offline.py): its table,
    and 1 when anything was lost, doubled or forwarded out of order."""
    args.operations = min(args.operations, 200)  # the setup's own cards: few
    with tempfile.TemporaryDirectory(prefix="posapp-chaos-offline-") as tmp:
        campaign = Campaign(args, Path(tmp))
        provider = campaign.setup()
        try:
            result = run_offline(campaign, provider, args)
        finally:
            if provider.running():
                provider.proc.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
                provider.proc.wait(30)  # type: ignore[union-attr]
    print(offline_table(result), flush=True)
    if args.json:
        print(json.dumps(result), flush=True)
    return 1 if offline_bad(result) else 0


if __name__ == "__main__":
    sys.exit(main())
