"""The config file written back as the person who set the till up wrote it (config.md).

Settings' Save and `posapp set-pin` change values only: every comment, blank line, the
order of keys and the quoting of each value stay. tomlkit keeps all of that for the items
it is not asked to replace; replacing a whole [[patterns]] array of tables (what Save did)
drops the comments on its tables, rewrites '^(\\d{15})$' as "^(\\\\d{15})$", and keys the
file left out come in with their defaults. So tables are changed in place, key by key, and
a key the file leaves out is written only when its value is not the default it stands for.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from posapp.config import Config

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

# One table's values as Settings collects them (str, int, float, bool, lists of those), and
# config.md's tables: a table, or a list of rows for an array of tables.
Values: TypeAlias = Mapping[str, object]
Tables: TypeAlias = Mapping[str, Values | Sequence[Values]]


def write_keeping_comments(path: Path, data: Tables) -> None:
    """`data` is config.md's tables as Settings collects them (a list of rows for an array
    of tables); only the values that differ from the file's are written."""
    import tomlkit

    document = (
        tomlkit.parse(path.read_text(encoding="utf-8-sig")) if path.exists() else tomlkit.document()
    )
    for section, values in data.items():
        defaults = _defaults(section)
        if isinstance(values, Sequence):
            _update_rows(document, section, values, defaults)
        else:
            table = document.get(section)
            if table is None:
                table = document[section] = tomlkit.table()
            _update(table, values, defaults)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


def set_value(path: Path, section: str, key: str, value: object) -> None:
    """One value changed (`posapp set-pin`), the rest of the file as it was."""
    write_keeping_comments(path, {section: {key: value}})


def read_pin_hash(path: Path) -> str:
    """[manager] pin_hash as the file says now ("" when it has none): the running till
    takes a PIN set with `posapp set-pin` without a restart. Read with tomllib, not
    through the whole config's checks: a half-saved file is read again next time."""
    import tomllib

    data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    manager = data.get("manager", {})
    found = manager.get("pin_hash", "") if isinstance(manager, dict) else ""
    return found if isinstance(found, str) else ""


def _update_rows(
    document: TOMLDocument, section: str, rows: Sequence[Values], defaults: Values
) -> None:
    """An array of tables changed row by row: each table the file has keeps its comment."""
    import tomlkit

    array = document.get(section)
    if not isinstance(array, tomlkit.items.AoT):
        array = tomlkit.aot()
        document[section] = array
    for i, row in enumerate(rows):
        if i < len(array):
            _update(array[i], row, defaults)
        else:
            table = tomlkit.table()
            _update(table, row, defaults)
            table.add(tomlkit.nl())  # a blank line before what follows, as config.md has
            array.append(table)
    while len(array) > len(rows):
        del array[len(array) - 1]


def _update(table: MutableMapping[str, object], values: Values, defaults: Values) -> None:
    for key, value in values.items():
        if key in table:
            if _plain(table[key]) != _plain(value):
                table[key] = _item(value)
        elif key not in defaults or _plain(defaults[key]) != _plain(value):
            table[key] = _item(value)


def _item(value: object) -> object:
    """A pattern keeps its single backslashes: text with a backslash is written as a TOML
    literal string ('...'), as config.md writes patterns, where it can be one."""
    import tomlkit

    if isinstance(value, str) and "\\" in value and "'" not in value and "\n" not in value:
        return tomlkit.string(value, literal=True)
    return value


def _plain(value: object) -> object:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _defaults(section: str) -> dict[str, object]:
    """The value a key left out of the file stands for (the dataclass's default)."""
    hint = typing.get_type_hints(Config)[section]
    kind = typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else hint
    if not dataclasses.is_dataclass(kind):
        return {}
    return {
        f.name: f.default for f in dataclasses.fields(kind) if f.default is not dataclasses.MISSING
    }
