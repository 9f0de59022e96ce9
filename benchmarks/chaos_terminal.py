"""A terminal process of benchmarks/chaos.py: the real engine (posapp.app.build_engine) with
its own journal, token and location, redeeming, reversing and selling cards. What it was
told and every receipt it printed go to its events file, a line each, for the
reconciliation (benchmarks/chaos_reconcile.py)."""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO


def said(error: Exception) -> str:
    """What the cashier was told, as the campaign counts it."""
    from posapp.terminal.ports import NotConfirmed

    text = str(error)
    if isinstance(error, NotConfirmed):
        return "not confirmed: the journal could not write the outcome"
    if text.startswith("Nothing was charged. The till cannot write"):
        return "nothing sent: the journal could not take the intent"
    if text.startswith("Nothing was charged.") and "cannot write to its journal" in text:
        return "nothing charged: the journal could not write that no"
    if text.startswith("Wait:"):
        return "a card waiting to settle refused"
    return "declined, or the provider out of reach"


def terminal(args: argparse.Namespace) -> int:
    """One till: its money operations until its journal holds --operations of them. What it
    was told and every receipt it printed go to --events, a line each."""
    from posapp.config import Config

    config = Config()
    config = replace(config, provider=replace(config.provider, url=args.url, timeout_s=3.0))
    codes = json.loads(Path(args.codes).read_text())
    deadline = time.monotonic() + args.time_limit
    # A line each, flushed: a SIGKILL cuts one at most.
    with Path(args.events).open("a", buffering=1) as out:
        return _run(args, config, codes, deadline, out)


def _run(
    args: argparse.Namespace, config: Any, codes: list[str], deadline: float, out: TextIO
) -> int:
    from posapp.app import build_engine
    from posapp.terminal.ports import CashierError, JournalUnwritable

    def note(**event: Any) -> None:
        out.write(json.dumps(event) + "\n")

    while True:
        try:
            engine = build_engine(config, token=args.token, journal=Path(args.journal))
            break
        except JournalUnwritable:  # its disk full: the till says so, and is started again
            note(said="a start refused: the journal could not be written")
            if time.monotonic() > deadline:
                return 0
            time.sleep(0.2)
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
                receipt = engine.terminal.reverse(rng.choice(reversible).id)
            elif roll < 0.25:
                serial = f"9{args.index:02d}{len(entries):07d}{attempt % 100_000:05d}"
                receipt = engine.terminal.sell(f"SVS_GC-{serial}", amount=rng.randint(500, 5_000))
            else:
                gift = engine.terminal.check(f"SVS_GC-{rng.choice(codes)}")
                receipt = engine.terminal.redeem(gift, rng.randint(1, 500))
        except CashierError as exc:
            note(said=said(exc))  # a decline, the provider out of reach, the journal full
        else:
            lines = [[line.label, line.value] for line in receipt.lines]
            note(
                receipt={
                    "kind": receipt.kind,
                    "not_confirmed": receipt.not_confirmed,
                    "transaction_id": receipt.transaction_id,
                    "lines": lines,
                }
            )
        entries = engine.journal.entries()
    settle_by = time.monotonic() + 30
    while engine.settler.count and time.monotonic() < settle_by:
        engine.settler.wake()
        time.sleep(0.1)
    engine.close()
    return 0
