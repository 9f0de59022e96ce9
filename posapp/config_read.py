"""TOML values into the config's frozen dataclasses: the one reflection engine (config.md).

The dataclasses' field types say what each key takes; a field's metadata may name a check of
its value (`checked`), and a table may have a check of the whole table (`TableChecks`). Every
problem is added to `problems`, naming its key, so one pass reports them all. config.py reads
the file with this; the settings screen's form reads typed text with it too (issue 20: a
second engine had mirrored this one).
"""

from __future__ import annotations

import contextlib
import functools
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import MISSING, fields, is_dataclass
from typing import Any, Literal, TypeVar

from posapp.i18n import N_, _

T = TypeVar("T")

# Keys that look like a secret are refused with their own sentence: a token belongs in the
# keyring, never in the file.
SECRET_WORDS = ("token", "password", "secret", "api_key")

# A check of one built table, by its dataclass: None, or the rest of "key: problem".
TableChecks = Mapping[type, Callable[[Any], str | None]]
NO_CHECKS: TableChecks = {}


def checked(fn: Callable[[T], str | None]) -> dict[str, object]:
    """A field's metadata naming the check of its value (None, or the rest of "key: ...")."""
    return {"check": fn}


_WORDS: dict[object, str] = {
    str: N_("text"),
    int: N_("a whole number"),
    float: N_("a number"),
    bool: N_("true or false"),
}
# The same, as the items of a list ("a list of texts").
_MANY: dict[object, str] = {
    str: N_("texts"),
    int: N_("whole numbers"),
    float: N_("numbers"),
    bool: N_("true or false values"),
}


def describe(tp: object) -> str:
    """What a value of the type is, in the words a problem uses ("a whole number")."""
    origin = typing.get_origin(tp)
    if origin is Literal:
        choices = ", ".join(repr(a) for a in typing.get_args(tp))
        return _("one of {choices}").format(choices=choices)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        if is_dataclass(inner):
            return _("a list of tables")
        return _("a list of {what}").format(what=_(_MANY.get(inner, str(inner))))
    if origin in (types.UnionType, typing.Union):
        said = [describe(a) for a in typing.get_args(tp)]
        return functools.reduce(
            lambda one, other: _("{one} or {other}").format(one=one, other=other), said
        )
    if is_dataclass(tp):
        return _("a table")
    return _(_WORDS.get(tp, str(tp)))


def convert(
    tp: object, value: object, key: str, problems: list[str], checks: TableChecks = NO_CHECKS
) -> object:
    """The value as the type, or MISSING after adding a problem."""
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and is_dataclass(tp):
        if isinstance(value, dict):
            return build(tp, value, key + ".", problems, checks)
    elif origin is Literal:
        if any(value == a and type(value) is type(a) for a in typing.get_args(tp)):
            return value
    elif origin is tuple:
        if isinstance(value, list):
            inner = typing.get_args(tp)[0]
            items = [
                convert(inner, v, f"{key} #{i}", problems, checks) for i, v in enumerate(value, 1)
            ]
            return MISSING if MISSING in items else tuple(items)
    elif origin in (types.UnionType, typing.Union):
        if any(type(value) is a for a in typing.get_args(tp)):
            return value
    elif tp is float:
        if type(value) is float:
            return value
        if isinstance(value, int) and type(value) is int:
            if abs(value) < 2**53:
                return float(value)
            # 2**53 s and up: no time-out, and float() overflows past 1e308
            said = _("{key}: {value}… is too large a number")
            problems.append(said.format(key=key, value=str(value)[:20]))
            return MISSING
    elif type(value) is tp:
        return value
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    said = _("{key}: {value} is not {what}")
    problems.append(said.format(key=key, value=shown[:60], what=describe(tp)))
    return MISSING


def build(
    cls: type[T],
    table: Mapping[str, object],
    prefix: str,
    problems: list[str],
    checks: TableChecks = NO_CHECKS,
) -> object:
    """The dataclass built from its table, or MISSING when a key it needs is missing or
    wrong; each problem added to `problems` with its key after `prefix`."""
    assert is_dataclass(cls)
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    for key in table:
        if key in known:
            continue
        if any(word in key.lower() for word in SECRET_WORDS):
            said = _(
                "{key}: secrets never live in the config file; store the provider token with "
                "`posapp set-token` (it goes to the keyring)"
            )
            problems.append(said.format(key=prefix + key))
        else:
            said = _("{key}: unknown key; known here: {known}")
            problems.append(said.format(key=prefix + key, known=", ".join(sorted(known))))
    values: dict[str, object] = {}
    for name, f in known.items():
        if name not in table:
            if f.default is MISSING and f.default_factory is MISSING:
                said = _("{key}: missing; it is {what}")
                problems.append(said.format(key=prefix + name, what=describe(hints[name])))
            continue
        key = prefix + name
        value = convert(hints[name], table[name], key, problems, checks)
        if value is MISSING:
            continue
        check = f.metadata.get("check")
        problem = check(value) if check else None
        if problem:
            problems.append(f"{key}: {problem}")
            continue
        values[name] = value
    # A key with a default or a default_factory may be left out; one without may not.
    needed = sum(f.default is MISSING and f.default_factory is MISSING for f in known.values())
    if len(values) < needed:
        return MISSING
    built = cls(**values)
    table_check = checks.get(cls)
    problem = table_check(built) if table_check else None
    if problem:
        problems.append(f"{prefix}{problem}")
    return built


def from_text(tp: object, held: object) -> object:
    """What a form's field holds (text; a check box's bool) as the TOML value of the type:
    the first reading `convert` takes; else the text as typed (a list's parts), which `convert`
    then refuses naming the key and what it expects (the settings screen, issue 20)."""
    if not isinstance(held, str):
        return held
    plain = held.strip()
    parts = [part.strip() for part in held.split(",") if part.strip()]
    readings: list[object] = [int(plain)] if plain.isdigit() else []
    readings.append(held if tp is str else plain)  # a str field keeps its spaces, as typed
    for number in (int, float):
        with contextlib.suppress(ValueError):
            readings.append(number(plain))
    readings.append(parts)
    for reading in readings:
        value = convert(tp, reading, "", [])
        if value is not MISSING:
            return parts if isinstance(value, tuple) else value
    return parts if typing.get_origin(tp) is tuple else held
