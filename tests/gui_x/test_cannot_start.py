"""Issue 19: a till that cannot start says why on its screen, and with no screen at all in
one sentence; no traceback reaches a person. `posapp` as a kiosk's X session starts it: its
own process, keys through the X server."""

from __future__ import annotations

import os
import subprocess
import sys
import tkinter as tk
from pathlib import Path

import pytest
from PIL import ImageGrab

from posapp.ui.cannot_start import TITLE, CannotStart
from tests.gui_x.conftest import DEADLINE, XServer
from tests.helpers import wait_for

pytestmark = pytest.mark.gui
BAD_PATTERN = "[[patterns]]\nname = \"Voucher\"\nregex = '^(\\d{12}$'\n"  # a ( not closed
SAID = r"patterns #1.regex (Voucher): '^(\d{12}$': not a valid pattern (missing ): ^(\d{12}$)"


def posapp(*args: str, env: dict[str, str], folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "posapp", *args],
        env={
            **env,
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_DATA_HOME": str(folder / "data"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_config_mistake_is_said_on_the_screen_and_enter_closes_it(
    xserver: XServer, tmp_path: Path
) -> None:
    """The trial: a bad pattern printed to stderr and exited; the kiosk (`exec posapp` in
    .xinitrc) showed a black screen."""
    config = tmp_path / "posapp.toml"
    config.write_text(BAD_PATTERN, encoding="utf-8")
    child = posapp("--config", str(config), env=xserver.env, folder=tmp_path)
    try:
        (window,) = wait_for(xserver.client_windows, 20, "the window saying why")
        assert xserver.output("xdotool", "getwindowname", str(window)).strip() == TITLE
        # The screen as a person sees it (docs: look at it): kept beside the test's files.
        ImageGrab.grab(xdisplay=xserver.display).save(tmp_path / "cannot-start.png")
        if xserver.mode == "kiosk":  # the whole screen (openbox keeps its title bar)
            assert xserver.geometry(window) == (0, 0, 1024, 768)
        if xserver.mode == "openbox":  # a window manager gives the keyboard to a new window
            subprocess.run(["xdotool", "windowactivate", "--sync", str(window)], env=xserver.env)
        subprocess.run(["xdotool", "key", "Return"], env=xserver.env, check=True, timeout=10)
        assert child.wait(DEADLINE) == 2
    finally:
        if child.poll() is None:
            child.kill()
        out, err = child.communicate()
    assert SAID in err  # stderr too, for a till started from a terminal
    assert "Traceback" not in out + err


def test_the_window_shows_each_problem_as_the_file_holds_it(xserver: XServer) -> None:
    root = tk.Tk(screenName=xserver.display)
    try:
        shown = CannotStart(root, "The config file x.toml cannot be used:", [SAID], "Fix it.")
        root.update()
        labels = [
            w.cget("text")
            for w in root.winfo_children()[0].winfo_children()
            if isinstance(w, tk.ttk.Label)
        ]
        assert labels == [TITLE, "The config file x.toml cannot be used:", f"•  {SAID}", "Fix it."]
        assert shown.words[1] == f"•  {SAID}"
        assert root.focus_get() is shown.close
    finally:
        root.destroy()


@pytest.mark.parametrize("command", [[], ["demo"]])
@pytest.mark.parametrize("display", [None, ":97"])  # none set; one that is not there
def test_with_no_screen_one_sentence_and_an_exit_code(
    tmp_path: Path, command: list[str], display: str | None
) -> None:
    """The trial: `posapp` and `posapp demo` with no display ended in a traceback."""
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    if display is not None:
        env["DISPLAY"] = display
    child = posapp(*command, env=env, folder=tmp_path)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 3
    assert "Traceback" not in out + err
    (sentence,) = err.strip().splitlines()
    assert sentence.startswith("posapp ")
    assert sentence.endswith(".")
