"""The `Any` budget (issue 20, point 5): `Any` only at JSON and library edges, counted, with
today's count as a ceiling that each change may only lower.

How it counts (the issue's "uses of the name"): every `.py` under `posapp/` and `hardware/` is
parsed with `ast`, and every `Any` node is one use: the name `Any` and the attribute
`typing.Any`. Import statements are alias nodes, so `from typing import Any` does not count;
comments and strings do not count. "In annotations" is the same nodes inside parameter, return
and `x: T` annotations (the rest are in casts, aliases and type arguments).

    python tests/test_any_budget.py --count DIR
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("posapp", "hardware")

# The most uses of the name `Any` shipped code may hold: the count when this ceiling was last
# set. Lower it in the commit that removes some (`--count .` says the figure); never raise it:
# type the new code instead (a typed row, a Protocol, `object`, the JSON types). A count under
# the ceiling passes, so that removing an `Any` never turns the suite red.
CEILING = 87


def _is_any(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Any") or (
        isinstance(node, ast.Attribute) and node.attr == "Any"
    )


def _annotations(tree: ast.AST) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            yield node.annotation
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            yield node.returns
        elif isinstance(node, ast.AnnAssign):
            yield node.annotation


def count_file(path: Path) -> tuple[int, int]:
    """Uses of `Any` in one file: (all, in annotations)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    everywhere = sum(1 for node in ast.walk(tree) if _is_any(node))
    annotated = sum(
        1 for annotation in _annotations(tree) for node in ast.walk(annotation) if _is_any(node)
    )
    return everywhere, annotated


def count(root: Path) -> dict[str, tuple[int, int]]:
    """Per file (relative path): (all, in annotations), files with at least one use."""
    found: dict[str, tuple[int, int]] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if any(part.startswith(".") for part in relative.parts):
                continue
            uses = count_file(path)
            if uses[0]:
                found[relative.as_posix()] = uses
    return found


def _area(relative: str) -> str:
    """provider, ui, adapters, square_fake, core, terminal, hardware, or the top module."""
    parts = relative.split("/")
    if parts[0] == "hardware":
        return "hardware"
    return parts[1]  # posapp/<package>/... or posapp/<module>.py


def total(root: Path) -> int:
    return sum(uses for uses, _ in count(root).values())


def test_any_stays_under_its_ceiling() -> None:
    found = count(ROOT)
    uses = sum(all_ for all_, _ in found.values())
    worst = sorted(found.items(), key=lambda item: -item[1][0])[:10]
    assert uses <= CEILING, (
        f"{uses} uses of Any in posapp/ and hardware/, the ceiling is {CEILING}: type the new "
        f"code (a Protocol, a typed row, object, the JSON types). Most: {worst}"
    )


def test_the_count_sees_names_and_attributes_not_imports_or_words(tmp_path: Path) -> None:
    (tmp_path / "posapp").mkdir()
    (tmp_path / "posapp" / "m.py").write_text(
        "import typing\n"
        "from typing import Any, cast\n"
        "# Any in a comment\n"
        "x: dict[str, Any] = {}\n"
        "def f(a: Any, *b: typing.Any, **c: Any) -> list[Any]:\n"
        "    '''Any in a string'''\n"
        "    return cast(Any, a)\n"
        "Alias = Any\n"
    )
    assert count(tmp_path) == {"posapp/m.py": (7, 5)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", metavar="DIR", type=Path, required=True)
    parser.add_argument("--files", action="store_true", help="each file's count too")
    args = parser.parse_args(argv)
    found = count(args.count.resolve())
    areas: Counter[str] = Counter()
    for relative, (uses, _) in found.items():
        areas[_area(relative)] += uses
    uses = sum(all_ for all_, _ in found.values())
    annotated = sum(in_annotations for _, in_annotations in found.values())
    print(f"tree: {args.count.resolve()}")
    print(f"uses of Any: {uses} ({annotated} in annotations) in {len(found)} files")
    if args.count.resolve() == ROOT:
        print(f"ceiling (tests/test_any_budget.py CEILING): {CEILING}")
    print("by area: " + ", ".join(f"{area} {n}" for area, n in areas.most_common()))
    if args.files:
        for relative, (all_, in_annotations) in sorted(found.items(), key=lambda i: -i[1][0]):
            print(f"  {all_:4} {in_annotations:4}  {relative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
