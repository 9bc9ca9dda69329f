"""Alembic environment: migrations run against the engine duyet itself would use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import context
from sqlalchemy import Connection

from service.models import Base
from service.store.db import make_engine
from service.store.search_index import include_name

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        include_name=include_name,  # the search's trigram indexes (migration 0018)
    )
    with _foreign_keys_off(connection), context.begin_transaction():
        context.run_migrations()


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, let a migration copy a table without cascading to the rows that refer to it.

    SQLite alters a table by copying it and dropping the old one; with foreign keys on (duyet
    turns them on at connect), dropping `comments` deleted every decision and audit row (ON
    DELETE CASCADE). The pragma is ignored inside a transaction, so it is set before one.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations_online()
