"""`posapp check` as the person setting up the till runs it: provider, scanner, printer."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyzbar.pyzbar import decode as zbar

from hardware.printers.virtual import VirtualPrinter
from hardware.scanners.simulator import ScannerSimulator
from posapp.adapters.secrets import hash_pin
from posapp.provider.app import create_app
from posapp.provider.demo import make_demo_store
from posapp.provider.store import Store
from tests.helpers import LiveServer, wait_for


@pytest.fixture
def till(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], ScannerSimulator, VirtualPrinter]]:
    store = Store(f"sqlite:///{tmp_path / 'provider.db'}")
    made = make_demo_store(store)
    server = LiveServer(create_app(store))
    scanner = ScannerSimulator()
    printer = VirtualPrinter()
    config = tmp_path / "posapp.toml"
    config.write_text(
        f'[provider]\nurl = "{server.url}"\n'
        f'[scanner]\nmode = "serial"\nport = "{scanner.path}"\n'
        f'[printer]\ntransport = "network"\nhost = "127.0.0.1"\nport = {printer.port}\n'
        f'[manager]\npin_hash = "{hash_pin("2468")}"\n',
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "POSAPP_PROVIDER_TOKEN": made["terminal_token"],
        "POSAPP_ADMIN_TOKEN": made["admin_token"],
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    yield config, env, scanner, printer
    printer.close()
    scanner.close()
    server.stop()
    store.close()


def test_check_says_provider_scope_prints_a_test_page_and_reads_scans(
    till: tuple[Path, dict[str, str], ScannerSimulator, VirtualPrinter],
) -> None:
    config, env, scanner, printer = till
    posapp = str(Path(sys.executable).parent / "posapp")
    child = subprocess.Popen(
        [posapp, "--config", str(config), "check", "--scan", "--count", "2", "--print-test"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    out: list[str] = []

    def read() -> None:
        assert child.stdout is not None
        out.extend(iter(child.stdout.readline, ""))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    wait_for(lambda: any("connected" in line for line in out), 20, "the scanner to be opened")
    scanner.scan("SVS_GC-500000000000001")
    scanner.scan("garbage")
    assert child.wait(20) == 0, child.stderr.read() if child.stderr else ""
    reader.join(5)
    child.stdout.close()
    if child.stderr:
        child.stderr.close()
    text = "".join(out)
    assert "reachable," in text
    assert "Admin token: works" in text
    assert "cash-out allowed" in text
    assert "gift-card-300: $300.00" in text  # money as money, once the currency is known
    assert "Test page sent to the network printer 127.0.0.1:" in text
    assert "'SVS_GC-500000000000001': SVS gift card -> card code 500000000000001" in text
    assert "'garbage': This is not a gift card this store knows" in text
    (job,) = printer.wait_for_jobs(1)
    assert "POSAPP-TEST" in {s.data.decode() for s in zbar(printer.picture())}
    assert job


def test_check_without_a_token_says_how_to_set_it(tmp_path: Path) -> None:
    config = tmp_path / "posapp.toml"
    config.write_text('[provider]\nurl = "http://127.0.0.1:9"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "POSAPP_PROVIDER_TOKEN"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "posapp"), "--config", str(config), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1  # a check that failed: scripts and CI see it
    assert (
        "No provider token for http://127.0.0.1:9: store it with `posapp set-token`" in done.stdout
    )
    assert "needs fixing" in done.stderr


def test_check_of_a_provider_that_does_not_answer_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "posapp.toml"
    config.write_text('[provider]\nurl = "http://127.0.0.1:9"\ntimeout_s = 2\n', encoding="utf-8")
    env = {**os.environ, "POSAPP_PROVIDER_TOKEN": "t" * 32}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "posapp"), "--config", str(config), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1, done.stdout
    assert "Provider http://127.0.0.1:9: " in done.stdout
