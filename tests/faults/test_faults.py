"""Lose nothing under faults: a worker killed mid-job, Redis or the database gone, Redis
restarted from its append-only file, a webhook receiver that is down or slow."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import create_engine, func, select, text

from service.gunicorn_conf import WORKER_READY
from service.models import AuditEntry, Comment, WebhookEvent
from service.store import accounts
from tests.faults.conftest import Cluster, Figures

pytestmark = pytest.mark.timeout(90)
LONG = "Bài viết rất hay, cảm ơn phóng viên. " * 30  # a longer body: each job takes a while


def _db_name(cluster: Cluster) -> str:
    return "sqlite" if cluster.database_url.startswith("sqlite") else "postgresql"


def _assert_nothing_lost(figures: Figures) -> None:
    figures.save()
    assert figures.server_errors == 0, figures
    assert figures.lost == 0, figures
    assert figures.duplicated == 0, figures


def test_a_worker_killed_mid_job_leaves_every_comment_decided_exactly_once(cluster):
    figures = Figures("worker killed with SIGKILL mid-burst", _db_name(cluster))
    cluster.start_api()
    ids = cluster.submit(100, figures, prefix=LONG)
    worker = cluster.start_worker()
    queue = Queue("duyet", connection=Redis.from_url(cluster.redis.url))
    deadline = time.monotonic() + 30
    while queue.count == len(ids) and time.monotonic() < deadline:
        time.sleep(0.005)
    cluster.kill(worker)  # SIGKILL, once it has taken jobs off the queue
    decided = sum(1 for st, _, _ in cluster.decisions(ids).values() if st != "pending")
    # Taken off the queue (its own job and the batch it claimed) and not decided: in its hands.
    figures.notes["jobs in progress at the kill"] = len(ids) - queue.count - decided
    figures.notes["decided before the kill"] = decided
    cluster.start_worker()
    cluster.wait_decided(ids, figures, timeout=45)
    _assert_nothing_lost(figures)
    assert figures.notes["jobs in progress at the kill"] >= 1
    # The line the benchmark waits for before a phase: the worker finished its start-up.
    assert WORKER_READY in (cluster.tmp / "api.log").read_text(encoding="utf-8")


def test_intake_while_redis_is_down_answers_202_or_503_and_everything_is_decided(cluster):
    figures = Figures("Redis stopped during submission", _db_name(cluster))
    cluster.start_api()
    cluster.start_worker()
    ids = cluster.submit(100, figures)
    cluster.redis.stop(kill=True)
    ids += cluster.submit(100, figures, prefix="[redis down] ")
    figures.notes["accepted while Redis was down"] = len(ids) - 100
    cluster.redis.start()
    ids += cluster.submit(100, figures, prefix="[redis back] ")
    cluster.wait_decided(ids, figures, timeout=45)
    _assert_nothing_lost(figures)
    assert figures.accepted + figures.refused_503 == figures.sent


def test_intake_while_the_database_is_down_answers_503_and_writes_nothing(
    cluster_factory, database_url
):
    # SQLite waits out a lock for its busy timeout, 10 s unless the URL says otherwise: the
    # processes here wait 2 s, the same path with a shorter wait.
    sqlite = database_url.startswith("sqlite")
    cluster = cluster_factory(**({"DATABASE_URL": f"{database_url}?timeout=2"} if sqlite else {}))
    figures = Figures("database unavailable during submission", _db_name(cluster))
    cluster.start_api()
    cluster.start_worker()
    ids = cluster.submit(50, figures)
    with _database_outage(cluster):
        before = figures.refused_503
        # Each request waits out the lock: send the outage's requests at once.
        with ThreadPoolExecutor(8) as pool:
            parts = list(pool.map(lambda _: cluster.submit(2, figures, "[db down] "), range(8)))
        figures.notes["503 during the outage"] = figures.refused_503 - before
        assert figures.refused_503 - before == 16 and not any(parts)
    ids += cluster.submit(50, figures, prefix="[db back] ")
    cluster.wait_decided(ids, figures, timeout=45)
    rows = cluster.decisions(list(range(1, max(ids) + 50)))
    figures.notes["rows in the database"] = sum(1 for st, _, _ in rows.values() if st != "missing")
    _assert_nothing_lost(figures)
    assert figures.notes["rows in the database"] == figures.accepted  # nothing half-written


def _stored(cluster: Cluster) -> int:
    with cluster.db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(Comment)) or 0)


def _children(pid: int) -> list[int]:
    """The process's children, whichever of its threads started them."""
    tasks = Path(f"/proc/{pid}/task").iterdir()
    return sorted(int(child) for task in tasks for child in (task / "children").read_text().split())


def test_an_intake_writer_killed_mid_storm_is_replaced_and_loses_nothing(cluster):
    figures = Figures("intake writer killed with SIGKILL during submission", _db_name(cluster))
    cluster.start_api()
    cluster.start_worker()
    assert cluster.api is not None
    (api_worker,) = _children(cluster.api.pid)  # gunicorn's master, then its one worker
    (writer,) = _children(api_worker)
    with ThreadPoolExecutor(4) as pool:
        sending = [pool.submit(cluster.submit, 60, figures, f"[storm {n}] ") for n in range(4)]
        while _stored(cluster) < 40 and not all(f.done() for f in sending):
            time.sleep(0.01)
        assert not all(f.done() for f in sending), "the storm ended before the kill"
        os.kill(writer, signal.SIGKILL)  # the API process starts another for its next batch
        ids = [i for part in sending for i in part.result()]
    figures.notes["503 for the batch in flight"] = figures.refused_503
    cluster.wait_decided(ids, figures, timeout=45)
    _assert_nothing_lost(figures)
    assert figures.accepted + figures.refused_503 == figures.sent == 240
    assert _children(api_worker) and _children(api_worker) != [writer]


class _database_outage:
    """SQLite: another process holds the write lock; PostgreSQL: connections refused."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    def __enter__(self) -> None:
        url = self.cluster.database_url
        if url.startswith("sqlite"):
            self.lock = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            self.lock.execute("BEGIN EXCLUSIVE")
        else:
            self._postgres(f'ALTER DATABASE "{self._name()}" WITH ALLOW_CONNECTIONS false')
            self._postgres(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{self._name()}' AND pid <> pg_backend_pid()"
            )

    def __exit__(self, *exc: object) -> None:
        if self.cluster.database_url.startswith("sqlite"):
            self.lock.execute("ROLLBACK")
            self.lock.close()
        else:
            self._postgres(f'ALTER DATABASE "{self._name()}" WITH ALLOW_CONNECTIONS true')

    def _name(self) -> str:
        return self.cluster.database_url.rpartition("/")[2]

    def _postgres(self, statement: str) -> None:
        base = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
        admin = create_engine(base.rpartition("/")[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(statement))
        admin.dispose()


def test_queued_jobs_survive_a_redis_restart_with_append_only_persistence(cluster):
    figures = Figures("Redis killed and restarted (appendonly) with jobs queued", _db_name(cluster))
    cluster.start_api()
    ids = cluster.submit(200, figures)  # no worker yet: every job waits in Redis
    redis = Redis.from_url(cluster.redis.url)
    figures.notes["queued before the restart"] = Queue("duyet", connection=redis).count
    time.sleep(1.1)  # appendfsync everysec: give the append-only file its second
    cluster.redis.stop(kill=True)
    cluster.redis.start()
    queued = Queue("duyet", connection=Redis.from_url(cluster.redis.url)).count
    figures.notes["queued after the restart"] = queued
    assert queued == figures.notes["queued before the restart"] == len(ids)
    cluster.start_worker()
    cluster.wait_decided(ids, figures, timeout=45)
    _assert_nothing_lost(figures)


class _SlowOrDown(BaseHTTPRequestHandler):
    delay = 0.0
    status = 503
    hits = 0

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        type(self).hits += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(type(self).delay)
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("mode", ["down", "slow"])
def test_a_webhook_receiver_down_or_slow_delays_no_decision(cluster_factory, mode):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowOrDown)
    _SlowOrDown.hits, _SlowOrDown.delay = 0, 0.0
    _SlowOrDown.status = 503 if mode == "down" else 200
    if mode == "slow":
        _SlowOrDown.delay = 3.0  # past the webhook timeout below
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cluster = cluster_factory(DUYET_WEBHOOK_TIMEOUT="0.5", DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    figures = Figures(f"webhook receiver {mode}", _db_name(cluster))
    url = f"http://127.0.0.1:{server.server_port}/hook"
    accounts.update_site(cluster.db, cluster.site_id, webhook_url=url, webhook_secret="s")
    cluster.start_api()
    cluster.start_worker()
    started = time.monotonic()
    ids = cluster.submit(50, figures)
    cluster.wait_decided(ids, figures, timeout=30)
    figures.notes["seconds to decide all"] = round(time.monotonic() - started, 2)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with cluster.db.transaction() as s:
            failures = s.scalars(
                select(AuditEntry).where(AuditEntry.action == "webhook_failed")
            ).all()
        if len(failures) >= 3:
            break
        time.sleep(0.2)
    figures.notes["webhook_failed audit rows"] = len(failures)
    with cluster.db.transaction() as s:
        retrying = s.scalar(
            select(func.count())
            .select_from(WebhookEvent)
            .where(WebhookEvent.state == "waiting", WebhookEvent.attempts > 0)
        )
    figures.notes["deliveries waiting to retry"] = retrying
    server.shutdown()
    _assert_nothing_lost(figures)
    assert len(failures) >= 3  # failures are visible to moderators and operators
    assert retrying >= 1  # retried later, with backoff
    assert figures.notes["seconds to decide all"] < 15  # decisions did not wait on the hook
