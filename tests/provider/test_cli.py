"""`posapp-provider init | serve | demo | token` as a user runs them: real processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from posapp.provider.store import Store
from tests.helpers import PROVIDER, Served, wait_for
from tests.provider.conftest import postgres_schema_url


def run(*args: str) -> dict[str, Any]:
    done = subprocess.run([PROVIDER, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'provider.db'}"


def test_init_twice_makes_two_stores_and_tokens_are_kept_hashed(sqlite_db: str) -> None:
    first, second = (
        run("init", "--db", sqlite_db, "--store-name", "A", "--currency", "usd"),
        run("init", "--db", sqlite_db, "--store-name", "B", "--currency", "EUR"),
    )
    assert set(first) == {"store_id", "location_id", "admin_token", "terminal_token"}
    assert first["store_id"] != second["store_id"]
    engine = sa.create_engine(sqlite_db)
    with engine.connect() as conn:
        stored = [row[0] for row in conn.exec_driver_sql("SELECT secret_sha256 FROM tokens")]
        dump = "\n".join(str(r) for r in conn.exec_driver_sql("SELECT * FROM tokens"))
    engine.dispose()
    assert len(stored) == 4
    for made in (first, second):
        for token in (made["admin_token"], made["terminal_token"]):
            assert token not in dump
            assert len(token) >= 43  # 32 random bytes, base64


def test_token_makes_a_working_token_for_a_new_location(sqlite_db: str) -> None:
    made = run("init", "--db", sqlite_db, "--store-name", "A")
    extra = run("token", "--db", sqlite_db, "--store-id", made["store_id"], "--name", "Till 2")
    store = Store(sqlite_db)
    try:
        who = store.principal(extra["token"])
        assert who is not None
        assert (str(who.store_id), str(who.location_id), who.name) == (
            made["store_id"],
            extra["location_id"],
            "Till 2",
        )
        assert who.scopes == {"terminal"}
    finally:
        store.close()
    refused = subprocess.run(
        [
            PROVIDER,
            "token",
            "--db",
            sqlite_db,
            "--store-id",
            made["store_id"],
            "--location-id",
            "1",
            "--name",
            "x",
        ],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2
    assert "no location 1" in refused.stderr


def test_demo_store_has_a_card_in_every_status(sqlite_db: str) -> None:
    made = run("demo", "--db", sqlite_db)
    served = Served(sqlite_db)
    try:
        headers = {"Authorization": f"Bearer {made['terminal_token']}"}
        statuses = {}
        for card in made["cards"]:
            assert card["scan"].endswith("\r")
            gift = httpx.post(
                f"{served.url}/v1/gifts/validate", json={"code": card["code"]}, headers=headers
            ).json()["gift"]
            statuses[card["shows"]] = (gift["status"], gift["not_redeemable_reason"], gift["kind"])
        assert statuses["active, $75.00"] == ("active", None, "monetary")
        assert statuses["depleted (used up)"][0] == "depleted"
        assert statuses["expired"][0] == "expired"
        assert statuses["not yet usable"][0] == "not_yet_usable"
        assert statuses["disabled"][0] == "disabled"
        assert statuses["canceled"][0] == "canceled"
        assert statuses["item gift, 2 x Coffee"] == ("active", None, "item")
        assert statuses["promotional, valid at another shop only"][1] == "location_not_allowed"
    finally:
        assert served.stop() == 0


def test_sigterm_finishes_the_request_in_flight_and_exits_0(sqlite_db: str) -> None:
    made = run("init", "--db", sqlite_db, "--store-name", "A")
    served = Served(sqlite_db)
    body = json.dumps({"code": "IN-FLIGHT", "balance": 700}).encode()
    head = (
        f"POST /v1/gift-cards HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {made['admin_token']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as sock:
        sock.sendall(head + body[:10])  # the request is in flight: half its body is here
        served.process.send_signal(signal.SIGTERM)
        wait_for(
            lambda: any("Shutting down" in line for line in served.log), 10, "shutdown to begin"
        )
        sock.sendall(body[10:])
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 201 "), answer[:200]
    assert b'"code":"IN-FLIGHT"' in answer
    assert served.stop() == 0


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from postgres_schema_url()


@pytest.mark.postgres
def test_two_workers_share_one_postgresql_ledger_without_overdraw(pg_url: str) -> None:
    made = run("init", "--db", pg_url, "--store-name", "Chain")
    served = Served(pg_url, "--workers", "2")
    try:
        admin = {"Authorization": f"Bearer {made['admin_token']}"}
        gift = httpx.post(
            f"{served.url}/v1/gift-cards", json={"code": "CHAIN", "balance": 10_000}, headers=admin
        ).json()

        def redeem(i: int) -> httpx.Response:
            # A new connection each time, so the kernel hands them to both workers.
            return httpx.post(
                f"{served.url}/v1/gifts/{gift['id']}/redemptions",
                json={"amount": 700},
                headers={**admin, "Idempotency-Key": f"W-{i}"},
                timeout=30,
            )

        answers: list[httpx.Response] = []
        threads = [
            threading.Thread(target=lambda i=i: answers.append(redeem(i))) for i in range(40)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        ok = [a for a in answers if a.status_code == 201]
        assert len(answers) == 40
        assert len(ok) == 10_000 // 700
        assert {a.json()["code"] for a in answers if a.status_code != 201} == {
            "insufficient_balance"
        }
        final = httpx.get(f"{served.url}/v1/gift-cards/{gift['id']}", headers=admin).json()
        assert final["balance"] == 10_000 - 700 * len(ok)

        # Which worker serves a connection is the kernel's choice: ask until both have.
        def pids() -> set[str]:
            return {
                line.split("pid=")[1].split()[0] for line in served.log if "/redemptions " in line
            }

        sent = 40
        while len(pids()) < 2 and sent < 400:
            batch = [threading.Thread(target=redeem, args=(sent + i,)) for i in range(20)]
            for t in batch:
                t.start()
            for t in batch:
                t.join(60)
            sent += 20
        assert len(pids()) == 2, "both workers served redemptions of the one ledger"
        again = httpx.get(f"{served.url}/v1/gift-cards/{gift['id']}", headers=admin).json()
        assert again["balance"] == final["balance"]  # nothing more was taken from an empty card
    finally:
        assert served.stop() == 0
        print("".join(served.log[-5:]), file=sys.stderr)


@pytest.mark.postgres
def test_kept_alive_connections_spread_over_the_workers(pg_url: str) -> None:
    """Each worker listens on a socket of its own (SO_REUSEPORT): the kernel spreads the
    connections, where one shared socket let the first worker to accept keep most of them
    (issue 14). Sixteen connections all on one of two workers: odds of 1 in 32,768."""
    run("init", "--db", pg_url, "--store-name", "Chain")
    served = Served(pg_url, "--workers", "2")
    try:
        clients = [httpx.Client(base_url=served.url) for _ in range(16)]
        for client in clients:
            assert client.get("/nowhere").status_code == 404  # one request line, with pid=
        for client in clients:
            client.close()
        pids = {line.split("pid=")[1].split()[0] for line in served.log if "/nowhere " in line}
        assert len(pids) == 2, "".join(served.log)
    finally:
        assert served.stop() == 0


def test_serve_refuses_workers_on_sqlite(sqlite_db: str) -> None:
    done = subprocess.run(
        [PROVIDER, "serve", "--db", sqlite_db, "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ},
    )
    assert done.returncode == 2
    assert "PostgreSQL" in done.stderr


def test_serve_refuses_a_key_retention_below_the_contracts_24_hours(sqlite_db: str) -> None:
    done = subprocess.run(
        [PROVIDER, "serve", "--db", sqlite_db, "--key-retention-hours", "23"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "at least 24" in done.stderr
    shown = subprocess.run([PROVIDER, "serve", "--help"], capture_output=True, text=True)
    assert "--key-retention-hours" in shown.stdout
    assert "clock-offset" not in shown.stdout  # a test's lever, not an operator's
