"""PostgreSQL connections that died in the pool: pinged when idle, replaced after one failure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from service.store import Database
from service.store import db as db_module


@pytest.fixture
def postgres(postgres_ready: str) -> Iterator[Database]:
    database = Database(postgres_ready)
    yield database
    database.dispose()


def _pooled_backend(database: Database) -> int:
    """Check a connection out and back in; return its server process id."""
    with database.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def _terminate(url: str, pid: int) -> None:
    other = Database(url)
    with other.engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    other.dispose()


def _select_one(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT 1").scalar_one())


def test_an_idle_connection_is_pinged_and_a_dead_one_replaced(
    postgres: Database, monkeypatch: pytest.MonkeyPatch
):
    killed = _pooled_backend(postgres)
    _terminate(postgres.url, killed)
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # as if idle long enough
    assert _select_one(postgres) == 1  # no error: the ping found it dead
    assert _pooled_backend(postgres) != killed


def test_a_recently_used_dead_connection_fails_once_then_the_pool_is_renewed(
    postgres: Database, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 3600.0)  # never pinged
    killed = _pooled_backend(postgres)
    _terminate(postgres.url, killed)
    with pytest.raises(OperationalError):  # the API answers this 503, as in any outage
        _select_one(postgres)
    assert _select_one(postgres) == 1
    assert _pooled_backend(postgres) != killed
