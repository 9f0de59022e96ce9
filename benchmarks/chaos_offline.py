"""The offline phase of benchmarks/chaos.py (issue 24): tills selling while the provider
cannot be reached, then forwarding what they took.

N terminal processes, each the real engine with `[offline]` on (floor $25.00, a shift limit
of --shift-limit cents), check and redeem cards through a fault proxy on loopback. At
intervals the tills lose the provider for a few seconds, two ways in turn:
- "the store's internet drops": the proxy stops listening (the connection is refused,
  nothing is sent) while the provider runs on; meanwhile a till of another store, straight
  to the provider, spends all but a few dollars of a few cards, so what this store took
  offline on them above that is declined when forwarded (the store's loss);
- "the provider stops": the provider process is SIGKILLed and the proxy refuses; both come
  back together.
A card that cannot be checked is redeemed offline from its last known balance within the
rules (core/offline.py); each refusal is counted by its words. At the end every journal is
settled (forwarded) and held against the provider's ledger:
- lost: an offline receipt printed with no journal entry, or an offline entry still to send;
- doubled: a key the ledger holds more than once, or a declined one the ledger holds at all;
- out of order: a till's forwarded redemptions in the ledger not in the order taken;
- the losses: declined when forwarded, and their sum (the X report's "Offline" line).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import httpx

FLOOR = 2500
CARD_BALANCE = 200_000


def refusal_kind(words: str) -> str:
    """A refusal as the table counts it, by its words (core/offline.py, core/settling.py)."""
    for part, kind in (
        ("a card may pay at most", "over the floor"),
        ("this shift may take at most", "over the shift's limit"),
        ("never seen card", "never seen online"),
        ("when last seen online", "over its last known balance"),
        ("paid", "the card's offline redemption not sent yet"),
        ("not confirmed yet", "a movement not confirmed yet"),
        ("left on this card", "declined online: less on the card than asked"),
        ("used up", "declined online: the card used up"),
    ):
        if part in words:
            return kind
    return f"other: {words[:70]}"


# --- a till ---------------------------------------------------------------------------------


def offline_terminal(args: argparse.Namespace) -> int:
    """One till with [offline] on: --operations checks and redemptions, online when the
    provider answers, offline when it is not reached; each receipt and refusal to --events."""
    from posapp.config import Config
    from posapp.config_offline import OfflineConfig

    config = Config()
    config = replace(
        config,
        provider=replace(config.provider, url=args.url, timeout_s=2.0),
        offline=OfflineConfig(floor=FLOOR, shift_limit=args.shift_limit),
    )
    codes = json.loads(Path(args.codes).read_text())
    with Path(args.events).open("a", buffering=1) as out:
        return _sell(args, config, codes, out)


def _sell(args: argparse.Namespace, config: Any, codes: list[str], out: TextIO) -> int:
    from posapp.app import build_engine
    from posapp.terminal.offline import NotChecked
    from posapp.terminal.ports import CashierError

    def note(**event: Any) -> None:
        out.write(json.dumps(event) + "\n")

    engine = build_engine(config, token=args.token, journal=Path(args.journal))
    engine.settler.backoff = (0.2, 0.5, 1.0)
    deadline = time.monotonic() + args.time_limit
    rng = random.Random(f"{args.seed}/offline/{args.index}")
    # At least --operations, and on until the phase's outages are over (--until exists): a
    # quiet machine sold them all before the first outage, and nothing went offline.
    done = 0
    while done < args.operations or (args.until and not Path(args.until).exists()):
        done += 1
        if time.monotonic() > deadline:
            break
        code, amount = rng.choice(codes), rng.randint(100, 3000)
        try:
            try:
                gift = engine.terminal.check(f"SVS_GC-{code}")
            except NotChecked:
                last = engine.terminal.offline.last_known(code)
                if last is None:
                    note(said="never seen online")
                    continue
                receipt = engine.terminal.offline.redeem(last, amount)
            else:
                receipt = engine.terminal.redeem(gift, min(amount, gift.eligible_value or 1))
        except CashierError as exc:
            note(said=refusal_kind(str(exc)), offline=engine.terminal.offline.selling())
        else:
            note(receipt={"offline": receipt.offline, "not_confirmed": receipt.not_confirmed})
        time.sleep(args.pause_s)
    settle_by = time.monotonic() + 30
    while engine.settler.count and time.monotonic() < settle_by:
        engine.settler.wake()
        time.sleep(0.1)
    engine.close()
    return 0


# --- the phase ------------------------------------------------------------------------------


def run_offline(campaign: Any, provider: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The phase on the campaign's provider (`provider`, started by `campaign.setup`, with a
    token a till): its own cards, its own tills, its outages; the result for
    `offline_table`."""
    from benchmarks.chaos import Process
    from benchmarks.chaos_reconcile import events, settle_all
    from tests.faultproxy import FaultProxy

    tmp: Path = campaign.tmp
    codes = [f"6{i:014d}" for i in range(args.offline_cards)]
    with httpx.Client(base_url=campaign.url, headers=campaign.admin()) as http:
        for code in codes:
            made = http.post("/v1/gift-cards", json={"code": code, "balance": CARD_BALANCE})
            made.raise_for_status()
    (tmp / "offline-codes.json").write_text(json.dumps(codes))
    proxy = FaultProxy(campaign.port)
    tills = campaign.tills[: args.terminals]
    journals = [tmp / f"offline-{i}.db" for i in range(len(tills))]
    notes = [tmp / f"offline-events-{i}.jsonl" for i in range(len(tills))]
    procs = [
        Process(
            [
                *(sys.executable, str(Path(__file__).with_name("chaos.py"))),
                *("--offline-terminal", "--url", proxy.url, "--token", tills[i]["token"]),
                *("--journal", str(journals[i]), "--codes", str(tmp / "offline-codes.json")),
                *("--operations", str(args.offline_operations // len(tills))),
                *("--seed", str(args.seed), "--index", str(i)),
                *("--time-limit", str(args.time_limit), "--events", str(notes[i])),
                *("--shift-limit", str(args.shift_limit), "--pause-s", str(args.pause_s)),
                *("--until", str(tmp / "offline-outages-over")),
            ],
            tmp / f"offline-terminal-{i}.log",
        )
        for i in range(len(tills))
    ]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    rng = random.Random(args.seed + 24)
    outages: Counter[str] = Counter()
    drained: list[str] = []
    for n in range(args.outages):
        time.sleep(args.up_s)
        if not any(p.running() for p in procs):
            break
        proxy.refuse()
        if n % 2 == 0:  # the store's internet drops: another store spends cards meanwhile
            outages["the store's connection refused, the provider up"] += 1
            drained += spend_elsewhere(campaign, tills, codes, rng, args.drain)
            time.sleep(args.down_s)
        else:  # the provider stops
            outages["the provider stopped (SIGKILL) and started"] += 1
            provider.kill()
            time.sleep(args.down_s)
            provider.start()
            campaign.wait_provider(provider)
        proxy.listen()
    (tmp / "offline-outages-over").touch()  # the tills finish their operations and stop
    deadline = started + args.time_limit
    while any(p.running() for p in procs) and time.monotonic() < deadline:
        time.sleep(0.1)
    unfinished = sum(p.running() for p in procs)
    for proc in procs:
        if proc.running():
            proc.kill()
    seconds = time.monotonic() - started
    settled = settle_all(campaign.url, tills, journals)
    seen = [e for path in notes for e in events(path)]
    result = reconcile_offline(campaign, tills, journals, seen)
    result.update(
        terminals=len(tills),
        seconds=round(seconds, 1),
        outages=dict(outages),
        cards_spent_elsewhere=len(set(drained)),
        settled_at_the_end=settled,
        unfinished_terminals=unfinished,
    )
    proxy.close()
    return result


def spend_elsewhere(
    campaign: Any, tills: list[dict[str, str]], codes: list[str], rng: random.Random, n: int
) -> list[str]:
    """A till of another store, straight to the provider, spends all but a few dollars of
    `n` cards."""
    from posapp.adapters.api_client import ProviderClient
    from posapp.core import intent as intents
    from posapp.terminal.ports import ProviderError

    made = subprocess.run(
        [
            *(str(Path(sys.executable).parent / "posapp-provider"), "token"),
            *("--db", campaign.db, "--store-id", str(campaign.made["store_id"])),
            *("--name", "Another store's till"),
        ],
        capture_output=True,
        check=True,
    ).stdout
    client = ProviderClient(campaign.url, json.loads(made)["token"])
    spent = []
    try:
        for code in rng.sample(codes, n):
            try:
                gift = client.validate(code=code)
                spend = gift.eligible_value - rng.randint(0, 300)  # a few dollars stay
                if spend > 0:
                    wanted = intents.redeem(gift.id, amount=spend)
                    key = f"elsewhere-{code}-{time.time_ns()}"
                    client.send(wanted.referenced(key), key)
                    spent.append(code)
            except ProviderError:
                continue
    finally:
        client.close()
    return spent


def reconcile_offline(
    campaign: Any, tills: list[dict[str, str]], journals: list[Path], seen: list[dict[str, Any]]
) -> dict[str, Any]:
    from benchmarks.chaos_reconcile import paged
    from posapp.adapters.journal import Journal
    from posapp.app import build_engine
    from posapp.config import Config

    with httpx.Client(base_url=campaign.url, headers=campaign.admin()) as http:
        ledger = [t for t in paged(http, "/v1/transactions") if t["type"] == "redemption"]
    by_reference: dict[str, list[dict[str, Any]]] = {}
    for txn in ledger:
        by_reference.setdefault(txn.get("client_reference") or "", []).append(txn)
    counts: Counter[str] = Counter()
    not_collected = 0
    for path in journals:
        journal = Journal(path)
        try:
            entries = journal.entries()
        finally:
            journal.close()
        forwarded: list[datetime] = []
        for entry in entries:
            if entry.operation != "redemption":
                continue
            reference = entry.intent.client_reference or entry.idempotency_key
            held = by_reference.get(reference, [])
            if not entry.offline:
                counts["online redemptions"] += 1
                counts["doubled"] += len(held) > 1
                continue
            counts["offline: accepted"] += 1
            if entry.to_settle:
                counts["lost"] += 1  # an offline redemption still to send at the end
            elif entry.moved_money:
                counts["offline: confirmed when forwarded"] += 1
                counts["doubled"] += len(held) != 1 or held[0]["amount"] != entry.amount
                if held:
                    forwarded.append(datetime.fromisoformat(held[0]["created_at"]))
            elif entry.lost:
                counts["offline: declined when forwarded (losses)"] += 1
                not_collected += entry.amount or 0
                counts["doubled"] += len(held) > 0  # declined, yet charged
        counts["out of order"] += sum(a > b for a, b in itertools.pairwise(forwarded))
    printed = sum(1 for e in seen if e.get("receipt", {}).get("offline"))
    counts["lost"] += max(0, printed - counts["offline: accepted"])  # a receipt, no entry
    refusals = Counter(e["said"] for e in seen if "said" in e)
    config = Config()
    config = replace(config, provider=replace(config.provider, url=campaign.url))
    engine = build_engine(config, token=tills[0]["token"], journal=journals[0], start_settler=False)
    try:
        report = [f"{line.label}: {line.value}" for line in engine.terminal.shift.x_report().lines]
    finally:
        engine.close()
    return {
        **{row: counts[row] for row in ROWS},
        "not collected": not_collected,
        "offline receipts printed": printed,
        "refusals": dict(refusals),
        "report": [line for line in report if line.startswith(("Offline", "Not collected"))],
    }


ROWS = (
    "online redemptions",
    "offline: accepted",
    "offline: confirmed when forwarded",
    "offline: declined when forwarded (losses)",
    "lost",
    "doubled",
    "out of order",
)


def offline_table(result: dict[str, Any]) -> str:
    lost = f"${result['not collected'] / 100:,.2f}"
    lines = [
        f"offline phase: {result['terminals']} terminals, {result['seconds']} s, floor "
        f"${FLOOR / 100:.2f}, outages {sum(result['outages'].values())}",
        *(f"  {row:<44}{result[row]:>8}" for row in ROWS),
        f"  {'not collected (the losses)':<44}{lost:>8}",
        "outages:",
        *(f"  {name:<58}{value:>8}" for name, value in result["outages"].items()),
        f"  {'cards spent at another store meanwhile':<58}{result['cards_spent_elsewhere']:>8}",
        "refused or declined, by their words:",
        *(f"  {name:<58}{value:>8}" for name, value in sorted(result["refusals"].items())),
        "till 1's X report:",
        *(f"  {line}" for line in result["report"]),
    ]
    if result["unfinished_terminals"]:
        lines.append(f"  ({result['unfinished_terminals']} terminals stopped at the time limit)")
    return "\n".join(lines)


def offline_bad(result: dict[str, Any]) -> int:
    return int(result["lost"] + result["doubled"] + result["out of order"])
