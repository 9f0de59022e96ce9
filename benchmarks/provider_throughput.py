"""Redemptions and validates per second against the reference provider, beside /healthz.

Starts `posapp-provider serve --workers N` on --db (default: a fresh SQLite file; a
PostgreSQL URL works alike, each run makes its own store in it) and a free loopback port,
makes one gift card per client, then runs N concurrent keep-alive clients (default 16) that
redeem 1 minor unit at a time, each with its own Idempotency-Key, for --seconds; then the
same clients validate their card's code, then ask /healthz, as long each. That is one run;
--runs (default 3) repeats it, since a run on a shared 2-core machine varies by 15%, and the
medians are reported: rates, p50 and p99 latency, and the ratio of redemptions to /healthz
(target: >= 1,000 a second and a ratio >= 0.5 on a 2-core machine). Each run also shows the
server's CPU per request (Linux: every process of the server, and on PostgreSQL the
database's backends apart), which is what the ratios come down to, the load generator's own
CPU per request (it shares the cores), and how the clients' connections spread over the
workers.

--source DIR runs the provider from another checkout (e.g. a `git worktree` of an older
commit), so a before and an after are measured by the same benchmark in the same hour.

The clients speak raw HTTP/1.1 over asyncio streams so that the load generator costs as
little CPU as possible: it shares the machine with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import free_port, wait_listening

BIN = Path(sys.executable).parent


class Connection:
    """One keep-alive HTTP/1.1 connection; just enough of the protocol for this benchmark."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.transport.get_extra_info("socket").setsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY, 1
        )
        return cls(reader, writer)

    def local_port(self) -> int:
        return int(self.writer.transport.get_extra_info("sockname")[1])

    async def call(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes]:
        lines = [f"{method} {path} HTTP/1.1", "Host: bench"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


async def run_clients(
    connections: list[Connection], seconds: float, make_request
) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    failures = 0
    stop_at = time.perf_counter() + seconds

    async def client(i: int) -> None:
        nonlocal failures
        conn = connections[i]
        while time.perf_counter() < stop_at:
            method, path, headers, body, expected = make_request(i)
            start = time.perf_counter()
            status, _ = await conn.call(method, path, headers, body)
            latencies.append(time.perf_counter() - start)
            if status != expected:
                failures += 1

    await asyncio.gather(*(client(i) for i in range(len(connections))))
    return len(latencies), latencies, failures


def process_tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc)."""
    found = [pid]
    for parent in found:
        for task in Path(f"/proc/{parent}/task").glob("*"):
            with contextlib.suppress(OSError):
                found += [int(c) for c in (task / "children").read_text().split()]
    return found


def cpu_seconds(pids: list[int]) -> float:
    """The processes' user + system CPU so far (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def worker_of_connections(server: int, connections: list[Connection]) -> dict[int, int]:
    """How many of the clients' connections each server process holds: the client's local
    port is the server socket's remote port, found in /proc/net/tcp by the socket's inode."""
    ports = {conn.local_port() for conn in connections}
    inodes: dict[str, int] = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[2].split(":")[1], 16) in ports:
            inodes[fields[9]] = 0
    held: dict[int, int] = {}
    for pid in process_tree(server):
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                held[pid] = held.get(pid, 0) + 1
    return held


def listeners(port: int) -> int:
    """Listening sockets on the port (Linux /proc/net/tcp): one a worker, with SO_REUSEPORT."""
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(
        1
        for line in lines
        if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == port
    )


def database_backends(url: str) -> list[int]:
    """PostgreSQL's backend processes serving this database now (it runs on this machine)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return [row[0] for row in rows]


async def bench(args: argparse.Namespace, port: int, admin: str, pid: int) -> list[dict]:
    setup = await Connection.open(port)
    gifts = []
    tag = uuid.uuid4().hex[:8]
    for i in range(args.clients):
        body = json.dumps({"code": f"BENCH-{tag}-{i}", "balance": 100_000_000}).encode()
        status, answer = await setup.call(
            "POST", "/v1/gift-cards", {"Authorization": f"Bearer {admin}"}, body
        )
        assert status == 201, answer
        gifts.append(json.loads(answer)["id"])
    setup.close()
    redeem_body = b'{"amount":1}'
    validate_bodies = [
        json.dumps({"code": f"BENCH-{tag}-{i}"}).encode() for i in range(args.clients)
    ]

    def redemption(i: int):
        headers = {"Authorization": f"Bearer {admin}", "Idempotency-Key": uuid.uuid4().hex}
        return "POST", f"/v1/gifts/{gifts[i]}/redemptions", headers, redeem_body, 201

    def validate(i: int):
        headers = {"Authorization": f"Bearer {admin}"}
        return "POST", "/v1/gifts/validate", headers, validate_bodies[i], 200

    def health(_i: int):
        return "GET", "/healthz", {}, b"", 200

    connections = [await Connection.open(port) for _ in range(args.clients)]
    # Warm up: pools, caches, the WAL, PostgreSQL's prepared statements.
    await run_clients(connections, 1.0, redemption)
    await run_clients(connections, 0.5, validate)
    spread = sorted(worker_of_connections(pid, connections).values(), reverse=True)
    backends = database_backends(args.db) if args.db.startswith("postgresql") else []
    phases = {"redeem": redemption, "validate": validate, "healthz": health}
    figures = []
    for _ in range(args.runs):
        figure: dict = {"spread": spread}
        for name, make in phases.items():
            cpu, db_cpu = cpu_seconds(process_tree(pid)), cpu_seconds(backends)
            client_cpu = time.process_time()
            count, latencies, failures = await run_clients(connections, args.seconds, make)
            client_cpu = time.process_time() - client_cpu
            latencies.sort()
            figure[name] = {
                "per_s": count / args.seconds,
                "p50_ms": statistics.median(latencies) * 1000,
                "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
                "failures": failures,
                "cpu_us": (cpu_seconds(process_tree(pid)) - cpu) / count * 1e6,
                "db_cpu_us": (cpu_seconds(backends) - db_cpu) / count * 1e6,
                "client_cpu_us": client_cpu / count * 1e6,
            }
        figures.append(figure)
    for conn in connections:
        conn.close()
    return figures


def serve(args: argparse.Namespace, db: str) -> list[dict]:
    env = dict(os.environ)
    # `python -m` puts the working folder first on sys.path, before PYTHONPATH: the server
    # runs in the checkout whose code is measured.
    where = Path(args.source).resolve() if args.source else Path(__file__).resolve().parents[1]
    env["PYTHONPATH"] = str(where)
    cli = [sys.executable, "-m", "posapp.provider.cli"]
    made = json.loads(
        subprocess.run(
            [*cli, "init", "--db", db, "--store-name", "Bench"],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=where,
        ).stdout
    )
    port = free_port()
    server = subprocess.Popen(
        [
            *cli,
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            str(args.workers),
        ],
        env=env,
        cwd=where,
    )
    try:
        deadline = time.monotonic() + 30
        wait_listening(port)
        # Every worker listening before the clients connect: a worker still starting gets
        # none of them, and "2 workers" measured one (seen: all 16 connections on one).
        while Path("/proc/net/tcp").exists() and listeners(port) < args.workers:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{listeners(port)} of {args.workers} workers listening")
            time.sleep(0.05)
        return asyncio.run(bench(args, port, made["admin_token"], server.pid))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--runs", type=int, default=3, help="rounds of the phases; the medians are reported"
    )
    parser.add_argument("--source", help="run the provider from this checkout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        args.db = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        runs = serve(args, args.db)
    kind = "PostgreSQL" if args.db.startswith("postgresql") else "SQLite (WAL, synchronous=FULL)"
    print(
        f"clients: {args.clients}, {args.runs} runs of {args.seconds:g} s each, {kind}, "
        f"{args.workers} worker(s), {os.cpu_count()} cores, source {args.source or 'this checkout'}"
    )
    print(f"  connections per worker process: {runs[0]['spread']}")
    for run in runs:
        print(
            "  "
            + " | ".join(
                f"{name} {run[name]['per_s']:5.0f}/s (p50 {run[name]['p50_ms']:.1f} ms, "
                f"CPU {run[name]['cpu_us']:.0f}+{run[name]['db_cpu_us']:.0f} µs)"
                for name in ("redeem", "validate", "healthz")
            )
        )

    def median(phase: str, name: str) -> float:
        return statistics.median(run[phase][name] for run in runs)

    for phase in ("redeem", "validate", "healthz"):
        print(
            f"{phase:9s} {median(phase, 'per_s'):6.0f}/s (median), "
            f"p50 {median(phase, 'p50_ms'):.2f} ms, p99 {median(phase, 'p99_ms'):.2f} ms, "
            f"server CPU {median(phase, 'cpu_us'):.0f} µs each"
            + (
                f", database CPU {median(phase, 'db_cpu_us'):.0f} µs"
                if "postgresql" in args.db
                else ""
            )
            + f", load generator CPU {median(phase, 'client_cpu_us'):.0f} µs"
        )
    rate, health = median("redeem", "per_s"), median("healthz", "per_s")
    print(
        f"ratio redemptions / healthz: {rate / health:.2f} (target >= 0.5); "
        f"redemptions vs 1,000/s target: {rate / 1000:.2f}x; validate CPU / redemption CPU: "
        f"{median('validate', 'cpu_us') / median('redeem', 'cpu_us'):.2f} (target <= 1)"
    )
    failures = sum(
        run[phase]["failures"] for run in runs for phase in ("redeem", "validate", "healthz")
    )
    print(f"unexpected answers: {failures:.0f}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
