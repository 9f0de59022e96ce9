"""Whether this machine has the reference provider's server: pyproject's `provider` extra.

A till installs `posapp` alone (issue 20); `posapp-provider` and `posapp demo` then say in one
sentence what to install, where a bare traceback named a module nobody asked for. Asked with
importlib, before any module of the server stack is imported.
"""

from __future__ import annotations

from importlib.util import find_spec

# What the provider and the demo's servers import (pyproject.toml, `provider`).
SERVER_STACK = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "orjson")


def not_installed(what: str) -> str | None:
    """A sentence beginning with `what` when the extra is missing; None when it is there."""
    if all(find_spec(name) is not None for name in SERVER_STACK):
        return None
    return (
        f"{what}, which is not installed here: `pip install 'posapp[provider]'` "
        "(the README's first command does)."
    )
