"""The installed package: console scripts, assets read through importlib.resources."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(cwd / "xdg")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_assets_ship_as_package_data() -> None:
    example = resources.files("posapp.assets").joinpath("posapp.example.toml")
    assert example.is_file()
    assert "[provider]" in example.read_text("utf-8")


def test_posapp_check_from_any_folder_creates_and_describes_the_config(tmp_path: Path) -> None:
    done = run(str(BIN / "posapp"), "check", "--offline", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # no PIN yet, nor a printer (test_check_setup.py)
    assert "NOT READY: Manager PIN: none is set" in done.stdout
    assert (tmp_path / "xdg" / "posapp" / "posapp.toml").is_file()
    assert "SVS gift card" in done.stdout
    assert "it is valid" in done.stdout
    assert "Scanner: USB keyboard;" in done.stdout
    assert "minor units" not in done.stdout


def test_a_bad_config_names_the_key_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[scanner]\nbaudrate = 9601\n", encoding="utf-8")
    done = run(sys.executable, "-m", "posapp", "--config", str(bad), "check", cwd=tmp_path)
    assert done.returncode == 2
    assert "scanner.baudrate: 9601 is not a standard rate" in done.stderr


def test_the_pattern_tester(tmp_path: Path) -> None:
    done = run(str(BIN / "posapp"), "pattern", "svs_gc-123456789012345", cwd=tmp_path)
    assert done.stdout.strip() == "SVS gift card matched: Card code 123456789012345"
    assert done.returncode == 0
    for text, closest in [
        ("SVS_GC-12345", "SVS gift card: needs 15 digits after SVS_GC-, got 5"),
        ("hello", "SVS gift card: needs to start with SVS_GC-"),
        ("12345678901", "Voucher, typed: needs 12 digits, got 11"),
    ]:
        done = run(str(BIN / "posapp"), "pattern", text, cwd=tmp_path)
        assert done.stdout.strip() == f"No pattern matches. Closest: {closest}"
        assert done.returncode == 1
    arabic_indic = "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662"
    done = run(str(BIN / "posapp"), "pattern", arabic_indic, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("No pattern matches.")
    assert "\\d means 0-9 and \\w means A-Z, a-z, 0-9 and _ only (ASCII)" in done.stdout


def test_every_option_has_help_with_its_default() -> None:
    import argparse

    from posapp.cli import _parser as posapp_parser
    from posapp.provider.cli import _parser as provider_parser

    def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
        found = [parser]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    found += parsers(child)
        return found

    checked = 0
    for parser in parsers(posapp_parser()) + parsers(provider_parser()):
        shown = parser.format_help()
        formatter = parser._get_formatter()
        for action in parser._actions:
            if not action.option_strings or action.help in (None, argparse.SUPPRESS):
                assert not action.option_strings or action.help == argparse.SUPPRESS, action
                continue
            if action.dest == "help":
                continue
            words = formatter._get_help_string(action) or ""  # type: ignore[attr-defined]
            assert "default" in words or action.required, (parser.prog, action.dest)
            assert action.option_strings[0] in shown
            checked += 1
    assert checked >= 20


def test_the_provider_command_is_installed() -> None:
    assert (BIN / "posapp-provider").exists()


def test_posapp_check_and_set_pin_read_a_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    """Notepad saves UTF-8 with a byte-order mark: it was "Invalid statement" (issue 18.6)."""
    config = tmp_path / "notepad.toml"
    config.write_bytes(b'\xef\xbb\xbf[store]\nname = "Shop"\n')
    done = run(str(BIN / "posapp"), "--config", str(config), "check", "--offline", cwd=tmp_path)
    # Read and valid; not ready to sell yet (no PIN, no printer: tests/test_check_setup.py).
    assert "(it is valid)" in done.stdout, done.stderr
    assert done.returncode == 1
    assert "Store: Shop" in done.stdout
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    done = subprocess.run(
        [str(BIN / "posapp"), "--config", str(config), "set-pin"],
        input="2468\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "pin_hash" in config.read_text(encoding="utf-8")


def test_posapp_check_names_a_hostile_value_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[provider]\nurl = "http://127.0.0.1:99999"\ntimeout_s = inf\n')
    done = run(str(BIN / "posapp"), "--config", str(config), "check", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[1:] == [
        "  - provider.url: 'http://127.0.0.1:99999': its port is not a number from 1 to 65535; "
        "give one such as http://127.0.0.1:8765 or https://gift.example.com",
        "  - provider.timeout_s: inf is more than 120 s, the most this key takes",
    ]


def test_the_pattern_tester_says_a_receipt_number_of_this_till_is_one(tmp_path: Path) -> None:
    """The retrial of a till (M): `posapp pattern 307744000004` called this till's receipt
    number a "Voucher, typed" card code; the till reads it as the receipt first."""
    from posapp.adapters.journal import Journal
    from posapp.core import intent as intents

    journal = Journal(tmp_path / "journal.db")
    entry = journal.intend(
        intents.redeem("1", amount=100), code="500000000000001", currency="USD", key="k1"
    )
    journal.record(entry.id, "settled", outcome="completed", transaction_id="77")
    number = journal.receipt_number(entry.id)
    journal.close()
    config = tmp_path / "posapp.toml"
    example = resources.files("posapp.assets").joinpath("posapp.example.toml").read_text("utf-8")
    journal_at = f'[journal]\npath = "{tmp_path / "journal.db"}"'
    config.write_text(example.replace('[journal]\npath = ""', journal_at), encoding="utf-8")
    done = run(str(BIN / "posapp"), "--config", str(config), "pattern", number, cwd=tmp_path)
    first, second = done.stdout.strip().splitlines()
    assert first.startswith(f"{number} is a receipt number of this till: the receipt of the ")
    assert "Scanned or typed at the till, it finds that receipt" in first
    assert second == f"As a card, Voucher, typed would read it: {number}"
    assert done.returncode == 0
    other = "1" + number[1:] if number[0] != "1" else "2" + number[1:]  # not this till's
    done = run(str(BIN / "posapp"), "--config", str(config), "pattern", other, cwd=tmp_path)
    assert done.stdout.strip() == f"Voucher, typed matched: Card code {other}"
