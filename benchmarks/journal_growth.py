"""What a long open shift costs the till (issue 14, point 1). Run under Xvfb (`xvfb-run -a`).

Fills a journal through posapp's own Journal (intend, then record as completed; SQLite's
synchronous is off while filling, for time) to 0, 10,000, 100,000 and 500,000 entries in
the open shift. At each size a fresh process starts the till on a copy of that journal,
against the demo provider, and measures: the longest Tk stall from the window's creation
until 1.5 s later (a 5 ms after() heartbeat), the time to a painted shift list, scan to
painted balance (p50 of 30 wedge scans), the X report and the Z report (which closes the
copy's shift), and the process's peak RSS. Target: each within 1.5 times its 0-entry
figure at 500,000.

--source DIR runs posapp from another checkout (e.g. a `git worktree` of the commit
before), so a before and an after are measured by one benchmark in one sitting.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
SIZES = (0, 10_000, 100_000, 500_000)
NAMES = {
    "stall_ms": "longest Tk stall at start (ms)",
    "shift_list_ms": "time to a painted shift list (ms)",
    "scan_ms": "scan to painted balance, p50 (ms)",
    "x_report_ms": "X report (ms)",
    "z_report_ms": "Z report (ms)",
    "rss_mb": "peak RSS (MB)",
}


def fill(path: Path, upto: int, start: int) -> None:
    """Entries start..upto-1, each an intent and its completed outcome, as a till writes."""
    from posapp.adapters.journal import Journal
    from posapp.core import intent as intents

    class Filling(Journal):
        def _connect(self) -> Any:
            db = super()._connect()
            db.execute("PRAGMA synchronous=OFF")  # filling only: not the till's setting
            return db

    journal = Filling(path)
    for i in range(start, upto):
        entry = journal.intend(
            intents.redeem("1", amount=100 + i % 900),
            code=f"5000000000{i:08d}",
            currency="USD",
            key=f"fill-{i}",
        )
        journal.record(entry.id, "completed", transaction_id=str(10**15 + i), balance_after=5)
    journal.close()


def measure(journal: Path) -> dict[str, float]:
    """In its own process: the till started on `journal`, the figures of one size."""
    import statistics
    import tkinter as tk
    from dataclasses import replace

    from hardware.printers.transports import NetworkTransport
    from posapp.app import build_engine, build_window
    from posapp.config import Config
    from posapp.demo import DemoWorld

    sys.path.insert(0, str(HERE))
    from benchmarks.ui_latency import scan_latency
    from tests.gui.conftest import pump_until

    folder = Path(tempfile.mkdtemp(prefix="posapp-journal-bench-"))
    world = DemoWorld(folder)
    world.wait_ready()
    config = world.config(Config(), folder)
    config = replace(config, provider=replace(config.provider, timeout_s=10.0))
    engine = build_engine(
        config, token=world.made["terminal_token"], journal=journal, start_settler=False
    )
    root = tk.Tk()
    root.geometry("1024x768+0+0")
    beats = [time.perf_counter()]

    def beat() -> None:
        beats.append(time.perf_counter())
        root.after(5, beat)

    root.after(5, beat)
    window = build_window(
        root,
        config,
        engine,
        transport=NetworkTransport("127.0.0.1", world.printer.port),
        sound=lambda _kind: None,
    )
    until = time.perf_counter() + 1.5
    pump_until(root, lambda: time.perf_counter() > until, 30, pause=0)
    stall = max(b - a for a, b in itertools.pairwise(beats))

    painted: list[float] = []
    paint = window.shift_list.paint
    window.shift_list.paint = lambda *a, **k: (paint(*a, **k), painted.append(1))  # type: ignore[method-assign]
    start = time.perf_counter()
    window.refresh_shift()
    pump_until(root, lambda: painted, 120, pause=0)
    root.update_idletasks()
    shift_list = time.perf_counter() - start

    scans = sorted(scan_latency(root, window, scans=30))
    terminal = engine.terminal
    start = time.perf_counter()
    terminal.shift.x_report()
    x_report = time.perf_counter() - start
    start = time.perf_counter()
    terminal.shift.z_report()
    z_report = time.perf_counter() - start
    window.close()
    window.worker.close(wait=True)
    engine.close()
    root.destroy()
    world.close()
    return {
        "stall_ms": stall * 1000,
        "shift_list_ms": shift_list * 1000,
        "scan_ms": statistics.median(scans) * 1000,
        "x_report_ms": x_report * 1000,
        "z_report_ms": z_report * 1000,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help="run posapp from this checkout")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a journal, in the child
    args = parser.parse_args()
    source = Path(args.source).resolve() if args.source else HERE
    sys.path.insert(0, str(source))
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        journal, copy = Path(folder) / "journal.db", Path(folder) / "measured.db"
        done = 0
        for size in sizes:
            start = time.perf_counter()
            fill(journal, size, done)
            done = size
            filled = time.perf_counter() - start
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{journal}{suffix}").exists():
                    shutil.copy(f"{journal}{suffix}", f"{copy}{suffix}")
            child = subprocess.run(
                [sys.executable, __file__, "--source", str(source), "--measure", str(copy)],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "PYTHONPATH": str(source)},
            )
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                return 1
            results[size] = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"{size:>9,} entries (filled in {filled:.0f} s): {results[size]}", flush=True)
    base = results[sizes[0]]
    print(f"source: {source}; load average: {os.getloadavg()}")
    second = results[sizes[1]] if len(sizes) > 2 else base
    print(
        f"{'':36s}"
        + "".join(f"{size:>12,}" for size in sizes)
        + f"   {sizes[-1]:,} / {sizes[0]:,} (target <= 1.5), / {sizes[1]:,}"
    )
    for key, name in NAMES.items():
        row = "".join(f"{results[size][key]:12.1f}" for size in sizes)
        last = results[sizes[-1]][key]
        print(
            f"{name:36s}{row}   {last / max(base[key], 1e-9):6.2f}x"
            f"   {last / max(second[key], 1e-9):6.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
