"""The till's own log (the trial of a till, 5b #7; the Adyen trial, 5a #6): a store's till
wrote no log file, and the demo's held one line after a whole shift, while the screen says
"the details are in the log". The till writes a rotating file under the user's data folder,
card numbers masked and tokens never in it; what the cashier was told and what was done go
in it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from posapp.cli import till_log
from posapp.redact import LOG_BYTES, install
from posapp.terminal.ports import CashierError
from posapp.terminal.words import words_for


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    redactor = install()
    path = till_log()
    yield path
    for handler in root.handlers[:]:
        # pytest's own handlers live for the session: the redactor (which rewrites each record
        # it passes) must leave them, or every later test's captured log reads redacted.
        handler.removeFilter(redactor)
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_the_till_logs_to_a_rotating_file_in_its_data_folder_masked(
    log_file: Path, tmp_path: Path
) -> None:
    assert log_file == tmp_path / "posapp" / "posapp.log"  # ~/.local/share/posapp/posapp.log
    handler = next(
        h for h in logging.getLogger().handlers if getattr(h, "baseFilename", "") == str(log_file)
    )
    assert handler.maxBytes == LOG_BYTES  # type: ignore[attr-defined]
    token = "pgc_live_0123456789abcdefABCDEF"  # a made-up token, its shape
    logging.getLogger("posapp.test").info("validate code 500000000000001 with %s", token)
    words_for(CashierError("The gift card provider cannot be reached"))
    handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "said: The gift card provider cannot be reached" in text
    assert "500000000000001" not in text
    assert "0001" in text  # masked, its last four kept
    assert token not in text
