"""Real processes for the fault suite: gunicorn, `duyet worker`s, our own redis-server and a
database of our own (a SQLite file, or a throwaway PostgreSQL database when TEST_DATABASE_URL
is set), each started and killed by the test."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from service.models import AuditEntry, Comment, Decision
from service.store import Database, accounts, migrate
from workers.embedded_redis import EmbeddedRedis, free_port

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
REPORT = os.environ.get("DUYET_FAULTS_REPORT", "")  # bench/faults_report.py collects figures here
CLEAN = "Cảm ơn báo đã đưa tin kịp thời, mong bà con vùng lũ sớm ổn định."


@dataclass
class Figures:
    """What one scenario sent and what became of it."""

    scenario: str
    database: str
    sent: int = 0
    accepted: int = 0
    refused_503: int = 0
    server_errors: int = 0
    decided: int = 0
    lost: int = 0
    duplicated: int = 0
    notes: dict[str, object] = field(default_factory=dict)

    def save(self) -> None:
        if REPORT:
            with open(REPORT, "a", encoding="utf-8") as out:
                out.write(json.dumps(self.__dict__, ensure_ascii=False) + "\n")


def _admin_url(url: str) -> tuple[str, str]:
    base, _, _ = url.rpartition("/")
    return base + "/postgres", base


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty migrated database this test alone uses (PostgreSQL: created and dropped)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/duyet.db"
        migrate.upgrade(url)
        yield url
        return
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    admin_url, base = _admin_url(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://"))
    name = f"duyet_faults_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_URL.rpartition("/")[0] + "/" + name
    migrate.upgrade(url)
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Cluster:
    """One API, any number of workers, one Redis and one database, as separate processes."""

    def __init__(self, tmp: Path, database_url: str, **env: str) -> None:
        self.tmp = tmp
        self.database_url = database_url
        self.redis = EmbeddedRedis(tmp / "redis", appendonly=True).start()
        self.port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis.url,
            "DUYET_SECRET_KEY": secrets.token_urlsafe(32),
            "DUYET_SWEEP_INTERVAL": "1",
            "DUYET_SWEEP_MIN_AGE": "1",
            "DUYET_JOB_TIMEOUT": "5",
            "DUYET_LOG_LEVEL": "WARNING",
            "DUYET_RATE_LIMIT_COMMENT_IP": "0",
            "DUYET_RATE_LIMIT_AUTHOR": "0",
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.api: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()
        self.workers: list[subprocess.Popen[bytes]] = []
        self.db = Database(database_url)
        site = accounts.create_site(self.db, "baotinh", "Báo Tỉnh")
        self.site_id = site.id
        self.key = accounts.create_api_key(self.db, site.id, "faults").secret
        self.http = httpx.Client(
            base_url=f"http://127.0.0.1:{self.port}",
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=30,
        )

    def _spawn(self, *args: str, name: str) -> subprocess.Popen[bytes]:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (lives as long as the process)
        return subprocess.Popen(
            [sys.executable, "-m", "workers.cli", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_api(self) -> None:
        self.api = self._spawn(
            "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1",
            "--threads", "8", name="api",
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.http.get("/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the API did not start; see api.log")

    def start_worker(self) -> subprocess.Popen[bytes]:
        worker = self._spawn("worker", name=f"worker-{len(self.workers)}")
        self.workers.append(worker)
        return worker

    @staticmethod
    def kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=15)

    def submit(self, n: int, figures: Figures, prefix: str = "") -> list[int]:
        """POST n comments; count 202s, 503s and 5xx; return the accepted ids."""
        ids, counts = [], Counter[str]()
        for i in range(n):
            body = {"article_id": "bai-1", "author_name": "Lan", "body": f"{prefix}{CLEAN} #{i}"}
            counts["sent"] += 1
            try:
                response = self.http.post("/v1/comments", json=body)
            except httpx.HTTPError:
                counts["connection_errors"] += 1
                continue
            if response.status_code == 202:
                counts["accepted"] += 1
                ids.append(response.json()["id"])
            elif response.status_code == 503:
                assert response.headers.get("Retry-After", "").isdigit(), response.headers
                assert response.json()["code"] == "unavailable"
                counts["refused_503"] += 1
            elif response.status_code >= 500:
                counts["server_errors"] += 1
        with self.lock:
            figures.sent += counts["sent"]
            figures.accepted += counts["accepted"]
            figures.refused_503 += counts["refused_503"]
            figures.server_errors += counts["server_errors"] + counts["connection_errors"]
        return ids

    def decisions(self, ids: list[int]) -> dict[int, tuple[str, int, int]]:
        """Return (status, decision rows, 'decide' audit rows) per comment id."""
        with self.db.transaction() as s:
            statuses = dict(
                s.execute(select(Comment.id, Comment.status).where(Comment.id.in_(ids))).all()
            )
            decided = dict(
                s.execute(
                    select(Decision.comment_id, func.count())
                    .where(Decision.comment_id.in_(ids), Decision.decided_by == "system")
                    .group_by(Decision.comment_id)
                ).all()
            )
            audited = dict(
                s.execute(
                    select(AuditEntry.comment_id, func.count())
                    .where(AuditEntry.comment_id.in_(ids), AuditEntry.action == "decide")
                    .group_by(AuditEntry.comment_id)
                ).all()
            )
        return {i: (statuses.get(i, "missing"), decided.get(i, 0), audited.get(i, 0)) for i in ids}

    def wait_decided(self, ids: list[int], figures: Figures, timeout: float = 30) -> None:
        """Wait until every id is decided, then fill decided, lost and duplicated."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.decisions(ids)
            done = all(status not in ("pending", "missing") for status, _, _ in seen.values())
            if done or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        figures.decided = sum(
            1 for st, d, _ in seen.values() if st not in ("pending", "missing") and d >= 1
        )
        figures.lost = len(ids) - figures.decided
        figures.duplicated = sum(1 for _, d, a in seen.values() if d > 1 or a > 1)

    def close(self) -> None:
        for process in [*self.workers, *([self.api] if self.api else [])]:
            if process.poll() is None:
                self.kill(process, signal.SIGTERM)
        self.http.close()
        self.db.dispose()
        self.redis.stop()


@pytest.fixture
def cluster_factory(tmp_path: Path, database_url: str) -> Iterator[object]:
    made: list[Cluster] = []

    def make(**env: str) -> Cluster:
        cluster = Cluster(tmp_path, database_url, **env)
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.close()


@pytest.fixture
def cluster(cluster_factory) -> Cluster:
    return cluster_factory()
