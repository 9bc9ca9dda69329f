"""SQLite is tuned so that an answered commit survives a power cut, not only a crashed process."""

from __future__ import annotations

from pathlib import Path

from service.store import Database

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
