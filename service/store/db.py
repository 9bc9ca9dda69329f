"""The database handle: an SQLAlchemy engine and short transactions on it."""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("duyet.store")


# How long a SQLite connection waits on a lock another process holds (a backup, an
# operator's shell) before its statement fails and the request answers 503. A URL may set
# its own: sqlite:///duyet.db?timeout=2 (seconds, as Python's sqlite3.connect takes it).
SQLITE_BUSY_SECONDS = 10.0


def _sqlite_url(url: str) -> tuple[URL, float]:
    """The SQLite URL without its ``timeout`` query, and that timeout in seconds."""
    parsed = make_url(url)
    given = parsed.query.get("timeout", str(SQLITE_BUSY_SECONDS))
    given = given[-1] if isinstance(given, tuple) else given  # ?timeout=1&timeout=2: the last
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also refuses nan
        raise ValueError(f"the database URL's timeout must be seconds >= 0, not {given!r}")
    return parsed.difference_update_query(["timeout"]), seconds


def _tune_sqlite(dbapi_connection: Any, _record: Any, busy_seconds: float) -> None:
    # WAL lets the API read while a worker writes; busy_timeout waits out short write locks
    # instead of failing; foreign keys are off by default in SQLite.
    # synchronous=FULL syncs the WAL at every commit. WAL's usual NORMAL syncs only at
    # checkpoints, so a power cut or a kernel crash could roll back comments already
    # answered 202. A commit is a whole intake batch, so FULL cost ~10% of SQLite's intake
    # rate (docs/reliability.md); PostgreSQL's defaults are durable already.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={round(busy_seconds * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# A pooled connection that came back less than this long ago is handed out as is; an older
# one is pinged first. SQLAlchemy's pool_pre_ping pings on every checkout: a round trip for
# each intake batch and each thread read. The cost of the shortcut: if PostgreSQL restarts
# within this second of a connection's last use, the first request on it answers 503 (as
# during any outage) and SQLAlchemy then replaces every connection of the pool.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_if_idle(engine: Engine) -> None:
    def returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle = time.monotonic() - record.info.get("idle_since", 0.0)
        if idle <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool discards it and checks out another
            raise DisconnectionError(str(exc)) from exc

    event.listen(engine, "connect", returned)  # just made: as fresh as a returned one
    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", checkout)


def make_engine(url: str) -> Engine:
    """Create an engine for SQLite (a file, WAL) or PostgreSQL (psycopg 3)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        sqlite_url, busy_seconds = _sqlite_url(url)
        engine = create_engine(sqlite_url, connect_args={"timeout": busy_seconds})
        event.listen(engine, "connect", partial(_tune_sqlite, busy_seconds=busy_seconds))
        return engine
    # Kept connections: one per request thread (16 by default) and a few more. A connection
    # beyond pool_size is closed when it comes back, so a smaller pool under a storm opens a
    # new PostgreSQL backend per request (its start and first catalog lookups cost tens of
    # ms: the thread read's p99 on a fresh API was 99 ms with 10, 16 threads).
    engine = create_engine(url, pool_size=20, max_overflow=10)
    _ping_if_idle(engine)
    return engine


HOT_WRITER_WAIT_SECONDS = 1.0  # a hot transaction holds the lock for milliseconds


def _lock_for_a_while(fd: int, seconds: float) -> bool:
    """flock fd, trying every 0.1-1 ms for up to seconds; whether it was taken."""
    deadline, pause = time.monotonic() + seconds, 0.0001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.001)


def _writers_lock_path(engine: Engine) -> str | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return f"{database}-writers.lock"


# Where a transaction notes the thread versions it bumped (records.note_thread_versions).
THREAD_VERSIONS = "duyet.thread_versions"


class Database:
    """One engine per process; every store call runs in its own short transaction.

    `on_thread_versions`, when set, is called after a commit with the thread versions the
    transaction bumped ({article id: new version}); the API and the workers mirror them in
    Redis (service/thread_versions.py). It is not called when the transaction failed.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._writers_lock = _writers_lock_path(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.on_thread_versions: Callable[[dict[int, int]], None] | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on any error."""
        with self._sessions() as session:
            with session.begin():
                yield session
            bumped = session.info.pop(THREAD_VERSIONS, None)
        if bumped and self.on_thread_versions:
            self.on_thread_versions(bumped)

    @contextmanager
    def hot_writer(self) -> Iterator[None]:
        """Take SQLite's one write turn across processes, looking often; no-op elsewhere.

        SQLite lets one transaction write at a time, and a writer that finds the lock taken
        sleeps in its busy handler for 1, 2, 5 ... up to 100 ms before it looks again, while
        the lock may have been free for most of that. The hot writers (the intake batch,
        the workers' decisions) first queue on a file lock, looking again within a
        millisecond. After HOT_WRITER_WAIT_SECONDS they go ahead without it: someone else
        (a backup, an operator's shell) holds SQLite's lock, and SQLite's own busy timeout
        then answers, as it always did, instead of every writer queueing behind the one
        that waits for it. PostgreSQL's writers lock rows, not the database: no-op there.
        """
        if self._writers_lock is None:
            yield
            return
        fd = os.open(self._writers_lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock_for_a_while(fd, HOT_WRITER_WAIT_SECONDS)
            yield
        finally:
            os.close(fd)  # closing the file releases the lock, if it was taken

    def open_connections(self, count: int) -> None:
        """Fill the pool with up to count connections now, before the first requests.

        Otherwise the first burst (16 threads of a fresh process) opens them all at once; on
        PostgreSQL each new backend costs tens of milliseconds to start and to fill its
        catalog caches, which gave a fresh API's first thread reads a p99 near 100 ms.
        A database that is down now is not an error: connections are opened on demand later.
        """
        opened = []
        try:
            for _ in range(min(count, self.engine.pool.size())):  # type: ignore[attr-defined]
                opened.append(self.engine.connect())
        except Exception as exc:
            log.warning("could not open database connections ahead: %s", type(exc).__name__)
        for conn in opened:
            conn.close()

    def dispose(self) -> None:
        self.engine.dispose()
