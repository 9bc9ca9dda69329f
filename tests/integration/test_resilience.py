"""Nothing accepted is lost: Redis down at intake, the sweep, webhooks that fail."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import select

from service import create_app
from service.auth import clear_caches
from service.models import WebhookEvent
from service.queue import moderation_job_id
from service.store import accounts, migrate
from tests.integration.conftest import make_site, submit
from workers import runtime
from workers.embedded_redis import EmbeddedRedis
from workers.process import ModerationWorker
from workers.sweep import sweep_once

CLEAN = "Cảm ơn báo đã đưa tin kịp thời."


def test_comment_accepted_while_redis_is_down_is_decided_after_it_returns(
    settings, tmp_path, monkeypatch
):
    own_redis = EmbeddedRedis(tmp_path / "redis", appendonly=False).start()
    monkeypatch.setenv("REDIS_URL", own_redis.url)
    runtime.reset()
    settings = settings.with_overrides(redis_url=own_redis.url)
    clear_caches()
    app = create_app(settings)
    client = app.test_client()
    site = make_site(app, "baotinh")
    own_redis.stop(kill=True)

    accepted = submit(client, site, CLEAN)  # stored in the database, the enqueue failed
    assert accepted["status"] == "pending"
    ready = client.get("/readyz")  # it still takes comments: a load balancer keeps it
    assert ready.status_code == 200 and ready.json["status"] == "degraded"
    assert ready.json["checks"]["redis"].startswith("down")

    own_redis.start()
    redis = Redis.from_url(own_redis.url)
    assert sweep_once(app.extensions["duyet"].db, redis, settings) == 1
    assert sweep_once(app.extensions["duyet"].db, redis, settings) == 0  # lock: one sweeper
    ModerationWorker([Queue(settings.queue_name, connection=redis)], connection=redis).work(
        burst=True
    )
    status = client.get(f"/v1/comments/{accepted['id']}", headers=site.headers).json["status"]
    assert status == "approved"
    own_redis.stop()


def test_sweep_leaves_comments_whose_job_is_still_queued(app, client, site, redis, settings):
    submit(client, site, CLEAN)
    assert sweep_once(app.extensions["duyet"].db, redis, settings) == 0
    assert Queue(settings.queue_name, connection=redis).count == 1


def test_sweep_requeues_a_job_popped_by_a_worker_that_died_before_deciding(
    app, client, site, redis, settings
):
    accepted = submit(client, site, CLEAN)
    queue = Queue(settings.queue_name, connection=redis)
    assert redis.lpop(queue.key) is not None  # a worker's BLPOP; then SIGKILL, hash untouched
    job = queue.fetch_job(moderation_job_id(accepted["id"]))
    assert job is not None and job.get_status() == "queued"
    assert sweep_once(app.extensions["duyet"].db, redis, settings) == 1
    ModerationWorker([queue], connection=redis).work(burst=True)
    status = client.get(f"/v1/comments/{accepted['id']}", headers=site.headers).json["status"]
    assert status == "approved"


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict, str, bytes]] = []
    answer = 200

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append((dict(self.headers), self.headers["X-Duyet-Signature"], body))
        self.send_response(_Receiver.answer)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver(settings, monkeypatch):
    """A webhook receiver on localhost, which deliveries may reach only when allowed."""
    monkeypatch.setenv("DUYET_WEBHOOK_ALLOW_PRIVATE", "true")
    runtime.reset()
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    _Receiver.answer = 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_publication_calls_the_sites_webhook_signed_with_its_secret(
    app, client, site, work, receiver
):
    accounts.update_site(
        app.extensions["duyet"].db, site.id, webhook_url=receiver, webhook_secret="s3cret"
    )
    accepted = submit(client, site, CLEAN)
    work()
    assert len(_Receiver.received) == 1
    _, signature, body = _Receiver.received[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, expected)
    event = json.loads(body)
    assert event["event"] == "comment.published" and event["comment"]["id"] == accepted["id"]


def test_a_failing_webhook_is_retried_and_logged_without_delaying_the_decision(
    app, client, site, work, receiver, redis, settings, moderator
):
    accounts.update_site(
        app.extensions["duyet"].db, site.id, webhook_url=receiver, webhook_secret="s"
    )
    _Receiver.answer = 503
    accepted = submit(client, site, CLEAN)
    work()
    assert (
        client.get(f"/v1/comments/{accepted['id']}", headers=site.headers).json["status"]
        == "approved"
    )
    assert len(_Receiver.received) == 1
    # The event waits in the database for a retry with backoff instead of being dropped.
    with app.extensions["duyet"].db.transaction() as s:
        event = s.scalars(select(WebhookEvent)).one()
        assert (event.state, event.attempts) == ("waiting", 1)
        assert event.next_attempt_at > datetime.now(UTC)
    history = client.get(f"/v1/moderation/comments/{accepted['id']}", auth=moderator).json
    assert "webhook_failed" in [entry["action"] for entry in history["audit"]]


def test_ready_only_on_the_schema_this_code_needs(settings, tmp_path):
    """An API on a database never migrated, or behind, must not take traffic: it would
    answer 500 to every comment."""
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    clear_caches()
    app = create_app(settings.with_overrides(database_url=url))
    client = app.test_client()
    never = client.get("/readyz")
    assert never.status_code == 503 and "never migrated" in never.json["checks"]["database"]
    migrate.upgrade(url, "0005")
    behind = client.get("/readyz")
    assert behind.status_code == 503 and "duyet db upgrade" in behind.json["checks"]["database"]
    migrate.upgrade(url)
    assert client.get("/readyz").json == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
    }
    app.extensions["duyet"].db.dispose()
