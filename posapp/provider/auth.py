"""Who is calling: the bearer token of api.md "Authentication", and its scope."""

from dataclasses import dataclass

from fastapi import Request

from posapp.contract.headers import AUTHORIZATION
from posapp.provider.ledger import Problem
from posapp.provider.store import Store
from posapp.provider.threads import in_thread
from posapp.provider.tokens import Principal


@dataclass(frozen=True, slots=True)
class Authenticator:
    """The token's owner (cached by the store), refused without the scope a call needs.
    `terminal` and `admin` are the routes' FastAPI dependencies."""

    store: Store

    async def authenticate(self, request: Request, scope: str) -> Principal:
        header = request.headers.get(AUTHORIZATION, "")
        kind, _, secret = header.partition(" ")
        who = None
        if kind.lower() == "bearer" and secret:
            # Tokens are cached, so the database is asked (off the event loop) only on a miss.
            cached = self.store.cached_principal(secret.strip())
            who = cached[0] if cached else await in_thread(self.store.principal, secret.strip())
        if who is None:
            raise Problem(
                "unauthorized",
                "A valid bearer token is required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        request.state.token_id = who.token_id
        if scope not in who.scopes:
            raise Problem("forbidden", f"This token lacks the {scope} scope")
        return who

    async def terminal(self, request: Request) -> Principal:
        return await self.authenticate(request, "terminal")

    async def admin(self, request: Request) -> Principal:
        return await self.authenticate(request, "admin")
