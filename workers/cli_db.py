"""`duyet db`: upgrade the schema, say where it stands, and back up a live database."""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, make_url

from service.settings import Settings
from service.store import Database, migrate
from workers.cli_common import emit, refuse, with_json


def register(sub: Any) -> None:
    """Add `duyet db upgrade | current | backup` to the command line."""
    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_cmd", required=True)
    with_json(db.add_parser("upgrade", help="apply migrations")).set_defaults(func=cmd_db_upgrade)
    current = with_json(db.add_parser("current", help="the schema's revision; upgrade needed?"))
    current.set_defaults(func=cmd_db_current)
    backup = with_json(
        db.add_parser("backup", help="copy a live SQLite database (PostgreSQL: pg_dump)")
    )
    backup.add_argument("path", help="the backup file to write (replaced if it exists)")
    backup.set_defaults(func=cmd_db_backup)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    migrate.upgrade(Settings.from_env().database_url)
    return emit(args, {"upgraded": True}, "database schema is up to date")


@contextmanager
def _database() -> Iterator[Database]:
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its INFO lines say nothing here
    db = Database(Settings.from_env().database_url)
    try:
        yield db
    finally:
        db.dispose()


def cmd_db_current(args: argparse.Namespace) -> int:
    with _database() as db:
        current, head = migrate.current_revision(db), migrate.head_revision()
        state, text = migrate.schema_state(db)
    data = {"current": current, "head": head, "state": state,
            "upgrade_needed": state in ("empty", "behind")}  # fmt: skip
    return emit(args, data, text)


def schema_problem() -> str | None:
    """What is wrong with the database's schema for this code, if anything.

    Checked before every command that reads or writes the database (not `db upgrade`,
    `db current`, `db backup`): on a schema missing or behind, each would otherwise fail
    in its first query with a raw SQL error, a traceback on PostgreSQL.
    """
    with _database() as db:
        return migrate.schema_problem(db)


def cmd_db_backup(args: argparse.Namespace) -> int:
    url = make_url(Settings.from_env().database_url)
    target = Path(args.path)
    if url.get_backend_name() != "sqlite":
        return refuse(f"on PostgreSQL back up with pg_dump: {_pg_dump_command(url, target)}")
    source = Path(url.database or "")
    if not source.is_file():  # sqlite3 would create an empty database and back that up
        raise FileNotFoundError(f"no SQLite database at {source}")
    _backup_sqlite(source, target)
    data = {"source": str(source), "backup": str(target), "bytes": target.stat().st_size}
    return emit(args, data, f"backed up {source} to {target} ({data['bytes']:,} bytes)")


def _pg_dump_command(url: URL, target: Path) -> str:
    # pg_dump takes libpq's URL, without SQLAlchemy's driver name; the password stays out of logs.
    plain = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    )
    command = shlex.join(
        ["pg_dump", "--format=custom", f"--file={target}", plain.render_as_string()]
    )
    return command + (" (with the password in PGPASSWORD or ~/.pgpass)" if url.password else "")


def _backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database, write-ahead log included, as one consistent file.

    SQLite's backup API copies every page in one step under one read transaction: a
    snapshot of the last commit, while the API and workers go on writing (WAL readers do
    not block writers). The copy is written beside the target and renamed over it, so a
    failed run never leaves a half backup where the last good one was.
    """
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        live, copy = sqlite3.connect(source, timeout=30), sqlite3.connect(partial)
        with closing(live), closing(copy):
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # no -wal file beside the backup
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
