"""The provider's tables, their version, and the migrations from older versions."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from posapp.provider import canceled, keys, newstore_settings

SCHEMA_VERSION = 7

meta = sa.MetaData()
sa.Table("schema_version", meta, sa.Column("version", sa.Integer, nullable=False))
id_workers = sa.Table(
    "id_workers",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.BigInteger, nullable=False),
)
stores = sa.Table(
    "stores",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("cash_out_enabled", sa.Boolean, nullable=False, default=False),
    sa.Column("cash_out_max", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
locations = sa.Table(
    "locations",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("store_id", sa.BigInteger, sa.ForeignKey("stores.id"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
)
tokens = sa.Table(
    "tokens",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("store_id", sa.BigInteger, sa.ForeignKey("stores.id"), nullable=False),
    sa.Column("location_id", sa.BigInteger, sa.ForeignKey("locations.id"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("scopes", sa.Text, nullable=False),
    # sha256 of the secret: a stolen database gives no usable token.
    sa.Column("secret_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
gifts = sa.Table(
    "gifts",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("store_id", sa.BigInteger, sa.ForeignKey("stores.id"), nullable=False),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("code_key", sa.String(64), nullable=False),
    sa.Column("code_tail", sa.String(4), nullable=True),  # ledger.code_tail: its last four
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("balance", sa.BigInteger, nullable=True),
    sa.Column("starting_balance", sa.BigInteger, nullable=True),
    sa.Column("item_label", sa.Text, nullable=True),
    sa.Column("item_quantity", sa.BigInteger, nullable=True),
    sa.Column("starting_item_quantity", sa.BigInteger, nullable=True),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("canceled_at", sa.BigInteger, nullable=True),
    sa.Column("promotional", sa.Boolean, nullable=False),
    sa.Column("allowed_location_ids", sa.JSON, nullable=True),
    sa.Column("usable_at", sa.BigInteger, nullable=False),
    sa.Column("expires_at", sa.BigInteger, nullable=True),
    sa.Column("sender", sa.JSON, nullable=True),
    sa.Column("recipient", sa.JSON, nullable=True),
    sa.Column("public_token", sa.String(40), nullable=False, unique=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("created_by", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=True),
    sa.Column("updated_by", sa.JSON, nullable=True),
    # The admin's gift card list pages by id within a store (issue 14: without it every page
    # sorted the whole store).
    sa.Index("gifts_by_store", "store_id", "id"),
    # api.md's search by the code's end (code_ends_with), a page at a time in id order.
    sa.Index("gifts_by_code_tail", "store_id", "code_tail", "id"),
    sa.CheckConstraint("balance IS NULL OR balance >= 0", name="balance_never_negative"),
    sa.CheckConstraint("item_quantity IS NULL OR item_quantity >= 0", name="items_never_negative"),
    sa.UniqueConstraint("store_id", "code_key", name="one_code_per_store"),
)
transactions = sa.Table(
    "transactions",
    meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("type", sa.String(24), nullable=False),
    sa.Column("gift_id", sa.BigInteger, sa.ForeignKey("gifts.id"), nullable=False),
    sa.Column("store_id", sa.BigInteger, nullable=False),
    sa.Column("location_id", sa.BigInteger, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=True),
    sa.Column("quantity", sa.BigInteger, nullable=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("balance_after", sa.BigInteger, nullable=True),
    sa.Column("item_quantity_after", sa.BigInteger, nullable=True),
    sa.Column("reference", sa.Text, nullable=True),
    # api.md "Client references": the till's own name for the movement, kept as long as
    # the transaction, so a till can ask whether it happened after its key is forgotten.
    sa.Column("client_reference", sa.String(255), nullable=True),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("reverses", sa.BigInteger, nullable=True),
    sa.Column("reversed_by", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("created_by", sa.JSON, nullable=False),
    sa.Index("transactions_by_store", "store_id", "id"),
    # A card's transactions are asked within its store: with store_id first, this index
    # answers that query and its order, where (gift_id, id) lost to transactions_by_store.
    sa.Index("transactions_by_store_gift", "store_id", "gift_id", "id"),
    # api.md's lookup by client_reference, in id order (posapp/provider/lookup.py).
    sa.Index("transactions_by_client_reference", "store_id", "client_reference", "id"),
)
idempotency = sa.Table(
    "idempotency",
    meta,
    sa.Column("store_id", sa.BigInteger, primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("bound_to", sa.Text, nullable=True),  # keys.py: the request it first answered
    sa.Index("idempotency_by_age", "created_at"),  # the purge of expired keys at start
)
lookup_misses = sa.Table(
    "lookup_misses",
    meta,
    sa.Column("token_id", sa.BigInteger, nullable=False),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Index("misses_by_token", "token_id", "at"),
)


GIFT_COLUMNS = ", ".join(c.name for c in gifts.c)


def migrate(conn: Connection, *, postgres: bool, forget_before: int | None) -> None:
    """Create the schema, or bring an older one up to SCHEMA_VERSION."""
    if postgres:  # two workers starting together must not both create tables
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7236001)")
    meta.create_all(conn, checkfirst=True)
    canceled.create(conn)  # version 6 (issue 19, till #1): canceled.py's table
    newstore_settings.create(conn)  # version 7 (issue 22): a store's NewStore settings
    version = conn.exec_driver_sql("SELECT version FROM schema_version").scalar()
    if version is None:
        conn.execute(sa.text("INSERT INTO schema_version VALUES (:v)"), {"v": SCHEMA_VERSION})
    elif version > SCHEMA_VERSION:
        raise RuntimeError(
            f"The database is at schema {version}, newer than this provider "
            f"({SCHEMA_VERSION}): upgrade posapp"
        )
    # Migrations from older versions, one step a version.
    if version is not None and version < 2:
        # Version 2 (issue 14): indexes for the gift list, a card's transactions and
        # the idempotency purge. IF NOT EXISTS: create_all may have made them.
        for index in (
            "gifts_by_store ON gifts (store_id, id)",
            "transactions_by_store_gift ON transactions (store_id, gift_id, id)",
            "idempotency_by_age ON idempotency (created_at)",
        ):
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {index}")
        conn.exec_driver_sql("DROP INDEX IF EXISTS transactions_by_gift")
        conn.exec_driver_sql("UPDATE schema_version SET version = 2")
    if version is not None and version < 3:
        keys.add_column(conn)
        conn.exec_driver_sql("UPDATE schema_version SET version = 3")
    if version is not None and version < 4:
        # Version 4 (issue 18.1): transactions keep the till's client_reference.
        conn.exec_driver_sql("ALTER TABLE transactions ADD COLUMN client_reference VARCHAR(255)")
        conn.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS transactions_by_client_reference "
            "ON transactions (store_id, client_reference, id)"
        )
        conn.exec_driver_sql("UPDATE schema_version SET version = 4")
    if version is not None and version < 5:
        # Version 5 (issue 19.14): a card is found by the end of its code.
        conn.exec_driver_sql("ALTER TABLE gifts ADD COLUMN code_tail VARCHAR(4)")
        last_four = "right(code_key, 4)" if postgres else "substr(code_key, -4)"
        conn.exec_driver_sql(f"UPDATE gifts SET code_tail = {last_four}")  # noqa: S608
        conn.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS gifts_by_code_tail ON gifts (store_id, code_tail, id)"
        )
        conn.exec_driver_sql("UPDATE schema_version SET version = 5")
    if version is not None and version < 6:  # made just above: canceled.create
        conn.exec_driver_sql("UPDATE schema_version SET version = 6")
    if version is not None and version < 7:  # made just above: newstore_settings.create
        conn.exec_driver_sql("UPDATE schema_version SET version = 7")
    # Keys past their retention are forgotten (api.md "Key retention"): the same key
    # then runs as new, and only a client_reference lookup says what it did.
    if forget_before is not None:  # not a canceled reference's (canceled.py)
        canceled.forget_keys(conn, idempotency, forget_before)
