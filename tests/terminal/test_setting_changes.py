"""A manager's settings change leaves a trace (the store trial of 6 Dec 2026, finding 2: the
PIN taken off cash-outs changed posapp.toml and nothing else). Through the real settings
file, the real journal and the real reference provider: each key changed is journaled with
who and when, logged a line each, listed on the X report; the file as it was is kept beside
it; a hand edit between two starts is found and kept as made outside the till; a secret
(the PIN's hash) is never in the journal or the log."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

from posapp.adapters.secrets import hash_pin
from posapp.adapters.settings_file import SettingsFile
from posapp.app import Engine, build_engine, settings_file
from posapp.config import example_config_text, load_config
from tests.terminal.conftest import Provider

PIN, NEW_PIN = "2468", "8642"


def config_file(folder: Path, url: str) -> Path:
    """The example config, as a store sets it up: its provider, journal and PIN."""
    text = example_config_text()
    for old, new in (
        ('url = "http://127.0.0.1:8765"', f'url = "{url}"'),
        ('pin_hash = ""', f'pin_hash = "{hash_pin(PIN)}"'),
        ('path = ""', f'path = "{folder / "journal.db"}"'),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = folder / "posapp.toml"
    path.write_text(text, encoding="utf-8")
    return path


def start(path: Path, provider: Provider) -> tuple[Engine, SettingsFile]:
    """posapp starting from the file: its engine, and the settings file as app.py makes it."""
    config = load_config(path)
    engine = build_engine(config, token=provider.token, start_settler=False)
    return engine, settings_file(config, engine, path)


def report(engine: Engine) -> list[str]:
    return [line.label for line in engine.terminal.shift.x_report().lines]


def section(labels: list[str]) -> list[str]:
    """The X report's settings section, from its heading to the next bold-less heading."""
    at = next(i for i, label in enumerate(labels) if label.startswith("Settings changes"))
    return labels[at:]


def test_a_saved_change_and_a_hand_edit_are_journaled_reported_and_logged(
    provider: Provider, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="posapp.settings")
    path = config_file(tmp_path, provider.proxy.url)
    original = path.read_text(encoding="utf-8")
    first_hash = load_config(path).manager.pin_hash
    engine, settings = start(path, provider)
    try:
        assert "Settings changes" not in " ".join(report(engine))  # the first start: nothing
        engine.terminal.shift.sign_in("Ann")
        tables = tomllib.loads(original)
        tables["manager"]["require_pin_for"] = ["reverse", "refund", "settings", "cards"]
        saved = settings.save(tables, "")
        assert saved.journaled
        assert saved.previous == f"{path}.previous"
        assert Path(saved.previous).read_text(encoding="utf-8") == original
        assert "cash_out" not in load_config(path).manager.require_pin_for
        at = _at(engine)
        assert section(report(engine)) == [
            "Settings changes (1)",
            f"{at} Ask for the manager PIN",
            "    to",
            '  was "Reverse a transaction,',
            "    Pay a card out in cash,",
            "    Refund to a new card,",
            "    Change settings and close",
            "    the shift, Manage gift",
            '    cards"',
            '  now "Reverse a transaction,',
            "    Refund to a new card,",
            "    Change settings and close",
            "    the shift, Manage gift",
            '    cards"',
            "  by manager PIN, cashier Ann",
        ]
        assert settings.save(tables, "").previous is None  # nothing changed: the kept one stays
        assert Path(f"{path}.previous").read_text(encoding="utf-8") == original
    finally:
        engine.close()
    # By hand, between two starts: a new PIN and a cashier's name; found at the next start.
    edited = path.read_text(encoding="utf-8").replace(first_hash, hash_pin(NEW_PIN))
    edited = edited.replace('cashier = ""', 'cashier = "Bea"')
    path.write_text(edited, encoding="utf-8")
    engine, settings = start(path, provider)
    try:
        at = _at(engine)
        assert section(report(engine))[0] == "Settings changes (3)"
        assert section(report(engine))[-10:] == [
            f"{at} Cashier's name on",
            "    receipts",
            "  was (none)",
            '  now "Bea"',
            "  changed outside the till",
            "    (found at the start)",
            f"{at} Manager PIN",
            "  changed",
            "  changed outside the till",
            "    (found at the start)",
        ]
        z = [line.label for line in engine.terminal.shift.z_report().lines]
        assert section(z)[0] == "Settings changes (3)"  # the Z lists them as the X does
        assert "Settings changes" not in " ".join(report(engine))  # the next shift: none yet
    finally:
        engine.close()
    logged = [r.getMessage() for r in caplog.records if r.name == "posapp.settings"]
    assert logged == [
        "setting changed by manager PIN, cashier Ann: Ask for the manager PIN to "
        '(manager.require_pin_for): "Reverse a transaction, Pay a card out in cash, Refund '
        'to a new card, Change settings and close the shift, Manage gift cards" to '
        '"Reverse a transaction, Refund to a new card, Change settings and close the shift, '
        'Manage gift cards"',
        "setting changed outside the till (found now): Cashier's name on receipts (terminal.cashier): "
        '(none) to "Bea"',
        "setting changed outside the till (found now): Manager PIN (manager.pin_hash): changed",
    ]
    # Secrets never in the journal (its file and its write-ahead log) nor the log.
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("journal.db*"))
    assert b"setting_changes" in stored  # the file read is the journal
    for secret in (first_hash, load_config(path).manager.pin_hash):
        assert secret.encode() not in stored
        assert secret.split("$")[-1].encode() not in stored  # nor its digest alone
        assert secret not in caplog.text


def _at(engine: Engine) -> str:
    return f"{engine.terminal.shift.clock().astimezone():%H:%M}"
