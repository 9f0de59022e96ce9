"""A till installs only what a till runs (issue 20, point 6).

The wheel is built from a copy of the tree. Its metadata names the provider's server stack
(FastAPI, uvicorn, SQLAlchemy, orjson, httptools, uvloop; psycopg) only under the `provider`
and `postgres` extras, and every package of the tree ships in it. Then the bare wheel goes into
a fresh virtual environment (its dependencies from pip's index, as a till's install would
take them): the server stack is not there, `posapp check --offline` checks the till, and
`posapp demo` and `posapp-provider` say in one sentence what to install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVER = {"fastapi", "uvicorn", "sqlalchemy", "orjson", "httptools", "uvloop"}
INSTALL = "`pip install 'posapp[provider]'` (the README's first command does)."


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """posapp's wheel, built from a copy of what the build reads (the tree stays clean)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("posapp", "hardware", "assets"):
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode != 0 and "setuptools" in built.stderr and "find" in built.stderr.lower():
        pytest.skip(f"pip could not fetch the build backend (setuptools): {built.stderr[-300:]}")
    assert built.returncode == 0, built.stderr
    (found,) = out.glob("posapp-*.whl")
    return found


def requirements(wheel: Path) -> list[tuple[str, str]]:
    """(distribution, marker) of each Requires-Dist: the marker names the extra, if any."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(name).decode())
    found = []
    for line in metadata.get_all("Requires-Dist") or []:
        requirement, _, marker = line.partition(";")
        found.append((re.split(r"[\s\[<>=!~]", requirement.strip())[0].lower(), marker))
    return found


def test_the_wheel_names_the_server_only_under_the_provider_extra(wheel: Path) -> None:
    found = requirements(wheel)
    bare = {name for name, marker in found if "extra ==" not in marker}
    assert not bare & (SERVER | {"psycopg"}), bare
    # What the till runs, and the contract it reads answers through.
    assert {"httpx", "keyring", "pydantic", "google-re2", "pillow"} <= bare
    provider = {name for name, marker in found if re.search(r"extra == ['\"]provider['\"]", marker)}
    assert provider == SERVER
    postgres = {name for name, marker in found if re.search(r"extra == ['\"]postgres['\"]", marker)}
    assert {"posapp", "psycopg"} <= postgres  # posapp[provider] with psycopg
    test = {name for name, marker in found if re.search(r"extra == ['\"]test['\"]", marker)}
    assert "posapp" in test  # posapp[provider,postgres]: tests/run.sh and .ci/run get it all


def test_every_package_of_the_tree_ships(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = {Path(n).parent.as_posix() for n in archive.namelist() if n.endswith(".py")}
    packages = {
        init.parent.relative_to(ROOT).as_posix()
        for top in ("posapp", "hardware")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert packages <= shipped, packages - shipped
    assert "posapp/contract" in shipped


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    env.update(
        XDG_CONFIG_HOME=str(cwd / "xdg"),
        XDG_DATA_HOME=str(cwd / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_a_bare_install_checks_a_till_offline(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    made = run(sys.executable, "-m", "venv", str(venv), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    bin_ = venv / "bin"
    installed = run(str(bin_ / "pip"), "install", "-q", str(wheel), cwd=tmp_path, timeout=600)
    if installed.returncode != 0 and re.search(
        r"No matching distribution|Could not find a version|connection|resolve", installed.stderr
    ):
        pytest.skip(
            f"pip could not reach its index for the till's dependencies: {installed.stderr[-300:]}"
        )
    assert installed.returncode == 0, installed.stderr

    for module in ("fastapi", "uvicorn", "sqlalchemy", "starlette", "orjson"):
        probe = run(str(bin_ / "python"), "-c", f"import {module}", cwd=tmp_path)
        assert probe.returncode != 0, f"{module} came with the bare package"

    checked = run(str(bin_ / "posapp"), "check", "--offline", cwd=tmp_path)
    assert "(it is valid)" in checked.stdout, checked.stderr
    assert "Traceback" not in checked.stderr + checked.stdout
    assert checked.returncode == 1  # what a fresh till lacks (a PIN, a printer) says NOT READY
    assert "NOT READY: Manager PIN" in checked.stdout

    demo = run(str(bin_ / "posapp"), "demo", "--no-window", cwd=tmp_path)
    assert demo.returncode == 2
    assert (
        demo.stderr.strip()
        == f"The demo runs the reference provider, which is not installed here: {INSTALL}"
    )

    provider = run(str(bin_ / "posapp-provider"), "init", "--store-name", "Shop", cwd=tmp_path)
    assert provider.returncode == 2
    assert "Traceback" not in provider.stderr
    assert provider.stderr.strip() == (
        f"posapp-provider: the reference provider's server, which is not installed here: {INSTALL}"
    )
