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
    done = run(str(BIN / "posapp"), "check", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "xdg" / "posapp" / "posapp.toml").is_file()
    assert "SVS gift card" in done.stdout
    assert "it is valid" in done.stdout


def test_a_bad_config_names_the_key_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[scanner]\nbaudrate = 9601\n", encoding="utf-8")
    done = run(sys.executable, "-m", "posapp", "--config", str(bad), "check", cwd=tmp_path)
    assert done.returncode == 2
    assert "scanner.baudrate: 9601 is not a standard rate" in done.stderr


def test_the_pattern_tester(tmp_path: Path) -> None:
    done = run(str(BIN / "posapp"), "pattern", "svs_gc-123456789012345", cwd=tmp_path)
    assert done.stdout.strip() == "SVS gift card matched: code 123456789012345"
    done = run(str(BIN / "posapp"), "pattern", "hello", cwd=tmp_path)
    assert "not a gift card this store knows" in done.stdout


def test_the_provider_command_is_installed() -> None:
    assert (BIN / "posapp-provider").exists()
