"""A store's settings for NewStore's webhooks (docs/newstore.md).

Apart from the stores table so that a store that never meets NewStore has no row (and no
column of the schema changes): made by Store.migrate with the rest (schema version 7).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from posapp.core.json_value import JsonOutObject
from posapp.core.major_units import Units

UNITS: tuple[Units, ...] = ("major", "minor")
# docs/newstore.md "Units of value": NewStore does not say what `value` counts; its other
# APIs write money as decimal major units (12.5 is $12.50), so a store starts with those.
DEFAULT_UNITS: Units = "major"

meta = sa.MetaData()
newstore_stores = sa.Table(
    "newstore_stores",
    meta,
    sa.Column("store_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("value_units", sa.String(8), nullable=False),
)


def create(conn: Connection) -> None:
    meta.create_all(conn, checkfirst=True)


def value_units(conn: Connection, store_id: int) -> Units:
    found = conn.execute(
        sa.select(newstore_stores.c.value_units).where(newstore_stores.c.store_id == store_id)
    ).scalar()
    return "minor" if found == "minor" else DEFAULT_UNITS


def set_value_units(conn: Connection, store_id: int, units: Units) -> JsonOutObject:
    """`posapp-provider newstore --value-units`: LookupError for a store that is not there."""
    known = conn.execute(sa.text("SELECT 1 FROM stores WHERE id = :id"), {"id": store_id})
    if known.first() is None:
        raise LookupError(f"no store {store_id}")
    table = newstore_stores
    done = conn.execute(
        table.update().where(table.c.store_id == store_id).values(value_units=units)
    )
    if done.rowcount == 0:
        conn.execute(table.insert().values(store_id=store_id, value_units=units))
    return {"store_id": str(store_id), "value_units": units}
