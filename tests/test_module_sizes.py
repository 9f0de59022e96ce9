"""No module over 400 lines in `posapp/` and `hardware/` (issue 20, point 5; house rule 8).

Today's bigger modules are `TOO_BIG`, each with its size when it was listed as its ceiling,
grouped by the work package of the redesign that splits it. A listed module may shrink but not
grow past its ceiling; once under 400 lines its line here goes (a listed module under 400
fails, so the list only shrinks). New code goes in new small modules named in the seeds' words.

Lines are counted as `wc -l` counts them.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("posapp", "hardware")
LIMIT = 400

TOO_BIG: dict[str, dict[str, int]] = {
    "WP1 rules, config & edges": {},
    "WP2 terminal": {},
    "WP3 window": {},
    "WP4 provider, contract, packaging": {},
}


def sizes(root: Path) -> dict[str, int]:
    """Lines of every module under root's packages, by path relative to root."""
    found: dict[str, int] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if not any(part.startswith(".") for part in relative.parts):
                found[relative.as_posix()] = path.read_bytes().count(b"\n")
    return found


def _ceilings() -> dict[str, int]:
    return {path: lines for group in TOO_BIG.values() for path, lines in group.items()}


def test_no_module_grows_past_its_ceiling() -> None:
    ceilings = _ceilings()
    too_big = {
        path: lines for path, lines in sizes(ROOT).items() if lines > ceilings.get(path, LIMIT)
    }
    assert not too_big, (
        f"modules over {LIMIT} lines (or their ceiling in TOO_BIG): {too_big}. Put the new "
        "code in a new small module named in the seeds' words (CONTRIBUTING.md, rule 8)"
    )


def test_every_listed_module_is_still_too_big() -> None:
    found = sizes(ROOT)
    stale = {path: found.get(path) for path in _ceilings() if found.get(path, 0) <= LIMIT}
    assert not stale, (
        f"listed in TOO_BIG but gone or at most {LIMIT} lines now: {stale}; delete their lines"
    )


def test_the_groups_do_not_list_a_module_twice() -> None:
    listed = [path for group in TOO_BIG.values() for path in group]
    assert len(listed) == len(set(listed))
