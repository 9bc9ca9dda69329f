"""Shared fixtures: a real Redis (our own redis-server unless TEST_REDIS_URL is set), a real
SQLite file per test, and PostgreSQL too when TEST_DATABASE_URL points at one.

The suite runs in parallel processes (pytest-xdist, ``scripts/test.sh``). Each process has
its own Redis (its own server, or its own database number of TEST_REDIS_URL's server) and
its own PostgreSQL database beside TEST_DATABASE_URL's, since every test empties both.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis import Redis
from sqlalchemy import create_engine, make_url, text

from service.settings import Settings
from service.store import Database, migrate, moderator_accounts
from workers.embedded_redis import EmbeddedRedis

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
# "gw0", "gw1"... in a pytest-xdist worker, absent in a single-process run.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


@pytest.fixture(autouse=True, scope="session")
def _hash_each_password_once() -> Iterator[None]:
    """Hash each test password, and check each (hash, password) pair, once per process.

    scrypt costs 0.2 s a call on a slow host, and hundreds of tests create and sign in the
    same few accounts: a minute of the suite. The results are werkzeug's own, computed the
    first time; only the repeats are remembered (two accounts with one password share a
    salt, which no test looks at). Processes the tests start hash as in production.
    """
    patch = pytest.MonkeyPatch()
    for name in ("_password_hash", "_password_matches"):
        patch.setattr(moderator_accounts, name, functools.cache(getattr(moderator_accounts, name)))
    yield
    patch.undo()


TABLES = (
    "site_models, training_examples, audit_log, reports, decisions, bans, comments, articles, "
    "api_keys, moderators, sites"
)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        yield _worker_redis(given)
        return
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), appendonly=False).start()
    yield server.url
    server.stop()


def _worker_redis(url: str) -> str:
    """A database number of the given server per xdist worker: gw0 uses 1, gw1 uses 2..."""
    if not XDIST_WORKER:
        return url
    number = int(XDIST_WORKER.removeprefix("gw")) + 1
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


def _worker_postgres(url: str) -> str:
    """The xdist worker's own database beside url's ("test" -> "test_gw0"), made if missing."""
    if not XDIST_WORKER:
        return url
    given = make_url(url)
    own = f"{given.database}_{XDIST_WORKER}"
    admin = create_engine(given.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        found = c.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own})
        if not found:
            c.execute(text(f'CREATE DATABASE "{own}"'))
    admin.dispose()
    return given.set(database=own).render_as_string(hide_password=False)


@pytest.fixture
def redis(redis_url: str) -> Iterator[Redis]:
    client = Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "duyet.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> str:
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = _worker_postgres(POSTGRES_URL)
    db = Database(url)
    with db.transaction() as s:
        s.execute(text("DROP SCHEMA public CASCADE"))
        s.execute(text("CREATE SCHEMA public"))
    db.dispose()
    migrate.upgrade(url)
    return url


def _fresh_postgres(url: str) -> str:
    db = Database(url)
    with db.transaction() as s:
        s.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    db.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database: SQLite always, PostgreSQL when configured."""
    if request.param == "postgresql":
        return _fresh_postgres(request.getfixturevalue("postgres_ready"))
    path = tmp_path / "duyet.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(
    database_url: str, redis_url: str, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """Settings for this test, also exported to the environment so in-process jobs see them."""
    from workers import runtime

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("DUYET_SWEEP_MIN_AGE", "0")
    # In-process apps store comments in a thread: an intake writer process per app would
    # be hundreds of processes. Its own tests (test_intake_writer.py) and every suite that
    # runs `duyet serve` (faults, e2e) use the process.
    monkeypatch.setenv("DUYET_INTAKE_WRITER_PROCESS", "false")
    runtime.reset()
    yield Settings.from_env()
    runtime.reset()
