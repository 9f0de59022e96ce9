"""Where the providers' published OpenAPI subsets are: `../shared/specs/` beside the clone.

They are the providers' data, not ours (../shared/specs/README.md): nothing derived from them
is in the project. The fakes check requests against them when they are there, and tests hold
our wire models to them; a clone elsewhere (a store's laptop, a wheel) has none, and then the
fakes check nothing and those tests skip.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]  # the clone (posapp/ is at its top)


def _main_clone(root: Path) -> Path:
    """A git worktree's main clone (its `.git` is a file naming .../.git/worktrees/NAME):
    the specs sit beside the clone, not beside each of its worktrees."""
    dot_git = root / ".git"
    if dot_git.is_file():
        line = dot_git.read_text(encoding="utf-8").strip()
        if line.startswith("gitdir:"):
            gitdir = Path(line.removeprefix("gitdir:").strip())
            if gitdir.parent.name == "worktrees":
                return gitdir.parents[2]
    return root


def specs_folder(root: Path = _ROOT) -> Path | None:
    """../shared/specs of this clone (or of the clone this worktree belongs to), if there."""
    for clone in (root, _main_clone(root)):
        folder = clone.parent / "shared" / "specs"
        if folder.is_dir():
            return folder
    return None


@cache
def published(name: str) -> dict[str, object] | None:
    """One spec by its path under specs/ ("adyen/checkout-openapi.json"), or None."""
    folder = specs_folder()
    if folder is None or not (folder / name).is_file():
        return None
    loaded: dict[str, object] = json.loads((folder / name).read_text(encoding="utf-8"))
    return loaded
