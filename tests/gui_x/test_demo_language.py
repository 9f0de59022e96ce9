"""`posapp demo --language de` (issue 25 point 1), a real process on the real X server: its
windows speak German (the scanner simulator's title, a message of the catalogs, read back from
the X server), whatever the config's [terminal] language says."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui_x.conftest import XServer
from tests.helpers import wait_for

pytestmark = pytest.mark.gui


def titled(xserver: XServer, title: str) -> bool:
    return bool(xserver.output("xdotool", "search", "--name", f"^{title}$").split())


def test_posapp_demo_language_de_opens_a_german_window(xserver: XServer, tmp_path: Path) -> None:
    if xserver.mode != "kiosk":
        pytest.skip("one display is enough: the language is the process's, not the display's")
    env = {
        **xserver.env,
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "LANG": "C.UTF-8",  # not the OS's language: the option's
        "LANGUAGE": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "posapp", "demo", "--language", "de"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(
            lambda: titled(xserver, "Scanner-Simulator") or process.poll() is not None,
            60.0,
            "the demo's German window",
        )
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert not titled(xserver, "Scanner simulator")
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert "Traceback" not in err
