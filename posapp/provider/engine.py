"""The SQLAlchemy engine: SQLite's pragmas and transactions, psycopg's JSON, and the
listeners that send PostgreSQL's held-back writes before anything else."""

from __future__ import annotations

from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from posapp.provider.statements import before_core, drop_later


def make_engine(url: str, *, pool_size: int = 20) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=pool_size,
            max_overflow=pool_size,
        )

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # transactions are begun below, by us
            cursor = dbapi_conn.cursor()
            for pragma in (
                "journal_mode=WAL",
                "synchronous=FULL",  # a money ledger: a committed debit survives power loss
                "busy_timeout=30000",
                "foreign_keys=ON",
            ):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            mode = "IMMEDIATE" if conn.get_execution_options().get("writes") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    engine = sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)

    @sa.event.listens_for(engine, "connect")
    def _orjson(dbapi_conn: Any, _record: Any) -> None:
        # psycopg parses json columns with the json module: a tenth of a redemption's CPU.
        from psycopg.types.json import set_json_loads

        set_json_loads(orjson.loads, dbapi_conn)

    sa.event.listen(engine, "before_cursor_execute", before_core)
    sa.event.listen(engine, "commit", before_core)
    sa.event.listen(engine, "rollback", drop_later)
    return engine
