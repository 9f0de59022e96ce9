"""What each endpoint of api.md does to the ledger, inside one database transaction.

Each operation checks everything before it writes, and raises Problem only before its first
write, so that Store.idempotent can store a problem answer in the same transaction. Each
lives in its own module, named by what it does (redemption.py, reversal.py, void.py,
cash_out.py, activation.py, issue.py); `Ledger` is the one value the routes call.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from posapp.contract import requests
from posapp.core.json_value import JsonOut, JsonOutObject
from posapp.provider import activation, cash_out, issue, new_cards, queries, redemption, reversal
from posapp.provider.movements import Movements
from posapp.provider.tokens import Principal


class Ledger(Movements):
    """The operations of api.md over one Store. Each method runs inside `conn`'s transaction."""

    # --- terminal -------------------------------------------------------------------------

    def validate(
        self, conn: Connection, who: Principal, now: int, code: str | None, public_token: str | None
    ) -> JsonOutObject | None:
        return queries.validate(self.store, conn, who, now, code, public_token)

    # The operations take the Ledger as their `moves`: bound here as its methods.
    redeem = redemption.redeem
    reverse = reversal.reverse
    cash_out = cash_out.cash_out
    activate = activation.activate
    issue = issue.issue

    def code_taken(self, conn: Connection, store_id: int, code: str) -> bool:
        return new_cards.code_taken(conn, store_id, code)

    def list_transactions(
        self, conn: Connection, who: Principal, query: requests.TransactionQuery
    ) -> list[JsonOutObject]:
        return queries.list_transactions(conn, who, query)

    def config(self, conn: Connection, who: Principal) -> JsonOutObject:
        return queries.config(conn, who)

    def transaction_types(self, conn: Connection, who: Principal) -> list[dict[str, JsonOut]]:
        return queries.transaction_types(conn, who)
