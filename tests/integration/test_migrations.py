"""The migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from service.models import Base
from service.store import Database, migrate
from service.store.search_index import include_name


def test_migrated_schema_matches_the_models(database_url):
    db = Database(database_url)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        differences = compare_metadata(context, Base.metadata)
    db.dispose()
    assert differences == []


def _sqlite_indexes(url: str) -> dict[str, str]:
    db = Database(url)
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
        found = {name: " ".join(sql.replace('"', "").split()) for name, sql in rows}
    db.dispose()
    return found


def test_sqlites_migrated_indexes_are_the_models_to_the_sort_order(tmp_path: Path):
    """compare_metadata does not see an index's DESC; SQLite's batch mode, copying a table,
    dropped it once (0015's first draft), and the riskiest-first queue sorted every page."""
    migrated, declared = f"sqlite:///{tmp_path / 'migrated.db'}", f"sqlite:///{tmp_path / 'm.db'}"
    migrate.upgrade(migrated)
    db = Database(declared)
    Base.metadata.create_all(db.engine)
    db.dispose()
    assert _sqlite_indexes(migrated) == _sqlite_indexes(declared)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema yet: a new SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    url = request.getfixturevalue("postgres_ready")
    admin = Database(url)
    with admin.transaction() as s:
        s.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        s.execute(text("CREATE SCHEMA migration_check"))
    yield f"{url}?options=-csearch_path%3Dmigration_check"
    with admin.transaction() as s:
        s.execute(text("DROP SCHEMA migration_check CASCADE"))
    admin.dispose()


# One row or more in every table of the first schema (0001): what an old database holds.
FIRST_SCHEMA_ROWS = [
    "INSERT INTO sites (id, slug, name, config, created_at) VALUES (1, 'b', 'B', '{}', :now)",
    "INSERT INTO moderators (id, username, password_hash, role, created_at, failed_logins)"
    " VALUES (1, 'an', 'x', 'admin', :now, 0)",
    "INSERT INTO api_keys (id, site_id, prefix, key_hash, label, created_at)"
    " VALUES (1, 1, 'p', 'h', 'main', :now)",
    "INSERT INTO articles (id, site_id, external_id, title, url, closed, premoderated,"
    " thread_version, created_at) VALUES (1, 1, 'a', 'A', '', false, false, 0, :now)",
    "INSERT INTO bans (id, site_id, kind, value, reason, created_by, created_at)"
    " VALUES (1, 1, 'ip', '203.0.113.9', 'spam', 'an', :now)",
    *(
        "INSERT INTO comments (id, site_id, article_id, parent_id, author_name, body, status,"
        f" report_count, created_at, updated_at) VALUES ({n}, 1, 1, {parent}, 'An', 'x', 'held',"
        " 0, :now, :now)"
        for n, parent in ((1, "NULL"), (2, "NULL"), (3, "1"))
    ),
    *(
        "INSERT INTO decisions (comment_id, verdict, scores, reasons, engine_version, decided_by,"
        f" note, created_at) VALUES ({n}, 'hold', '{scores}', '[]', 'v', '{by}', '', :now)"
        for n, scores, by in (
            (1, '{"spam": 0.25, "abuse": 0.75}', "system"),
            (2, '{"spam": 0.5}', "system"),
            (2, '{"spam": 0.9}', "moderator:an"),  # a moderator's is not the engine's
        )
    ),
    "INSERT INTO audit_log (site_id, comment_id, actor, action, detail, created_at)"
    " VALUES (1, 1, 'system', 'decide', '{}', :now)",
    "INSERT INTO reports (comment_id, reason, note, created_at) VALUES (3, 'abuse', '', :now)",
    "INSERT INTO training_examples (site_id, comment_id, text, label, source, created_at)"
    " VALUES (1, 1, 'x', 'ham', 'moderator:an', :now)",
]
FIRST_TABLES = [
    "sites",
    "moderators",
    "api_keys",
    "articles",
    "bans",
    "comments",
    "decisions",
    "audit_log",
    "reports",
    "training_examples",
]


def _fill_first_schema(url: str) -> None:
    db = Database(url)
    with db.engine.begin() as conn:
        for statement in FIRST_SCHEMA_ROWS:
            conn.execute(text(statement), {"now": datetime.now(UTC)})
    db.dispose()


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    db = Database(url)
    with db.engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(text(sql))]
    db.dispose()
    return rows


def _row_counts(url: str) -> dict[str, int]:
    counts = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in FIRST_TABLES)
    return {table: int(n) for table, n in _rows(url, counts)}


def test_every_migration_keeps_every_row_up_and_down(empty_database_url):
    """SQLite alters a table by copying it: no copy may lose or cascade away a row."""
    migrate.upgrade(empty_database_url, "0001")
    _fill_first_schema(empty_database_url)
    before = _row_counts(empty_database_url)
    assert set(before.values()) != {0}
    migrate.upgrade(empty_database_url)
    assert _row_counts(empty_database_url) == before
    command.downgrade(migrate.alembic_config(empty_database_url), "0001")
    assert _row_counts(empty_database_url) == before


def test_0006_gives_decided_comments_their_risk(empty_database_url):
    """Comments decided before 0006 get the engine's higher score; undecided ones 0."""
    migrate.upgrade(empty_database_url, "0005")
    _fill_first_schema(empty_database_url)
    migrate.upgrade(empty_database_url)
    risks = dict(_rows(empty_database_url, "SELECT id, risk FROM comments ORDER BY id"))
    assert risks == {1: 0.75, 2: 0.5, 3: 0.0}


def test_0012_stores_one_spelling_of_each_email(empty_database_url):
    """Emails typed in any case become the lower-case one intake stores now."""
    migrate.upgrade(empty_database_url, "0011")
    _fill_first_schema(empty_database_url)
    db = Database(empty_database_url)
    with db.engine.begin() as conn:
        for n, email in ((1, "Eve@X.vn"), (2, "eve@x.vn"), (3, "ÉLAN@x.vn")):
            conn.execute(
                text(f"UPDATE comments SET author_email = :e WHERE id = {n}"), {"e": email}
            )
        conn.execute(text("UPDATE bans SET kind = 'email', value = 'EVE@x.VN' WHERE id = 1"))
    db.dispose()
    migrate.upgrade(empty_database_url)
    emails = _rows(empty_database_url, "SELECT author_email FROM comments ORDER BY id")
    assert emails == [("eve@x.vn",), ("eve@x.vn",), ("élan@x.vn",)]
    assert _rows(empty_database_url, "SELECT value FROM bans") == [("eve@x.vn",)]
