"""A scanner flood against the real till, under Xvfb (run with DISPLAY set, e.g. `xvfb-run -a`).

A stuck serial scanner sends 10,000 scans a second for 10 s through a real pseudo-terminal
(two known cards in turn, so every scan the till takes is a real check at the provider);
then a real card is scanned. Printed, for the till as it is (bounded) and for the baseline
(the hand-off before issue 18.7, wired here as it was: every scan posted to the Tk thread,
every check sent to the worker pool):
- the peak memory of the till's process (VmHWM) and its growth during the flood,
- the longest gap of a 10 ms after() heartbeat on the Tk thread (a stall the cashier sees),
- how long after it was scanned the real card was on the screen.

Each mode runs in a process of its own (the peak is the process's); the provider is
`posapp-provider serve` in its own process, as a till's is on another machine.

    xvfb-run -a .venv/bin/python benchmarks/scanner_flood.py [--seconds 10] [--rate 10000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import tkinter as tk
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.ui_latency import bench_config, close, demo_provider, run_until, till
from hardware.printers.virtual import VirtualPrinter
from hardware.scanners.serial import SerialScanner
from hardware.scanners.simulator import ScannerSimulator
from posapp.app import start_scanner
from tests.helpers import proc_status_kb

REAL_CARD = "SVS_GC-500000000000002"  # $12.50: not one of the flood's two


def flood(master: int, seconds: float, rate: int, sent: list[int]) -> None:
    per_block = max(rate // 100, 2)  # a block every 10 ms
    block = b"SVS_GC-500000000000001\rSVS_GC-500000000000003\r" * (per_block // 2)
    start = time.monotonic()
    while (now := time.monotonic()) < start + seconds:
        while sent[0] < (int((now - start) * 100) + 1) * per_block:
            os.write(master, block)
            sent[0] += per_block
        time.sleep(0.002)


def one_mode(mode: str, url: str, token: str, seconds: float, rate: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"posapp-flood-{mode}-"))
    printer = VirtualPrinter()
    config = bench_config(folder, printer)
    root, window, engine = till(config, url, token, printer)
    simulator = ScannerSimulator()
    if mode == "bounded":
        scanner = start_scanner(_serial(config), window, port=simulator.path)  # as app.py starts it
    else:  # the hand-off before issue 18.7
        window.calls.checks = window.worker  # every check to the pool, none replaced
        scanner = SerialScanner(
            simulator.path,
            lambda text: window.worker.post(lambda: window.scan(text, "serial")),
        ).start()
    run_until(root, lambda: scanner.status == "connected", 10)
    beats: list[float] = []

    def beat() -> None:
        beats.append(time.perf_counter())
        root.after(10, beat)

    rss_before = proc_status_kb(os.getpid(), "VmRSS")
    root.after(10, beat)
    sent = [0]
    writer = threading.Thread(target=flood, args=(simulator.master, seconds, rate, sent))
    writer.start()
    run_until(root, lambda: not writer.is_alive(), seconds + 60)
    rss_end = proc_status_kb(os.getpid(), "VmRSS")
    simulator.scan(REAL_CARD)
    scanned = time.perf_counter()
    shown = None
    try:
        run_until(root, lambda: window.panel.balance.cget("text") == "$12.50", 120)
        shown = time.perf_counter() - scanned
    except AssertionError:
        pass  # not shown in 120 s: said as such
    stall = max((b - a for a, b in itertools.pairwise(beats)), default=0.0)
    waiting = window.worker.results.qsize()
    scanner.stop()
    simulator.close()
    close(root, window, engine)
    printer.close()
    feed = window.scans.feed
    return {
        "mode": mode,
        "sent": sent[0],
        "peak_mb": proc_status_kb(os.getpid(), "VmHWM") / 1024,
        "growth_mb": (rss_end - rss_before) / 1024,
        "stall_ms": stall * 1000,
        "next_scan_s": shown,
        "left_waiting": waiting,
        "dropped": feed.dropped_total if mode == "bounded" else 0,
    }


def _serial(config: Any) -> Any:
    from dataclasses import replace

    return replace(config, scanner=replace(config.scanner, mode="serial", terminator="CR"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="the flood's length (10)")
    parser.add_argument("--rate", type=int, default=10_000, help="scans a second (10000)")
    parser.add_argument("--mode", choices=["bounded", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:  # one mode, in this process: its figures as JSON on stdout
        tk.Tk().destroy()  # fail early without a display
        print(json.dumps(one_mode(args.mode, args.url, args.token, args.seconds, args.rate)))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="posapp-flood-"))
    provider, made = demo_provider(folder)
    figures = {}
    try:
        for mode in ("baseline", "bounded"):
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--mode",
                    mode,
                    "--url",
                    provider.url,
                    "--token",
                    made["terminal_token"],
                    "--seconds",
                    str(args.seconds),
                    "--rate",
                    str(args.rate),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            figures[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        provider.process.terminate()
        provider.process.wait(10)
    base, now = figures["baseline"], figures["bounded"]

    def shown(value: float | None) -> str:
        return "not shown in 120 s" if value is None else f"{value:.2f} s"

    print(f"Flood: {args.rate:,} scans a second for {args.seconds:g} s through a pty")
    print(f"{'':28}{'baseline':>20}{'bounded':>20}")
    print(f"{'scans sent':28}{base['sent']:>20,}{now['sent']:>20,}")
    print(f"{'peak memory (VmHWM)':28}{base['peak_mb']:>17.0f} MB{now['peak_mb']:>17.0f} MB")
    print(
        f"{'growth during the flood':28}{base['growth_mb']:>17.0f} MB{now['growth_mb']:>17.0f} MB"
    )
    print(f"{'longest Tk stall':28}{base['stall_ms']:>17.0f} ms{now['stall_ms']:>17.0f} ms")
    print(
        f"{'next real scan shown after':28}{shown(base['next_scan_s']):>20}{shown(now['next_scan_s']):>20}"
    )
    print(f"{'scans dropped (counted)':28}{'-':>20}{now['dropped']:>20,}")
    if base["next_scan_s"] and now["next_scan_s"]:
        print(f"next scan: {base['next_scan_s'] / now['next_scan_s']:.0f} times sooner")
    print(f"peak memory: {now['peak_mb'] / base['peak_mb']:.2f} of the baseline's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
