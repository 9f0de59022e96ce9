"""Who is calling: a token's owner and scopes, and how a secret is kept (its sha256)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from posapp.core.json_value import JsonObject


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a token of one store and one location, with its scopes."""

    token_id: int
    store_id: int
    location_id: int
    name: str
    scopes: frozenset[str]

    def stamp(self) -> JsonObject:
        return {"id": str(self.token_id), "name": self.name}


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
