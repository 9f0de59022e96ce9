"""Issue 18 point 6, the database part: bad database files in words, made for real.

At start a damaged, truncated or read-only file is one sentence naming the file and what to
do, exit 1, no traceback. Damage inside a data page found while serving is logged once in
words naming the file, answered 503 `database_damaged`, and /healthz reports it. A full disk
(what held before) is still a clean 500 that stores nothing half-written.

Read-only files and a full disk need root here (we run as root): `chattr +i`, a read-only
bind mount, a small tmpfs; each test says why it skips where it cannot."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from posapp.provider.app import create_app
from posapp.provider.store import Store
from tests.helpers import PROVIDER, Served, free_port

PAGE = 4096  # SQLite's default page size, which the provider keeps


def demo(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [PROVIDER, "demo", "--db", f"sqlite:///{path}"], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


def start(path: Path, command: str = "serve") -> subprocess.CompletedProcess[str]:
    args = {"init": ["--store-name", "X"], "serve": ["--port", str(free_port())]}.get(command, [])
    return subprocess.run(
        [PROVIDER, command, "--db", f"sqlite:///{path}", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def said_in_one_sentence(done: subprocess.CompletedProcess[str], path: Path, *words: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"posapp-provider: The database {path} ")
    for word in words:
        assert word in lines[0]
    assert done.stdout == ""


def damage_the_gifts_page(path: Path) -> None:
    """Overwrite the cells of the gifts table's page: the file opens, the schema reads, and
    a gift's row cannot be read."""
    with sqlite3.connect(path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'gifts'").fetchone()[0]
        assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * PAGE + 8)  # past the page's header
        file.write(b"\xff" * (PAGE - 8))


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    path = tmp_path / "provider.db"
    return path, demo(path)


@pytest.mark.parametrize("command", ["serve", "init", "demo"])
def test_a_truncated_file_at_start_is_one_sentence(
    made: tuple[Path, dict[str, Any]], command: str
) -> None:
    path, _ = made
    with path.open("r+b") as file:
        file.truncate(10 * PAGE)
    said_in_one_sentence(start(path, command), path, "is damaged", "restore it from a backup")


def test_a_file_that_is_not_a_database_at_start_is_one_sentence(
    made: tuple[Path, dict[str, Any]],
) -> None:
    path, _ = made
    with path.open("r+b") as file:
        file.write(b"this is no SQLite file")  # over the header
    said_in_one_sentence(start(path), path, "is damaged (file is not a database)")


def test_an_immutable_file_at_start_is_one_sentence(made: tuple[Path, dict[str, Any]]) -> None:
    """As root, chmod 444 changes nothing (root writes anyway); `chattr +i` makes the kernel
    refuse every write, so SQLite opens the file read-only and refuses to write."""
    path, _ = made
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed: cannot make a file immutable")
    chattr = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if chattr.returncode != 0:
        pytest.skip(f"cannot make a file immutable here (needs root and ext4/xfs): {chattr.stderr}")
    try:
        said_in_one_sentence(start(path), path, "cannot be written", "writable")
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_file_on_a_read_only_mount_at_start_is_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "provider.db"
    demo(path)
    bind = subprocess.run(
        ["mount", "--bind", str(folder), str(folder)], capture_output=True, text=True
    )
    if bind.returncode != 0:
        pytest.skip(f"cannot bind-mount here (needs root and mount rights): {bind.stderr}")
    try:
        readonly = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True, text=True
        )
        if readonly.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {readonly.stderr}")
        # WAL needs its -shm file beside the database: SQLite cannot even open it.
        said_in_one_sentence(start(path), path, "cannot be opened", "writable")
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_damage_found_while_serving_is_said_once_and_healthz_reports_it(
    made: tuple[Path, dict[str, Any]],
) -> None:
    path, store = made
    damage_the_gifts_page(path)
    served = Served(f"sqlite:///{path}")  # it starts: the schema and tokens read fine
    try:
        terminal = {"Authorization": f"Bearer {store['terminal_token']}"}
        for _ in range(3):
            answer = httpx.post(
                f"{served.url}/v1/gifts/validate",
                json={"code": "500000000000001"},
                headers=terminal,
            )
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["code"] == "database_damaged"
            assert "Tell the operator" in answer.json()["detail"]
        health = httpx.get(f"{served.url}/healthz")
        assert health.status_code == 503
        assert health.json()["status"] == "database_damaged"
    finally:
        assert served.stop() == 0
    log = "".join(served.log)
    assert "Traceback" not in log
    damaged = [line for line in served.log if "is damaged" in line]
    assert len(damaged) == 1, log
    assert f"The database {path} is damaged (database disk image is malformed)" in damaged[0]
    assert "restore it from a backup" in damaged[0]


@pytest.mark.anyio
async def test_damage_over_asgi_is_503_and_healthz_was_ok_before(
    made: tuple[Path, dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    path, made_store = made
    store = Store(f"sqlite:///{path}", pool_size=2)
    try:
        transport = httpx.ASGITransport(app=create_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://provider") as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
            damage_the_gifts_page(path)
            store.engine.dispose()  # forget the pages read before the damage
            headers = {
                "Authorization": f"Bearer {made_store['admin_token']}",
                "Idempotency-Key": "K-1",
            }
            with caplog.at_level(logging.INFO, logger="posapp"):
                listed = await client.get("/v1/gift-cards", headers=headers)
                assert listed.status_code == 503, listed.text
                assert (await client.get("/healthz")).status_code == 503
    finally:
        store.close()
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(loud) == 1
    assert loud[0].exc_info is None  # words, not a traceback
    assert str(path) in loud[0].getMessage()


def test_a_full_disk_is_a_clean_500_and_stores_nothing_half_written(tmp_path: Path) -> None:
    """What held before issue 18, and must keep holding through the new database handler."""
    disk = tmp_path / "small"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr}")
    try:
        path = disk / "provider.db"
        store = demo(path)
        served = Served(f"sqlite:///{path}")
        try:
            terminal = {"Authorization": f"Bearer {store['terminal_token']}"}
            gift = httpx.post(
                f"{served.url}/v1/gifts/validate",
                json={"code": "500000000000001"},
                headers=terminal,
            ).json()["gift"]
            filler = disk / "filler"
            fill = os.open(filler, os.O_WRONLY | os.O_CREAT)
            for block in (65536, 1):  # to the disk's last byte
                with contextlib.suppress(OSError):
                    while True:
                        os.write(fill, b"\0" * block)
            os.close(fill)
            redeem = f"{served.url}/v1/gifts/{gift['id']}/redemptions"
            headers = {**terminal, "Idempotency-Key": "FULL-1"}
            full = httpx.post(redeem, json={"amount": 1000}, headers=headers)
            assert full.status_code == 500, full.text
            assert full.headers["content-type"] == "application/problem+json"
            assert full.json()["code"] == "internal_error"
            assert httpx.get(f"{served.url}/healthz").status_code == 200  # full is not damaged
            filler.unlink()  # space comes back: the same key runs, once
            again = httpx.post(redeem, json={"amount": 1000}, headers=headers)
            assert again.status_code == 201, again.text
            assert "idempotent-replayed" not in again.headers
            assert again.json()["gift"]["balance"] == gift["balance"] - 1000
            replayed = httpx.post(redeem, json={"amount": 1000}, headers=headers)
            assert replayed.headers["idempotent-replayed"] == "true"
        finally:
            assert served.stop() == 0
        assert not any("is damaged" in line for line in served.log)
    finally:
        subprocess.run(["umount", str(disk)], check=True)
