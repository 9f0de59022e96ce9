"""Issue 19: `posapp check` as a store's IT person runs it on a new till, with the example
config (not the demo's): the process itself, its words and its exit code, against the real
reference provider over loopback HTTP, a store made as the README makes one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from posapp.config import example_config_text
from posapp.provider.app import create_app
from posapp.provider.store import Store
from tests.helpers import LiveServer

BIN = Path(sys.executable).parent


@dataclass
class NewStore:
    """`posapp-provider init`'s store, served, and a till's folder beside it."""

    url: str
    made: dict[str, str]
    folder: Path

    def config(self, *edits: tuple[str, str]) -> Path:
        """The example config with this provider's address, and a person's edits."""
        text = example_config_text().replace("http://127.0.0.1:8765", self.url)
        for old, new in edits:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        path = self.folder / "posapp.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def env(self, **more: str) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # no keyring here
            "POSAPP_PROVIDER_TOKEN": self.made["terminal_token"],
            "XDG_CONFIG_HOME": str(self.folder / "xdg"),
            **more,
        }

    def posapp(self, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "posapp"), "--config", str(self.folder / "posapp.toml"), *args],
            input=stdin,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=60,
        )


@pytest.fixture
def new_store(tmp_path: Path) -> Iterator[NewStore]:
    store = Store(f"sqlite:///{tmp_path / 'provider.db'}", pool_size=2)
    made = store.create_store("Corner Books", "USD")
    server = LiveServer(create_app(store))
    yield NewStore(server.url, made, tmp_path)
    server.stop()
    store.close()


def not_ready(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stdout.splitlines() if line.startswith("NOT READY: ")]


def test_the_example_config_is_not_ready_and_says_what_to_do(new_store: NewStore) -> None:
    """The trial: exit 0 with no PIN, a printer that printed nowhere and no admin token."""
    new_store.config()
    done = new_store.posapp("check")
    assert done.returncode == 1
    said = not_ready(done)
    assert len(said) == 3, done.stdout
    assert said[0].startswith("NOT READY: Manager PIN: none is set, and F6, F7, F8, F12 ask")
    assert "`posapp set-pin`" in said[0]
    assert said[1].startswith("NOT READY: No printer: the virtual printer has no folder")
    assert 'folder = "~/receipts"' in said[1]
    assert said[2].startswith("NOT READY: Admin token: none, so the gift cards screen")
    assert "posapp set-token --admin" in said[2]
    assert "POSAPP_ADMIN_TOKEN" in said[2]
    assert "Store name: Corner Books, as the provider has it" in done.stdout
    # No library's INFO lines (httpx's "HTTP Request: ...") among the words.
    assert "INFO" not in done.stderr
    assert "HTTP Request" not in done.stderr + done.stdout


def test_a_till_set_up_as_the_readme_says_is_ready(new_store: NewStore) -> None:
    folder = new_store.folder / "receipts"
    new_store.config(('folder = ""', f'folder = "{folder}"'))
    assert new_store.posapp("set-pin", stdin="2468\n").returncode == 0
    done = new_store.posapp("check", POSAPP_ADMIN_TOKEN=new_store.made["admin_token"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert not_ready(done) == []
    assert "Manager PIN: set" in done.stdout
    assert f"Receipts: saved as pictures in {folder}" in done.stdout
    assert "Admin token: works (the gift cards screen can open)" in done.stdout
    assert done.stdout.count("Admin token") == 1  # not "works" and then "found"


def test_a_terminal_token_given_as_the_admin_token_is_refused(new_store: NewStore) -> None:
    new_store.config()
    done = new_store.posapp("check", POSAPP_ADMIN_TOKEN=new_store.made["terminal_token"])
    assert done.returncode == 1
    assert "Admin token: refused by the provider" in done.stdout


def test_check_offline_names_a_missing_terminal_token_as_it_names_the_admin_token(
    new_store: NewStore,
) -> None:
    """The trial of a till (5b #11): offline, a missing admin token was NOT READY and a
    missing terminal token was not said at all."""
    new_store.config()
    done = new_store.posapp("check", "--offline", POSAPP_PROVIDER_TOKEN="")
    assert done.returncode == 1
    (said,) = [line for line in not_ready(done) if "Access token" in line]
    assert said.startswith(f"NOT READY: Access token: no provider token for {new_store.url}")
    assert "`posapp set-token`" in said
    assert "POSAPP_PROVIDER_TOKEN" in said
    assert any(line.startswith("NOT READY: Admin token: none") for line in not_ready(done))
    done = new_store.posapp("check", "--offline")  # the terminal token in the environment
    assert "Access token: found" in done.stdout
    assert not any("Access token" in line for line in not_ready(done))


def test_a_serial_scanner_port_that_is_not_there_fails(new_store: NewStore) -> None:
    missing = new_store.folder / "ttyACM9"
    new_store.config(
        ('mode = "wedge"', 'mode = "serial"'), ('port = "/dev/ttyACM0"', f'port = "{missing}"')
    )
    done = new_store.posapp("check", "--offline")
    assert done.returncode == 1
    assert f"NOT READY: Scanner port: {missing} does not exist on this machine" in done.stdout
    missing.touch()  # the device is there now
    done = new_store.posapp("check", "--offline")
    assert f"Scanner port: {missing} is there" in done.stdout
    assert not any("Scanner port" in line for line in not_ready(done))


def test_a_store_name_the_provider_does_not_have_fails(new_store: NewStore) -> None:
    """Decided: a failure, not a warning. The token decides whose ledger the till's money
    goes to, the config the name on every receipt: two names mean one of them is wrong."""
    new_store.config(('name = "Corner Books"', 'name = "Corner Books Springfield"'))
    done = new_store.posapp("check")
    assert done.returncode == 1
    (said,) = [line for line in not_ready(done) if "Store name" in line]
    assert "'Corner Books Springfield', the provider 'Corner Books'" in said


def test_set_token_admin_names_the_admin_variable_where_there_is_no_keyring(
    new_store: NewStore,
) -> None:
    new_store.config()
    done = new_store.posapp("set-token", "--admin", stdin="pgc_admin\n")
    assert done.returncode == 2
    assert "set POSAPP_ADMIN_TOKEN in the terminal's environment" in done.stderr
    assert "POSAPP_PROVIDER_TOKEN" not in done.stderr
    shown = new_store.posapp("set-token", "--help").stdout
    assert "POSAPP_ADMIN_TOKEN" in shown
    assert "admin_token" in shown
    assert "terminal_token" in shown


def test_posapp_provider_cash_out_allows_it_for_a_new_store(new_store: NewStore) -> None:
    db = f"sqlite:///{new_store.folder / 'provider.db'}"
    terminal = {"Authorization": f"Bearer {new_store.made['terminal_token']}"}
    config = httpx.get(f"{new_store.url}/v1/gift-card-config", headers=terminal).json()
    assert config["store_configurations"]["cash_out_enabled"] is False  # as init makes it
    store_id = new_store.made["store_id"]
    command = ["cash-out", "--db", db, "--store-id", store_id, "--allow", "--max", "5000"]
    done = subprocess.run(
        [str(BIN / "posapp-provider"), *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "store_id": store_id,
        "cash_out_enabled": True,
        "cash_out_max": 5000,
    }
    config = httpx.get(f"{new_store.url}/v1/gift-card-config", headers=terminal).json()
    assert config["store_configurations"] == {"cash_out_enabled": True, "cash_out_max": 5000}
    new_store.config()
    assert "cash-out allowed" in new_store.posapp("check").stdout


@pytest.mark.parametrize(
    ("api", "where"), [("square", "Square's Dashboard"), ("adyen", "Adyen's Customer Area")]
)
def test_no_admin_token_is_needed_where_the_api_manages_its_cards(api: str, where: str) -> None:
    """An Adyen till was told Square's cards are managed in Square's Dashboard."""
    from dataclasses import replace

    from posapp.config import Config
    from posapp.readiness import admin_token

    config = Config()
    config = replace(config, provider=replace(config.provider, api=api))  # type: ignore[arg-type]
    found = admin_token(config, None)
    assert found.ok
    assert found.words == f"Admin token: not needed (the cards are managed in {where})"
