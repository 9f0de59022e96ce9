"""The house's layers, read from the code's own imports (issue 20, point 1).

Every `import` statement of ours in `posapp/` and `hardware/` is read with `ast`: at module
level, under `if TYPE_CHECKING:` and inside functions, each said separately. A file may import
its own room and the rooms its row of `LAYERS` names, nothing else; and no import may close a
cycle between modules, inside a room or across rooms. `LAYERS` is the table CONTRIBUTING.md
shows (a test below keeps the two the same).

Today's exceptions are `KNOWN_VIOLATIONS`, grouped by the work package of the redesign that
removes them. The list only shrinks: an import against the order or closing a cycle that is not
listed fails, and so does a listed one that no longer is (delete its line).

Unit: one import statement naming one module of ours (`from a import b, c` of one module is 1;
`from posapp.core import money, gift` is 2). An entry is matched by importer, imported module
and kind, not by line, so that editing a file above the import does not break the list; a key
listed twice allows two such statements.

    python tests/test_layers.py --count DIR    # imports, against the order, cycles, for a tree
    python tests/test_layers.py --picture [DIR]   # the rooms and the imports between them
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("posapp", "hardware")

Kind = Literal["module", "TYPE_CHECKING", "function"]
KINDS: tuple[Kind, ...] = ("module", "TYPE_CHECKING", "function")


@dataclass(frozen=True, slots=True)
class Room:
    rank: int  # bottom 1 .. top 6; a room imports only rooms of lower rank (or as listed)
    name: str
    files: tuple[str, ...]  # path prefixes from the repository's root
    may_import: tuple[str, ...]  # room names or dotted module names (with what is under them)
    note: str = ""


_EVERY = "every room"
_EVERY_BUT_CLI = "every room but cli"

# The table of CONTRIBUTING.md ("The house"). Files of today that move to another room in the
# redesign (config_file.py) sit in the room they go to; files named here that do
# not exist yet (config_read.py, command_help.py, contract/, ...) match nothing until they do.
LAYERS: tuple[Room, ...] = (
    Room(1, "hardware", ("hardware/",), (), "nothing of ours; publishable alone"),
    # The words' catalogs (issue 25): gettext and nothing of ours, so that every room with
    # words a person reads may use them, core included.
    Room(1, "i18n", ("posapp/i18n.py", "posapp/locale/"), (), "nothing of ours"),
    Room(1, "core", ("posapp/core/",), ("i18n",), "nothing of ours but the words' catalogs"),
    Room(2, "terminal", ("posapp/terminal/",), ("core", "i18n")),
    Room(
        2,
        "shared",
        (
            "posapp/__init__.py",
            "posapp/config.py",
            "posapp/config_read.py",
            "posapp/config_checks.py",
            "posapp/config_form.py",
            "posapp/config_offline.py",
            "posapp/config_receipt.py",
            "posapp/config_scanner.py",
            "posapp/deadline.py",
            "posapp/redact.py",
            "posapp/command_help.py",
            "posapp/contract/",
            "posapp/adyen_wire/",
            "posapp/newstore_wire/",
            "posapp/published_specs.py",
        ),
        ("core", "hardware", "i18n"),
    ),
    Room(
        3,
        "adapters",
        ("posapp/adapters/", "posapp/config_file.py"),
        ("core", "terminal", "shared", "hardware", "i18n"),
        "`config_file.py` moves into `adapters/`",
    ),
    Room(3, "ui", ("posapp/ui/",), ("core", "terminal", "shared", "hardware", "i18n")),
    Room(
        3,
        "provider",
        ("posapp/provider/",),
        (
            "core",
            "posapp.contract",
            "posapp.newstore_wire",
            "posapp.command_help",
            "posapp.redact",
        ),
    ),
    Room(4, "square_fake", ("posapp/square_fake/",), ("core", "shared", "provider")),
    Room(4, "adyen_fake", ("posapp/adyen_fake/",), ("core", "shared", "provider")),
    Room(4, "newstore_fake", ("posapp/newstore_fake/",), ("core", "shared", "provider")),
    Room(
        4,
        "check",
        ("posapp/check.py", "posapp/check_rules.py", "posapp/readiness.py"),
        ("core", "terminal", "shared", "hardware", "adapters", "i18n"),
    ),
    Room(
        4,
        "app",
        ("posapp/app.py",),
        ("core", "terminal", "shared", "hardware", "adapters", "ui", "i18n"),
    ),
    Room(
        5,
        "demo",
        ("posapp/demo.py", "posapp/demo_cards.py", "posapp/demo_simulator.py"),
        (_EVERY_BUT_CLI,),
    ),
    Room(6, "cli", ("posapp/cli.py", "posapp/__main__.py"), (_EVERY,)),
)
ROOMS = {room.name: room for room in LAYERS}

# (importer, imported, kind, what it breaks). "order": against LAYERS; "cycle": one of the
# imports whose removal leaves no cycle (the one pointing back up the chain); "order+cycle":
# both. Grouped by the work package of issue 20's redesign that owns
# the importing file and deletes the line when it fixes the import.
Violation = tuple[str, str, Kind, Literal["order", "cycle", "order+cycle"]]
KNOWN_VIOLATIONS: dict[str, list[Violation]] = {
    "WP1 rules, config & edges": [],
    "WP2 terminal": [],
    "WP3 window": [],
    "WP4 provider, contract, packaging": [],
}


# -- reading the imports ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Import:
    importer: str  # dotted module name
    imported: str  # dotted module name of ours
    kind: Kind
    path: str  # relative to the tree's root
    line: int

    @property
    def key(self) -> tuple[str, str, Kind]:
        return (self.importer, self.imported, self.kind)

    def __str__(self) -> str:
        return f"{self.path}:{self.line} -> {self.imported} ({self.kind})"


def modules_of(root: Path) -> dict[str, str]:
    """Every module of ours under root: dotted name -> path relative to root."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if any(part.startswith(".") for part in relative.parts):
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = relative.as_posix()
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, Kind]]:
    """Each import statement with where it sits: inside a function wins over TYPE_CHECKING."""

    def walk(node: ast.AST, kind: Kind) -> Iterator[tuple[ast.Import | ast.ImportFrom, Kind]]:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, kind
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            kind = "function"
        if isinstance(node, ast.If) and _is_type_checking(node.test) and kind == "module":
            for child in node.body:
                yield from walk(child, "TYPE_CHECKING")
            for child in node.orelse:  # the else of TYPE_CHECKING runs
                yield from walk(child, kind)
            return
        for inner in ast.iter_child_nodes(node):
            yield from walk(inner, kind)

    yield from walk(tree, "module")


def imports_of(root: Path) -> list[Import]:
    """Every import statement of ours in the tree, one per module it names."""
    modules = modules_of(root)
    found: list[Import] = []
    for importer, relative in modules.items():
        tree = ast.parse((root / relative).read_text(encoding="utf-8"), relative)
        is_package = relative.endswith("__init__.py")
        for node, kind in _statements(tree):
            named: list[str] = []
            if isinstance(node, ast.Import):
                named = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:  # relative: from the importer's package
                    package = importer.split(".")
                    drop = node.level - 1 if is_package else node.level
                    package = package[: len(package) - drop] if drop else package
                    base = ".".join([*package, *([base] if base else [])])
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    named.append(submodule if submodule in modules else base)
            targets = dict.fromkeys(
                name for name in named if name.split(".")[0] in PACKAGES
            )  # in order, once per statement
            for name in targets:
                imported = name
                while imported not in modules and "." in imported:
                    imported = imported.rsplit(".", 1)[0]  # `import posapp.core.x.Y`: the module
                found.append(Import(importer, imported, kind, relative, node.lineno))
    return found


# -- the order -------------------------------------------------------------------------------


# Files that issue 20 moved, and where they went: `--count` of a tree from before the move
# (the closing note's BEFORE) sits each in the room of its new place.
MOVED = {"posapp/printing.py": "posapp/adapters/printer.py"}


def room_of(path: str) -> Room | None:
    """The room a file sits in: the longest matching prefix."""
    path = MOVED.get(path, path)
    best: tuple[int, Room] | None = None
    for room in LAYERS:
        for prefix in room.files:
            matches = path == prefix if prefix.endswith(".py") else path.startswith(prefix)
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), room)
    return best[1] if best else None


def allowed(importer: Room, imported_room: Room, imported: str) -> bool:
    if imported_room is importer:
        return True
    for may in importer.may_import:
        if may == _EVERY or (may == _EVERY_BUT_CLI and imported_room.name != "cli"):
            return True
        if may == imported_room.name:
            return True
        if "." in may and (imported == may or imported.startswith(may + ".")):
            return True
    return False


def against_order(imports: Iterable[Import], modules: dict[str, str]) -> list[Import]:
    wrong: list[Import] = []
    for imp in imports:
        importer, imported = room_of(imp.path), room_of(modules[imp.imported])
        assert importer is not None, f"{imp.path} sits in no room of LAYERS"
        assert imported is not None, f"{modules[imp.imported]} sits in no room of LAYERS"
        if not allowed(importer, imported, imp.imported):
            wrong.append(imp)
    return wrong


# -- cycles ----------------------------------------------------------------------------------


def strongly_connected(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Groups of modules that reach each other (Tarjan), each with more than one module or a
    module importing itself; sorted."""
    graph: dict[str, set[str]] = defaultdict(set)
    loops: set[str] = set()
    for a, b in edges:
        graph[a].add(b)
        graph[b]
        if a == b:
            loops.add(a)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1 or node in loops:
                        groups.append(sorted(group))
    return sorted(groups)


def on_a_cycle(imports: Sequence[Import]) -> list[Import]:
    """The statements whose both ends sit in one strongly connected group."""
    group_of = {
        module: n
        for n, group in enumerate(strongly_connected((i.importer, i.imported) for i in imports))
        for module in group
    }
    return [
        i
        for i in imports
        if i.importer in group_of and group_of[i.importer] == group_of.get(i.imported)
    ]


def closing(imports: Sequence[Import], modules: dict[str, str]) -> list[Import]:
    """The statements that close the cycles: kept edges are added one at a time, module-level
    imports first, then in-function, then TYPE_CHECKING, each going down the layers before
    those going sideways or up; a statement whose edge would close a cycle among the edges
    kept so far closes one. The soft imports pointing back up a chain are what this names,
    and what the redesign removes; without them the rest is acyclic."""
    rank = {room.name: room.rank for room in LAYERS}

    def direction(imp: Import) -> int:
        a, b = room_of(imp.path), room_of(modules[imp.imported])
        if a is None or b is None:
            return 1
        return (rank[b.name] > rank[a.name]) - (rank[b.name] < rank[a.name])

    kind_order = {"module": 0, "function": 1, "TYPE_CHECKING": 2}
    ordered = sorted(
        on_a_cycle(imports),
        key=lambda i: (kind_order[i.kind], direction(i), i.importer, i.imported, i.line),
    )
    kept: dict[str, set[str]] = defaultdict(set)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = {start}, [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            for child in kept[node] - seen:
                seen.add(child)
                todo.append(child)
        return False

    closers: list[Import] = []
    for imp in ordered:
        if imp.importer in kept[imp.imported] or reaches(imp.imported, imp.importer):
            closers.append(imp)
        else:
            kept[imp.importer].add(imp.imported)
    return closers


# -- the counts and the picture ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    modules: int
    imports: list[Import]
    against_order: list[Import]
    cycles: list[list[str]]  # the strongly connected groups of modules
    in_cycles: list[Import]  # statements between members of one group
    closing: list[Import]  # of those, the ones that close the cycles


def count(root: Path) -> Counts:
    modules = modules_of(root)
    imports = imports_of(root)
    return Counts(
        modules=len(modules),
        imports=imports,
        against_order=against_order(imports, modules),
        cycles=strongly_connected((i.importer, i.imported) for i in imports),
        in_cycles=on_a_cycle(imports),
        closing=closing(imports, modules),
    )


def print_count(root: Path) -> None:
    figures = count(root)
    by_kind = Counter(i.kind for i in figures.imports)
    print(f"tree: {root}")
    print(f"modules of ours: {figures.modules}")
    kinds = ", ".join(f"{by_kind[k]} {k}" for k in KINDS)
    print(f"import statements of ours: {len(figures.imports)} ({kinds})")
    print(f"against the layer order: {len(figures.against_order)}")
    for imp in figures.against_order:
        print(f"  {imp}")
    sizes = ", ".join(str(len(g)) for g in figures.cycles) or "none"
    print(
        f"cycles: {len(figures.cycles)} (modules in each: {sizes}); {len(figures.in_cycles)} "
        f"statements among their members, {len(figures.closing)} of which close them"
    )
    for group in figures.cycles:
        print(f"  cycle of {len(group)}: {', '.join(group)}")
    for imp in figures.closing:
        print(f"  closes: {imp}")
    either = len({*figures.against_order, *figures.in_cycles})
    print(f"against the order or inside a cycle: {either}")


def picture(root: Path) -> str:
    """The rooms top to bottom with their size, and for each the rooms it imports with the
    number of import statements (and how many of them are against the order)."""
    modules = modules_of(root)
    imports = imports_of(root)
    between: Counter[tuple[str, str]] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    bad = set(against_order(imports, modules))
    for imp in imports:
        a, b = room_of(imp.path), room_of(modules[imp.imported])
        assert a is not None
        assert b is not None
        between[a.name, b.name] += 1
        wrong[a.name, b.name] += imp in bad
    sizes: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for relative in modules.values():
        room = room_of(relative)
        assert room is not None
        sizes[room.name] += (root / relative).read_bytes().count(b"\n")
        files[room.name] += 1
    lines = [
        "rank room         files  lines  -> import statements naming each room (against the order)"
    ]
    for room in sorted(LAYERS, key=lambda r: -r.rank):
        out = sorted(
            ((b, n) for (a, b), n in between.items() if a == room.name and b != room.name),
            key=lambda bn: (-ROOMS[bn[0]].rank, [r.name for r in LAYERS].index(bn[0])),
        )
        arrows = [
            f"{b} {n}"
            + (f" ({wrong[room.name, b]} against the order)" if wrong[room.name, b] else "")
            for b, n in out
        ]
        arrows.append(f"itself {between[room.name, room.name]}")
        lines.append(
            f"{room.rank:>4} {room.name:<12} {files[room.name]:>5} {sizes[room.name]:>6}  -> "
            + ", ".join(arrows)
        )
    return "\n".join(lines)


# -- the tests -------------------------------------------------------------------------------


def _known(what: Literal["order", "cycle"]) -> Counter[tuple[str, str, Kind]]:
    return Counter(
        (importer, imported, kind)
        for entries in KNOWN_VIOLATIONS.values()
        for importer, imported, kind, breaks in entries
        if what in breaks.split("+")
    )


def _difference(found: Iterable[Import], known: Counter[tuple[str, str, Kind]]) -> list[str]:
    """Unlisted statements (found more often than listed) and stale entries (listed more
    often than found), in words."""
    by_key: dict[tuple[str, str, Kind], list[Import]] = defaultdict(list)
    for imp in found:
        by_key[imp.key].append(imp)
    words = []
    for key in sorted({*by_key, *known}):
        have, listed = len(by_key.get(key, [])), known[key]
        if have > listed:
            where = ", ".join(f"{i.path}:{i.line}" for i in by_key[key])
            words.append(f"new: {key} at {where} ({have} found, {listed} listed)")
        elif listed > have:
            words.append(f"stale: {key} is listed {listed} times, found {have}: delete it")
    return words


def test_every_module_sits_in_one_room() -> None:
    homeless = [path for path in modules_of(ROOT).values() if room_of(path) is None]
    assert not homeless, f"add these files to a room of LAYERS (and CONTRIBUTING.md): {homeless}"


def test_no_import_against_the_layer_order() -> None:
    wrong = against_order(imports_of(ROOT), modules_of(ROOT))
    problems = _difference(wrong, _known("order"))
    assert not problems, "imports against the layer order of CONTRIBUTING.md:\n" + "\n".join(
        problems
    )


def test_no_import_closes_a_cycle() -> None:
    imports = imports_of(ROOT)
    listed = _known("cycle")
    rest = [i for i in imports if i.key not in listed]
    groups = strongly_connected((i.importer, i.imported) for i in rest)
    described = [
        f"cycle among {', '.join(group)}:\n    "
        + "\n    ".join(str(i) for i in rest if i.importer in group and i.imported in group)
        for group in groups
    ]
    assert not groups, "imports close a cycle:\n" + "\n".join(described)
    stale = _difference(on_a_cycle(imports), listed)
    stale = [words for words in stale if words.startswith("stale")]
    assert not stale, "listed as closing a cycle, but no longer on one:\n" + "\n".join(stale)


def test_the_known_violations_name_modules_that_exist() -> None:
    modules = modules_of(ROOT)
    unknown = [
        entry
        for entries in KNOWN_VIOLATIONS.values()
        for entry in entries
        if entry[0] not in modules or entry[1] not in modules
    ]
    assert not unknown, f"KNOWN_VIOLATIONS names modules that are gone: {unknown}"


def _table_of(markdown: str) -> list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]:
    """The rows of CONTRIBUTING.md's layer table: rank, room, files, may import."""
    rows = []
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].isdigit():
            continue
        rank, name, files, may = cells
        paths = tuple(re.findall(r"`([^`]+)`", files))
        if may.startswith("—"):
            names: tuple[str, ...] = ()
        elif may.startswith(("every room", "every")):
            names = (may.split(" (")[0].strip(),)
        else:
            names = tuple(part.strip().strip("`") for part in may.split(","))
        rows.append((int(rank), name.strip("`"), paths, names))
    return rows


def test_contributing_shows_this_table() -> None:
    shown = _table_of((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    ours = [(room.rank, room.name, room.files, room.may_import) for room in LAYERS]
    assert shown == ours


def test_the_reader_sees_every_kind_of_import_and_each_cycle(tmp_path: Path) -> None:
    """The walk itself: a small tree with each kind of import, one arrow up and one cycle."""
    files = {
        "posapp/__init__.py": "",
        "posapp/core/__init__.py": "",
        "posapp/core/a.py": "from posapp.core import b, c\n",
        "posapp/core/b.py": "",
        "posapp/core/c.py": "def f():\n    from posapp.core.a import x\n",
        "posapp/terminal/__init__.py": "",
        "posapp/terminal/t.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from posapp.ui.w import W\nelse:\n    import posapp.core.b\n"
        ),
        "posapp/ui/__init__.py": "",
        "posapp/ui/w.py": "from ..terminal import t\nimport hardware.x as hx\n",
        "hardware/__init__.py": "",
        "hardware/x.py": "import os\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    imports = imports_of(tmp_path)
    assert sorted((i.importer, i.imported, i.kind) for i in imports) == [
        ("posapp.core.a", "posapp.core.b", "module"),
        ("posapp.core.a", "posapp.core.c", "module"),
        ("posapp.core.c", "posapp.core.a", "function"),
        ("posapp.terminal.t", "posapp.core.b", "module"),
        ("posapp.terminal.t", "posapp.ui.w", "TYPE_CHECKING"),
        ("posapp.ui.w", "hardware.x", "module"),
        ("posapp.ui.w", "posapp.terminal.t", "module"),
    ]
    modules = modules_of(tmp_path)
    assert [i.key for i in against_order(imports, modules)] == [
        ("posapp.terminal.t", "posapp.ui.w", "TYPE_CHECKING")
    ]
    assert strongly_connected((i.importer, i.imported) for i in imports) == [
        ["posapp.core.a", "posapp.core.c"],
        ["posapp.terminal.t", "posapp.ui.w"],
    ]
    assert sorted(i.key for i in closing(imports, modules)) == [
        ("posapp.core.c", "posapp.core.a", "function"),
        ("posapp.terminal.t", "posapp.ui.w", "TYPE_CHECKING"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", metavar="DIR", type=Path, help="print the import counts")
    parser.add_argument("--picture", metavar="DIR", type=Path, nargs="?", const=ROOT)
    args = parser.parse_args(argv)
    if args.count is None and args.picture is None:
        parser.error("say --count DIR or --picture [DIR]")
    if args.count is not None:
        print_count(args.count.resolve())
    if args.picture is not None:
        print(picture(args.picture.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
