"""SQLite: an answered commit survives a power cut; hot writers take turns without sleeping."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from service.store import Database
from service.store import db as db_module

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_every_sqlite_connection_syncs_its_commits_and_writes_ahead(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'duyet.db'}")
    try:
        # Two connections at once, so the pool's second one is tuned too, not just the first.
        with database.engine.connect() as first, database.engine.connect() as second:
            for conn in (first, second):
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == FULL
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        database.dispose()


@pytest.mark.parametrize(("query", "busy_ms"), [("", 10_000), ("?timeout=2", 2_000)])
def test_sqlite_waits_on_a_lock_as_long_as_the_url_says(
    tmp_path: Path, query: str, busy_ms: int
) -> None:
    database = Database(f"sqlite:///{tmp_path / 'duyet.db'}{query}")
    try:
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == busy_ms
        assert database.engine.url.database == str(tmp_path / "duyet.db")  # no "?timeout"
    finally:
        database.dispose()


@pytest.mark.parametrize("timeout", ["soon", "-1", "nan"])
def test_a_database_url_with_a_bad_timeout_is_refused(tmp_path: Path, timeout: str) -> None:
    with pytest.raises(ValueError, match="timeout must be seconds"):
        Database(f"sqlite:///{tmp_path / 'duyet.db'}?timeout={timeout}")


def test_hot_writers_take_turns_across_connections(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'duyet.db'}"
    first, second = Database(url), Database(url)  # as two processes would: two lock files opened
    order: list[str] = []
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with first.hot_writer():
            order.append("first in")
            holding.set()
            done.wait(5)
            order.append("first out")

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    waiter = threading.Thread(target=lambda: _enter(second, order))
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive()  # still waiting for its turn
    done.set()
    holder.join(5)
    waiter.join(5)
    assert order == ["first in", "first out", "second in"]


def _enter(database: Database, order: list[str]) -> None:
    with database.hot_writer():
        order.append("second in")


def test_postgresql_writers_do_not_queue(postgres_ready: str) -> None:
    database = Database(postgres_ready)
    try:
        with database.hot_writer(), database.hot_writer():  # nested: nothing is held
            pass
    finally:
        database.dispose()


def test_a_hot_writer_goes_ahead_when_the_lock_is_held_too_long(
    tmp_path: Path, monkeypatch
) -> None:
    # Whoever holds SQLite's own lock meanwhile is then met by SQLite's busy timeout (a 503),
    # rather than every writer queueing behind one that waits for it.
    monkeypatch.setattr(db_module, "HOT_WRITER_WAIT_SECONDS", 0.2)
    url = f"sqlite:///{tmp_path / 'duyet.db'}"
    first, second = Database(url), Database(url)
    order: list[str] = []
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with first.hot_writer():
            holding.set()
            done.wait(10)
            order.append("first out")

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    _enter(second, order)  # returns after ~0.2 s, the lock still held
    done.set()
    holder.join(5)
    assert order == ["second in", "first out"]
