"""Schema migrations with Alembic, configured in code (no alembic.ini to keep in step)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

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
