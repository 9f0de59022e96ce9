"""`posapp check --scan` with a USB wedge scanner (issue 25.2): each scan as it arrived, as
the calibration reads it, and the pattern that took it. Piped in here (a line a scan), as a
person tests a scanner by typing or piping; on a terminal a small window takes the scan."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from posapp.check import listen_for_scans
from posapp.config import Config


def test_each_scan_is_shown_as_it_arrived_and_as_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = Config()
    config = replace(config, scanner=replace(config.scanner, wedge_map="?_ ß-"))
    monkeypatch.setattr("sys.stdin", io.StringIO("SVS?GCß500000000000001\ngarbage\n"))
    out = io.StringIO()
    assert listen_for_scans(config, None, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "arrived 'SVS?GCß500000000000001', read 'SVS_GC-500000000000001': "
        "SVS gift card -> card code 500000000000001"
    )
    assert lines[1].startswith("arrived 'garbage', read 'garbage': This is not a gift card")


def test_uncalibrated_a_layouts_scan_is_said_to_be_a_layout_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("SVS?GCß500000000000001\n"))
    out = io.StringIO()
    listen_for_scans(Config(), 1, out)
    assert out.getvalue() == (
        "arrived 'SVS?GCß500000000000001', read 'SVS?GCß500000000000001': "
        "This scan looks like a keyboard layout problem: F12, Calibrate the scanner\n"
    )
