"""The migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from service.models import Base
from service.store import Database, migrate


def test_migrated_schema_matches_the_models(database_url):
    db = Database(database_url)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)
    db.dispose()
    assert differences == []


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


def test_0006_gives_decided_comments_their_risk_and_keeps_every_row(empty_database_url):
    """Comments decided before 0006 get the engine's higher score; undecided ones 0."""
    migrate.upgrade(empty_database_url, "0005")
    db = Database(empty_database_url)
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sites (id, slug, name, config, created_at)"
                " VALUES (1, 'b', 'B', '{}', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO articles (id, site_id, external_id, title, url, closed,"
                " premoderated, thread_version, created_at)"
                " VALUES (1, 1, 'a', 'A', '', false, false, 0, :now)"
            ),
            {"now": now},
        )
        for comment_id in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO comments (id, site_id, article_id, author_name, body, status,"
                    " report_count, created_at, updated_at)"
                    " VALUES (:id, 1, 1, 'An', 'x', 'held', 0, :now, :now)"
                ),
                {"id": comment_id, "now": now},
            )
        decisions = [
            (1, "system", {"spam": 0.25, "abuse": 0.75}),
            (2, "system", {"spam": 0.5}),
            (2, "moderator:an", {"spam": 0.9}),  # a moderator's is not the engine's
        ]
        for comment_id, decided_by, scores in decisions:
            conn.execute(
                text(
                    "INSERT INTO decisions (comment_id, verdict, scores, reasons, engine_version,"
                    " decided_by, note, created_at)"
                    " VALUES (:c, 'hold', :scores, '[]', 'v', :by, '', :now)"
                ),
                {"c": comment_id, "scores": json.dumps(scores), "by": decided_by, "now": now},
            )
    db.dispose()
    migrate.upgrade(empty_database_url)
    db = Database(empty_database_url)
    with db.engine.connect() as conn:
        risks = dict(conn.execute(text("SELECT id, risk FROM comments ORDER BY id")).all())
        kept = conn.execute(text("SELECT count(*) FROM decisions")).scalar()
    db.dispose()
    assert risks == {1: 0.75, 2: 0.5, 3: 0.0}
    assert kept == 3  # SQLite once dropped them with a copied table (ON DELETE CASCADE)
