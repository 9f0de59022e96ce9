"""The provider's memory under one large request body: its RSS before, at peak and after.

Issue 13: a 200 MB POST to /v1/gift-cards without a token took the provider from 73 to
673 MB before it answered 401, since the body was read before the token was checked. This
starts `posapp-provider serve` (SQLite, one process) and streams a --size-mb body, chunked
as a proxy or a script would send it, to two calls:

- POST /v1/gift-cards with no token (an admin call: 401 is the right answer, unread);
- POST /v1/gifts/validate with a terminal token, for a card that exists (a ticket too large
  to be one: 413).

The body is one JSON object whose ticket holds a long string, so a provider that reads it
whole also parses it. For each call it prints the status, the process's RSS before the call,
its peak during it (VmHWM, reset before each call) and after, and peak / before.

--source DIR runs the provider from another checkout (e.g. `git worktree add /tmp/before13
ed3f28c^`), so a before and an after are measured by the same script in the same hour.
Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import free_port, proc_status_kb, upload, wait_listening


def memory_mb(pid: int, field: str) -> float:
    return proc_status_kb(pid, field) / 1024


def reset_peak(pid: int) -> None:
    # "5" resets VmHWM to the current RSS (Linux 4.0+), so each call's peak is its own.
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200, help="the body's size")
    parser.add_argument("--source", help="run the provider from this checkout")
    args = parser.parse_args()
    where = Path(args.source).resolve() if args.source else Path(__file__).resolve().parents[1]
    # `python -m` with the checkout as working folder and PYTHONPATH: its code is measured.
    env = {**os.environ, "PYTHONPATH": str(where), "OTEL_SDK_DISABLED": "true"}
    cli = [sys.executable, "-m", "posapp.provider.cli"]
    size = args.size_mb * 1024 * 1024
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'body.db'}"
        made = json.loads(
            subprocess.run(
                [*cli, "init", "--db", db, "--store-name", "Body"],
                check=True,
                capture_output=True,
                text=True,
                env=env,
                cwd=where,
            ).stdout
        )
        port = free_port()
        server = subprocess.Popen(
            [*cli, "serve", "--db", db, "--port", str(port), "--log-level", "warning"],
            env=env,
            cwd=where,
        )
        try:
            wait_listening(port)
            # The card the validate names exists, so a provider that takes the ticket says 200.
            httpx.post(
                f"http://127.0.0.1:{port}/v1/gift-cards",
                json={"code": "GC-BODY", "balance": 1000},
                headers={
                    "Authorization": f"Bearer {made['admin_token']}",
                    "Idempotency-Key": str(uuid.uuid4()),
                },
            ).raise_for_status()
            print(f"{args.size_mb} MB chunked body, provider from {args.source or 'this checkout'}")
            print(
                f"{'call':<36}{'status':<30}{'sent MB':>8}{'before':>8}{'peak':>8}"
                f"{'after':>8}{'peak/before':>13}"
            )
            for name, path, token in (
                ("/v1/gift-cards, no token", "/v1/gift-cards", None),
                (
                    "/v1/gifts/validate, terminal token",
                    "/v1/gifts/validate",
                    made["terminal_token"],
                ),
            ):
                reset_peak(server.pid)
                before = memory_mb(server.pid, "VmRSS")
                # A JSON body whose ticket is one long string: the provider must not read it.
                status, sent = upload(
                    port,
                    path,
                    size,
                    *([f"Authorization: Bearer {token}"] if token else []),
                    head=b'{"code": "GC-BODY", "ticket": {"note": "',
                    tail=b'"}}',
                )
                peak = memory_mb(server.pid, "VmHWM")
                after = memory_mb(server.pid, "VmRSS")
                print(
                    f"{name:<36}{status[9:] or '(none)':<30}{sent / 2**20:>8.0f}"
                    f"{before:>8.0f}{peak:>8.0f}{after:>8.0f}{peak / before:>12.2f}x"
                )
        finally:
            server.terminate()
            server.wait(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
