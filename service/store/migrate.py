"""Schema migrations with Alembic, configured in code (no alembic.ini to keep in step)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from service.store.db import Database

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """Return an Alembic config pointing at duyet's migrations and this database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # The config is an INI parser that reads '%' as interpolation: a URL's escapes (a
    # password with '@' in it is written '%40') must be doubled to survive it.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database schema up to the given revision."""
    command.upgrade(alembic_config(database_url), revision)


@cache
def head_revision() -> str:
    """The revision this code's schema is at: the newest migration."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """The revision the database's schema is at; None if it was never migrated (or, for
    SQLite, if its file does not exist: it is not created by asking)."""
    url = db.engine.url
    on_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if on_file and not Path(str(url.database)).exists():
        return None
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_state(db: Database) -> tuple[str, str]:
    """Where the database's schema stands against this code's: a word (current, empty,
    behind, or unknown: a newer duyet migrated it) and a sentence for the operator."""
    current, head = current_revision(db), head_revision()
    if current == head:
        return "current", f"the database is at {head}, this duyet's head: no upgrade needed"
    if current is None:
        return "empty", f"the database was never migrated; run `duyet db upgrade` (to {head})"
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    if current not in {script.revision for script in scripts.walk_revisions()}:
        return "unknown", (
            f"the database is at {current}, a revision this duyet (head {head}) does not know:"
            " a newer duyet migrated it; run that one, or restore the backup taken before"
        )
    return "behind", (
        f"the database is at {current}, this duyet needs {head}: run `duyet db upgrade`"
    )


def schema_problem(db: Database) -> str | None:
    """Say what is wrong if the schema is not the one this code needs; None if it is."""
    state, sentence = schema_state(db)
    return None if state == "current" else sentence
