"""A till runs without the provider's server stack (issue 20, points 1 and 6).

The till's modules are imported, and `posapp check --offline` and `posapp run` run, in a fresh
interpreter whose import system refuses FastAPI, Starlette, uvicorn, SQLAlchemy and the rest of
the provider's stack: any of them needed, or even asked for, fails. A till's own code never names
the provider (posapp.provider) either, in any import statement (module level, under
`TYPE_CHECKING` or inside a function): only the provider's rooms, the demo's composition and
the tests do.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_layers import ROOT, _statements, imports_of, modules_of

# What `pip install posapp[provider]` adds: the server, its database and its fast paths.
SERVER_STACK = (
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "psycopg",
    "orjson",
    "uvloop",
    "httptools",
)
# Where posapp.provider may be named: its own room, the fakes of Square and Adyen (servers,
# which serve the provider's demo cards), and the demo's composition root, which starts the
# provider beside the till (posapp/demo.py). tests/, benchmarks/ and docs/*.py are not shipped
# to a till.
MAY_NAME_THE_PROVIDER = (
    "posapp/provider/",
    "posapp/square_fake/",
    "posapp/adyen_fake/",
    "posapp/newstore_fake/",
    "posapp/demo.py",
    "posapp/demo_cards.py",
)


def the_tills_modules() -> list[str]:
    """Every module a till may load: all of posapp and hardware but the provider's rooms, the
    demo, and `python -m posapp` (which runs the command line on import)."""
    return sorted(
        name
        for name, path in modules_of(ROOT).items()
        if not path.startswith(MAY_NAME_THE_PROVIDER)
        and path != "posapp/demo_simulator.py"
        and name != "posapp.__main__"
    )


# Run first in the child: a meta path finder that refuses the server stack and writes down
# every attempt, even one that a library catches.
BLOCKER = """
import importlib.abc, json, sys
BLOCKED = set(json.loads(sys.argv[1]))
ASKED = []
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            ASKED.append(name)
            raise ModuleNotFoundError(f"a till does not install {name}", name=name)
        return None
sys.meta_path.insert(0, Refuse())
import atexit
atexit.register(lambda: print("ASKED " + json.dumps(ASKED), file=sys.stderr))
"""


def blocked_python(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(cwd / "xdg"),
        "XDG_DATA_HOME": str(cwd / "data"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + code, json.dumps(SERVER_STACK), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def asked(done: subprocess.CompletedProcess[str]) -> list[str]:
    lines = [line for line in done.stderr.splitlines() if line.startswith("ASKED ")]
    assert lines, done.stderr
    return list(json.loads(lines[-1].removeprefix("ASKED ")))


def test_the_blocker_refuses_the_server_stack(tmp_path: Path) -> None:
    """The check below would pass with a blocker that blocks nothing."""
    done = blocked_python("import posapp.provider.app", cwd=tmp_path)
    assert done.returncode != 0
    assert "a till does not install" in done.stderr
    assert asked(done)


def test_the_tills_modules_import_without_the_server_stack(tmp_path: Path) -> None:
    modules = the_tills_modules()
    assert {"posapp.app", "posapp.adapters.api_client", "posapp.contract.answers"} <= set(modules)
    code = "import importlib\nfor name in sys.argv[2:]:\n    importlib.import_module(name)\n"
    done = blocked_python(code, *modules, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert asked(done) == []


def test_posapp_check_offline_runs_without_the_server_stack(tmp_path: Path) -> None:
    code = "from posapp.cli import main\nsys.exit(main(['check', '--offline']))\n"
    done = blocked_python(code, cwd=tmp_path)
    assert "(it is valid)" in done.stdout, done.stderr
    assert "Traceback" not in done.stderr
    assert done.returncode == 1  # a fresh till has no PIN nor printer yet (test_cli.py)
    assert asked(done) == []


def test_posapp_run_starts_the_till_without_the_server_stack(tmp_path: Path) -> None:
    """The till's window, wired by app.py (every import its start runs, lazy ones too), on a
    fresh config: ready, then closed (benchmarks/ui_latency.py's flag)."""
    code = "from posapp.cli import main\nsys.exit(main(['run', '--ready-and-exit']))\n"
    done = blocked_python(code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ready" in done.stdout.split()
    assert asked(done) == []


def test_no_till_module_names_the_provider() -> None:
    named = [
        str(imp)
        for imp in imports_of(ROOT)
        if imp.imported.startswith("posapp.provider")
        and not imp.path.startswith(MAY_NAME_THE_PROVIDER)
    ]
    assert named == [], "the till imports the provider; read posapp.contract instead"


def test_no_till_module_names_the_server_stack() -> None:
    """Also where the child above does not reach: inside functions and TYPE_CHECKING."""
    modules = modules_of(ROOT)
    named = []
    for name in the_tills_modules():
        path = modules[name]
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), path)
        for node, kind in _statements(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""] * (node.level == 0)
            )
            named += [
                f"{path}:{node.lineno} {n} ({kind})"
                for n in names
                if n.split(".")[0] in SERVER_STACK
            ]
    assert named == []
