"""What a body names that our model of NewStore's shape does not: the fake NewStore refuses
those (NewStore takes what it publishes), where our provider ignores them (NewStore may add
fields to what it sends)."""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel


def _model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        for option in typing.get_args(annotation):
            found = _model(option)
            if found is not None:
                return found
    return None


def unknown_fields(model: type[BaseModel], body: object, where: str = "") -> list[str]:
    """The dotted names of the fields `body` gives that `model` (and its nested models) do
    not have."""
    if not isinstance(body, dict):
        return []
    found: list[str] = []
    for name, value in body.items():
        info = model.model_fields.get(name)
        if info is None:
            found.append(f"{where}{name}")
            continue
        nested = _model(info.annotation)
        if nested is not None:
            found += unknown_fields(nested, value, f"{where}{name}.")
    return found
