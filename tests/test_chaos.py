"""The chaos campaign of issue 13, small: 2 terminal processes, 200 money operations, a few
SIGKILLs of terminals and of the provider, through the fault proxy; every journal settles
and agrees with the ledger. (benchmarks/chaos.py --terminals 8 --operations 10000 is the
full run.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(120)
def test_a_small_chaos_run_loses_doubles_and_orphans_nothing() -> None:
    done = subprocess.run(
        [
            *(sys.executable, str(ROOT / "benchmarks" / "chaos.py")),
            *("--terminals", "2", "--operations", "200"),
            *("--terminal-kills", "3", "--provider-kills", "1"),
            *("--time-limit", "90", "--json", "--check-the-check"),
        ],
        capture_output=True,
        text=True,
        timeout=110,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["operations"] == 200
    assert result["completed"] + result["declined"] == 200
    # A kill falls due as the run's progress passes a random point; one due when both
    # terminals have just finished has no one to kill.
    assert result["terminal_kills"] >= 2
    assert result["provider_kills"] == 1
    for row in ("left unknown", "lost", "doubled", "orphaned", "balance mismatches", "crashes"):
        assert result[row] == 0, (row, result)
    assert result["ledger movements"] == result["completed"]
    assert "unknown then settled" in done.stdout  # the table is printed
    # The same reconciliation, after a movement no journal knows and a journal entry naming
    # a transaction the ledger lacks were put in: it finds them.
    wrong = result["with faults put in"]
    assert (wrong["lost"], wrong["doubled"], wrong["orphaned"]) == (1, 1, 1), wrong
    assert wrong["balance mismatches"] >= 1
