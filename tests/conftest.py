"""Settings and hooks for the whole suite."""

import gc
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis's per-example deadline (200 ms) measures the machine, not the code: on a
# two-core CI runner busy with PostgreSQL and Xvfb a pure function's example can wait
# that long for a core. Speed targets are measured by benchmarks/, so the property tests
# here check only what they assert.
settings.register_profile("posapp", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("posapp")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[object]:
    """After each test of a window tier (tests/gui, tests/gui_x), once pytest has let go of
    its fixtures' values: the window, its widgets and the Tk interpreter, in reference
    cycles, are freed here, on the Tk thread, and automatic collection goes back on. A
    collection triggered later on a worker thread would free them there: "main thread is
    not in main loop", or for the interpreter itself an abort of the whole run."""
    try:
        return (yield)
    finally:
        if {"gui", "gui_x"} & set(item.path.relative_to(item.config.rootpath).parts):
            gc.collect()
            gc.enable()
