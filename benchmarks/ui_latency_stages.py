"""Where a scan's time goes: benchmarks/ui_latency.py's scan, with a time stamp per stage.

Run it as ui_latency.py is run (`xvfb-run -a`, under `flock /work/bench.lock`); Linux only
(it reads /proc). Over --scans scans it prints, from the wedge's Enter:

- per stage, p50 and p95 of the time since Enter and of the stage's own part: the classifier
  hands the scan to the window, the check is submitted, a worker thread starts it, the HTTP
  call to the provider, the result posted (a byte to the pipe), the Tk thread drains the pipe
  (createfilehandler), the card is forwarded and rendered, Tk draws it (update_idletasks);
- per scan, the CPU time and the time spent runnable but waiting for a CPU (the kernel's
  /proc/<pid>/task/*/schedstat) of the till's process, the provider's and Xvfb's, and the
  CPU time of the Tk thread and of the worker's check;
- the slowest 5% of scans stage by stage, and their CPU and run-queue wait beside the
  fastest half's.

The stamps wrap the window's own methods on the instance, so the path is the till's; the
wrappers cost a few microseconds a stage.
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.ui_latency import bench_config, close, demo_provider, run_until, till
from hardware.printers.virtual import VirtualPrinter
from posapp.core.till_events import CardFound
from tests.gui.conftest import KEYSYMS

END = "11 drawn (update_idletasks)"


def xvfb_pid() -> int | None:
    display = os.environ.get("DISPLAY", "").encode()
    for name in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            args = Path(name).read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"Xvfb") and display in args:
            return int(name.split("/")[2])
    return None


def schedstat(pid: int | None) -> tuple[int, int]:
    """Nanoseconds on a CPU and waiting on a run queue, summed over the process's threads."""
    run = wait = 0
    for name in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            on_cpu, queued, _slices = Path(name).read_text().split()
        except (OSError, ValueError):  # a thread that ended meanwhile
            continue
        run, wait = run + int(on_cpu), wait + int(queued)
    return run, wait


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * q) - 1)]


def measure(scans: int) -> list[dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix="posapp-ui-stages-"))
    provider, made = demo_provider(folder)
    printer = VirtualPrinter()
    config = bench_config(folder, printer)
    root, window, engine = till(config, provider.url, made["terminal_token"], printer)
    stamps: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def stamp(owner: Any, name: str, before: str, after: str = "", when: Any = None) -> None:
        inner = getattr(owner, name)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            mine = when is None or when(*args)
            if mine:
                stamps.setdefault(before, time.perf_counter())
            started = time.thread_time()
            try:
                return inner(*args, **kwargs)
            finally:
                if mine and after:
                    stamps.setdefault(after, time.perf_counter())
                    cpu[after] = time.thread_time() - started

        setattr(owner, name, wrapped)

    stamp(window, "scan", "1 classifier -> window.scan")
    stamp(window.worker, "submit", "2 check submitted")
    stamp(window.terminal, "check", "3 worker thread starts", "6 check returns")
    stamp(window.terminal.provider, "validate", "4 HTTP sent", "5 HTTP answered")
    stamp(window.worker, "post", "7 posted (pipe written)")
    stamp(window.worker, "_run_batch", "8 Tk drains the pipe")
    stamp(window, "send", "9 card forwarded", when=lambda *a: isinstance(a[0], CardFound))
    painted: list[float] = []

    def on_painted(what: str) -> None:
        if what == "card":
            stamps.setdefault("10 rendered", time.perf_counter())
            painted.append(1)

    window.on_painted = on_painted
    groups = {"till": os.getpid(), "provider": provider.process.pid, "Xvfb": xvfb_pid()}
    cards = ["SVS_GC-500000000000001", "SVS_GC-500000000000002"]
    rows: list[dict[str, Any]] = []
    t = 1_000_000
    for i in range(scans + 5):
        for ch in cards[i % 2]:
            window.scan_field.event_generate(
                "<KeyPress>", keysym=KEYSYMS.get(ch, ch), time=t, when="tail"
            )
            t += 5
        root.update()
        before = len(painted)
        stamps.clear()
        sched = {group: schedstat(pid) for group, pid in groups.items()}
        tk_cpu = time.thread_time()
        start = time.perf_counter()
        window.scan_field.event_generate("<KeyPress>", keysym="Return", time=t, when="tail")
        t += 3000
        run_until(root, lambda before=before: len(painted) > before, 20)
        root.update_idletasks()
        stamps[END] = time.perf_counter()
        tk_cpu = time.thread_time() - tk_cpu
        after = {group: schedstat(pid) for group, pid in groups.items()}
        if i >= 5:  # as ui_latency.py: the first few warm the connection and the caches
            row: dict[str, Any] = {k: (v - start) * 1000 for k, v in stamps.items()}
            row["cpu"] = {
                g: ((after[g][0] - sched[g][0]) / 1e6, (after[g][1] - sched[g][1]) / 1e6)
                for g in groups
            }
            row["cpu"]["Tk thread"] = (tk_cpu * 1000, 0.0)
            row["cpu"]["worker's check"] = (cpu.get("6 check returns", 0.0) * 1000, 0.0)
            rows.append(row)
    close(root, window, engine)
    printer.close()
    provider.stop()
    return rows


def report(rows: list[dict[str, Any]]) -> None:
    stages = sorted((k for k in rows[0] if k != "cpu"), key=lambda k: int(k.split()[0]))
    print(f"{len(rows)} scans; ms since the wedge's Enter, and each stage's own part")
    print(f"{'stage':32} {'since p50':>9} {'p95':>6} {'own p50':>8} {'p95':>6} {'max':>6}")
    previous = ""
    for stage in stages:
        since = [r[stage] for r in rows]
        own = [r[stage] - (r[previous] if previous else 0.0) for r in rows]
        print(
            f"{stage:32} {pct(since, 0.5):9.2f} {pct(since, 0.95):6.2f} "
            f"{pct(own, 0.5):8.2f} {pct(own, 0.95):6.2f} {max(own):6.2f}"
        )
        previous = stage
    print("per scan, ms: CPU time (run) and runnable but waiting for a CPU (wait); p50 p95 mean")
    for group in rows[0]["cpu"]:
        for j, what in ((0, "run"), (1, "wait")):
            values = [r["cpu"][group][j] for r in rows]
            if j and not any(values):
                continue  # threads' own CPU only
            print(
                f"  {group:15} {what:4} {pct(values, 0.5):6.2f} {pct(values, 0.95):6.2f} "
                f"{statistics.mean(values):6.2f}"
            )
    ordered = sorted(rows, key=lambda r: r[END])
    slowest = ordered[int(len(ordered) * 0.95) - 1 :]
    print("slowest 5%, each stage's own part (stage number: ms)")
    for r in slowest:
        previous_t, parts = 0.0, []
        for stage in stages:
            parts.append(f"{stage.split()[0]}:{r[stage] - previous_t:.1f}")
            previous_t = r[stage]
        print(f"  {r[END]:5.1f}  " + " ".join(parts))
    processes = ("till", "provider", "Xvfb")
    for name, group in (("fastest half", ordered[: len(ordered) // 2]), ("slowest 5%", slowest)):
        wall = statistics.mean(r[END] for r in group)
        run = statistics.mean(sum(r["cpu"][p][0] for p in processes) for r in group)
        wait = statistics.mean(sum(r["cpu"][p][1] for p in processes) for r in group)
        print(
            f"{name}: {wall:.1f} ms a scan; CPU of till + provider + Xvfb {run:.1f} ms, "
            f"their run-queue wait {wait:.1f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=200)
    report(measure(parser.parse_args().scans))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
