"""Redemptions per second against the reference provider on SQLite, beside /healthz.

Starts `posapp-provider serve` on a fresh SQLite file and a free loopback port, makes one
gift card per client, then runs N concurrent keep-alive clients (default 16) that redeem 1
minor unit at a time, each with its own Idempotency-Key, for --seconds. Then the same
clients ask /healthz for as long. That is one run; --runs (default 3) repeats it, since a
run on a shared 2-core machine varies by 15%, and the medians are reported: redemptions per
second, p50 and p99 latency, the /healthz rate, and the ratio of the two (target: >= 1,000
a second and a ratio >= 0.5 on a 2-core machine). Each run also shows the server's CPU per
request (Linux), which is what the ratio comes down to.

The clients speak raw HTTP/1.1 over asyncio streams so that the load generator costs as
little CPU as possible: it shares the machine with the server.
"""

from __future__ import annotations

import argparse
import asyncio
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

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    port: int, clients: int, seconds: float, make_request
) -> tuple[int, list[float], int]:
    connections = [await Connection.open(port) for _ in range(clients)]
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

    await asyncio.gather(*(client(i) for i in range(clients)))
    for conn in connections:
        conn.close()
    return len(latencies), latencies, failures


def cpu_seconds(pid: int) -> float:
    """The server's user + system CPU so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def bench(
    port: int, admin: str, clients: int, seconds: float, runs: int, pid: int
) -> list[dict[str, float]]:
    setup = await Connection.open(port)
    gifts = []
    for i in range(clients):
        body = json.dumps({"code": f"BENCH-{i}", "balance": 100_000_000}).encode()
        status, answer = await setup.call(
            "POST", "/v1/gift-cards", {"Authorization": f"Bearer {admin}"}, body
        )
        assert status == 201, answer
        gifts.append(json.loads(answer)["id"])
    setup.close()
    redeem_body = b'{"amount":1}'

    def redemption(i: int):
        headers = {"Authorization": f"Bearer {admin}", "Idempotency-Key": uuid.uuid4().hex}
        return "POST", f"/v1/gifts/{gifts[i]}/redemptions", headers, redeem_body, 201

    def health(_i: int):
        return "GET", "/healthz", {}, b"", 200

    await run_clients(port, clients, 1.0, redemption)  # warm up: pools, caches, the WAL
    figures = []
    for _ in range(runs):
        cpu = cpu_seconds(pid)
        count, latencies, failures = await run_clients(port, clients, seconds, redemption)
        between = cpu_seconds(pid)
        h_count, h_latencies, h_failures = await run_clients(port, clients, seconds, health)
        redeem_cpu, health_cpu = between - cpu, cpu_seconds(pid) - between
        latencies.sort()
        figures.append(
            {
                "redemptions_per_s": count / seconds,
                "p50_ms": statistics.median(latencies) * 1000,
                "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
                "failures": failures + h_failures,
                "healthz_per_s": h_count / seconds,
                "healthz_p50_ms": statistics.median(h_latencies) * 1000,
                "redeem_cpu_us": redeem_cpu / count * 1e6,
                "healthz_cpu_us": health_cpu / h_count * 1e6,
            }
        )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--runs", type=int, default=3, help="rounds of both phases; the medians are reported"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'bench.db'}"
        made = json.loads(
            subprocess.run(
                [BIN / "posapp-provider", "init", "--db", db, "--store-name", "Bench"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        port = free_port()
        server = subprocess.Popen(
            [
                BIN / "posapp-provider",
                "serve",
                "--db",
                db,
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            runs = asyncio.run(
                bench(port, made["admin_token"], args.clients, args.seconds, args.runs, server.pid)
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    print(
        f"clients: {args.clients}, {args.runs} runs of {args.seconds:g} s each, "
        f"SQLite (WAL, synchronous=FULL), {os.cpu_count()} cores"
    )
    for run in runs:
        ratio = run["redemptions_per_s"] / run["healthz_per_s"]
        print(
            f"  redemptions {run['redemptions_per_s']:5.0f}/s "
            f"(p50 {run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms, "
            f"server CPU {run['redeem_cpu_us']:.0f} µs each) | "
            f"/healthz {run['healthz_per_s']:5.0f}/s "
            f"(server CPU {run['healthz_cpu_us']:.0f} µs each) | ratio {ratio:.2f}"
        )

    def median(name: str) -> float:
        return statistics.median(run[name] for run in runs)

    rate, health = median("redemptions_per_s"), median("healthz_per_s")
    print(
        f"redemptions: {rate:.0f}/s (median), p50 {median('p50_ms'):.2f} ms, "
        f"p99 {median('p99_ms'):.2f} ms, server CPU {median('redeem_cpu_us'):.0f} µs each"
    )
    print(
        f"/healthz:    {health:.0f}/s (median), p50 {median('healthz_p50_ms'):.2f} ms, "
        f"server CPU {median('healthz_cpu_us'):.0f} µs each"
    )
    print(
        f"ratio redemptions / healthz: {rate / health:.2f} (target >= 0.5); "
        f"redemptions vs 1,000/s target: {rate / 1000:.2f}x"
    )
    failures = sum(run["failures"] for run in runs)
    print(f"unexpected answers: {failures:.0f}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
