"""The window is drawn before the engine's modules load (issue 20 point 8: the cold start,
benchmarks/ui_latency.py, came back within 10 % of before by this).

What `posapp run` imports to draw the window (app.py, the window, its menu and the settled
announcer) must not bring in the use cases, the adapters or the network stack: those load
while the cashier looks at the window. A module-level import of one of them in ui/ (rather
than under TYPE_CHECKING, or in the function that runs once the engine is built) fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.test_layers import ROOT

DRAWS_THE_WINDOW = ("posapp.app", "posapp.ui.window", "posapp.ui.menu", "posapp.ui.settled")
LOADS_LATER = (
    "posapp.terminal.service",
    "posapp.terminal.till_calls",
    "posapp.terminal.movement",
    "posapp.terminal.words",
    "posapp.adapters.journal",
    "posapp.adapters.api_client",
    "posapp.core.nearmiss",
    "httpx",
    "pydantic",
)


def test_drawing_the_window_loads_no_use_case_adapter_or_network_stack() -> None:
    program = (
        "import importlib, json, sys\n"
        f"for name in {DRAWS_THE_WINDOW!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout))
    assert set(DRAWS_THE_WINDOW) <= loaded
    assert sorted(loaded & set(LOADS_LATER)) == []
