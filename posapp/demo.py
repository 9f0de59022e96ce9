"""`posapp demo`: everything on one machine, no hardware."""

from __future__ import annotations

from posapp.config import Config


def run_demo(config: Config, *, window: bool) -> int:
    raise NotImplementedError
