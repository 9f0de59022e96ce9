"""The token in the keyring (or the environment), the manager PIN, and logs without secrets."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from posapp.adapters.journal import Journal
from posapp.adapters.secrets import (
    ManagerPin,
    SecretError,
    hash_pin,
    pin_matches,
    store_token,
    token_for,
)
from posapp.app import Engine
from posapp.config import load_config
from posapp.core.pin_lock import Now
from posapp.redact import Redactor
from tests.terminal.conftest import Provider


@pytest.fixture
def file_keyring(tmp_path: Path) -> PlaintextKeyring:
    """A real keyring backend (a file): this machine has no Secret Service to talk to."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_token_from_the_keyring_else_the_environment(file_keyring: PlaintextKeyring) -> None:
    url = "http://127.0.0.1:8765"
    with pytest.raises(SecretError, match="posapp set-token"):
        token_for(url, environ={})
    assert token_for(url, environ={"POSAPP_PROVIDER_TOKEN": "from-env"}) == "from-env"
    store_token(url, "pgc_in_the_keyring\n")
    assert token_for(url, environ={"POSAPP_PROVIDER_TOKEN": "from-env"}) == "pgc_in_the_keyring"
    assert file_keyring.get_password("posapp", url) == "pgc_in_the_keyring"


def test_set_token_and_set_pin_commands(tmp_path: Path) -> None:
    config = tmp_path / "posapp.toml"
    config.write_text(
        '# the manager keeps this comment\n[manager]\npin_hash = ""\n', encoding="utf-8"
    )
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    posapp = str(Path(sys.executable).parent / "posapp")
    done = subprocess.run(
        [posapp, "--config", str(config), "set-token"],
        input="pgc_secret\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "pgc_secret" not in done.stdout + done.stderr
    assert "pgc_secret" not in config.read_text(encoding="utf-8")
    done = subprocess.run(
        [posapp, "--config", str(config), "set-token", "--admin"],
        input="pgc_admin\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "admin token" in done.stdout
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "from posapp.app import admin_token_for; from posapp.adapters.secrets "
            "import token_for; print(token_for('http://127.0.0.1:8765', {}), admin_token_for('http://127.0.0.1:8765'))",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert check.stdout.split() == ["pgc_secret", "pgc_admin"]
    done = subprocess.run(
        [posapp, "--config", str(config), "set-pin"],
        input="4321\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# the manager keeps this comment")
    stored = load_config(config).manager.pin_hash
    assert stored.startswith("scrypt$")
    assert pin_matches("4321", stored)
    assert "4321" not in text


def test_pin_hash_is_salted_and_checks() -> None:
    first, second = hash_pin("1234"), hash_pin("1234")
    assert first != second
    assert pin_matches("1234", first)
    assert not pin_matches("1235", first)
    assert not pin_matches("1234", "garbage")
    with pytest.raises(SecretError, match="4 to 12 digits"):
        hash_pin("12a4")


def test_five_wrong_pins_lock_for_a_while(tmp_path: Path) -> None:
    now = [Now(1000.0, 50.0, "boot-1")]
    journal = Journal(tmp_path / "j.db")
    pin = ManagerPin(hash_pin("2468"), journal, clock=lambda: now[0])
    for left in (4, 3, 2, 1):
        tries = "try" if left == 1 else "tries"  # ngettext: "1 try left"
        with pytest.raises(SecretError, match=f"{left} {tries} left"):
            pin.check("0000")
    with pytest.raises(SecretError, match="locked for 1 min;"):
        pin.check("0000")
    with pytest.raises(SecretError, match="Too many wrong PINs"):
        pin.check("2468")  # even the right one, while locked
    restarted = ManagerPin(pin.stored_hash, Journal(tmp_path / "j.db"), clock=lambda: now[0])
    with pytest.raises(SecretError, match="Too many wrong PINs"):
        restarted.check("2468")  # a restart does not reset the lock
    now[0] = Now(1061.0, 111.0, "boot-1")
    assert restarted.check("2468").startswith("5 wrong PINs before this one")


def test_the_redactor_masks_serials_and_removes_tokens() -> None:
    redactor = Redactor(("s3cr3t-token-value",))
    text = redactor.redact(
        "card 500000000000001 token s3cr3t-token-value Authorization: Bearer pgc_abcdef0123 ok"
    )
    assert "500000000000001" not in text
    assert "***********0001" in text
    assert "s3cr3t-token-value" not in text
    assert "pgc_abcdef0123" not in text
    assert redactor.redact("a plain sentence, 42 items") == "a plain sentence, 42 items"


def test_a_whole_shift_with_debug_logging_leaks_no_token_and_no_serial(
    engine: Engine, provider: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    token = provider.made["terminal_token"]
    redactor = Redactor((token,))
    caplog.handler.addFilter(redactor)
    try:
        with caplog.at_level(logging.DEBUG):
            terminal = engine.terminal
            gift = terminal.check("SVS_GC-500000000000001")
            terminal.redeem(gift, 1000)
            terminal.reverse(terminal.shift.shift_entries()[0].id)
            terminal.cash_out(terminal.check("SVS_GC-500000000000002"))
            terminal.sell("SVS_GC-700000000000009", amount=500)
            terminal.refund_to_card(700)
            voucher = terminal.check("123456789012")
            provider.proxy.set("drop_answer", times=1)
            terminal.redeem(voucher, 100)
            logging.getLogger("posapp.test").debug("the card was %s", "500000000000001")
            terminal.shift.x_report()
            terminal.shift.reconciliation()
            terminal.shift.z_report()
    finally:
        caplog.handler.removeFilter(redactor)
    text = caplog.text
    assert len(caplog.records) > 20  # httpx, httpcore and our own DEBUG lines were all there
    assert token not in text
    for serial in ("500000000000001", "500000000000002", "700000000000009", "123456789012"):
        assert serial not in text
    assert "***********0001" in text
