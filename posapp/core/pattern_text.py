"""A card pattern's text as Python's own regex parser reads it: literals, character classes,
counted repeats and groups. Pure.

nearmiss.py explains with it why a scan missed a pattern; readable_code.py builds the text
around a code that a pattern gives back. Both read the pattern's text, not the engine that
matches it (RE2): a card pattern of config.md is a run of these items whichever engine runs
it. `re._parser` is sre_parse's home since 3.11 and has no stubs: its items are untyped, and
this is the one place that reaches into it.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

_parser: ModuleType = importlib.import_module("re._parser")
# The item codes (AT, LITERAL, IN, RANGE, SUBPATTERN, MAX_REPEAT, CATEGORY_DIGIT, ...).
codes: ModuleType = importlib.import_module("re._constants")

Item = tuple[Any, Any]  # (code, argument), as re._parser gives them


def items(regex: str, flags: int = 0) -> list[Item]:
    """The pattern's items in order; re.error (or another error of the parser) for a syntax
    only RE2 knows."""
    return list(_parser.parse(regex, flags))


def groups_inside(regex: str, group: int) -> set[int]:
    """The numbers of the capture groups that `group` holds (its nested groups); re.error (or
    another error of the parser) for a syntax only RE2 knows. Both engines number groups
    alike: by their opening parenthesis, left to right."""
    found: set[int] = set()

    def walk(node: object, inside: bool) -> None:
        if isinstance(node, tuple) and len(node) == 2 and node[0] is codes.SUBPATTERN:
            number = node[1][0]
            if inside and number is not None:
                found.add(number)
            walk(node[1][-1], inside or number == group)
        elif isinstance(node, list | tuple):
            for part in node:
                walk(part, inside)
        elif isinstance(node, _parser.SubPattern):  # a group's or branch's items
            walk(node.data, inside)

    walk(items(regex), False)
    return found
