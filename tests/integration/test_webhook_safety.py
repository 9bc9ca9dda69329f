"""Webhook deliveries that cannot hurt and cannot be lost: one deadline, public addresses
only, current events, an outbox row for every event (a lost job is re-queued by the sweep),
the configured number of retries with backoff, and a CLI that checks what it stores."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue
from sqlalchemy import update

from service.models import WebhookEvent
from service.settings import Settings
from service.store import Database, accounts, outbox
from service.store.moderation_input import load_many_for_moderation
from service.store.system_decisions import SystemDecision, record_system_decisions
from tests.integration.conftest import Listener, SiteFixture, submit
from tests.integration.test_desk import act, login
from workers import runtime
from workers.cli import main
from workers.process import ModerationWorker, run_worker
from workers.sweep import WEBHOOK_LOCK_KEY, sweep_webhooks
from workers.webhooks import refusal

CLEAN = "Cảm ơn báo đã đưa tin kịp thời."


def _env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    """Set DUYET_* variables for the in-process worker's runtime."""
    monkeypatch.delenv("DUYET_WEBHOOK_ALLOW_PRIVATE", raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    runtime.reset()


def _published(client: FlaskClient, site: SiteFixture, work: Callable[[], None]) -> int:
    """A comment the engine approved, its own webhook already gone (the site had none)."""
    accepted = submit(client, site, CLEAN)
    work()
    assert client.get(f"/v1/comments/{accepted['id']}", headers=site.headers).json["status"] == (
        "approved"
    )
    return int(accepted["id"])


def _hook_to(app: Flask, site: SiteFixture, listener: Listener) -> None:
    """Point the site's webhook at the local listener (its private address allowed by _env)."""
    url = f"http://127.0.0.1:{listener.port}/hook"
    accounts.update_site(app.extensions["duyet"].db, site.id, webhook_url=url)


def _queue_event(app: Flask, comment_id: int, event: str) -> int:
    """Write an event for the comment, as a decision does, and queue its delivery."""
    svc = app.extensions["duyet"]
    event_id = outbox.add_event_now(svc.db, comment_id, event)
    assert event_id is not None
    assert svc.queue.webhook(event_id)
    return event_id


def _webhook_audit(client: FlaskClient, comment_id: int, moderator: tuple[str, str]) -> list:
    history = client.get(f"/v1/moderation/comments/{comment_id}", auth=moderator).json
    return [e for e in history["audit"] if e["action"].startswith("webhook")]


def test_a_trickling_receiver_is_cut_off_at_one_deadline_for_the_whole_delivery(
    app: Flask, client, site, work, listener, moderator, monkeypatch
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true", DUYET_WEBHOOK_TIMEOUT="1")
    comment_id = _published(client, site, work)
    listener.trickle = 0.3  # each byte well within the timeout, the whole answer 17 s
    _hook_to(app, site, listener)
    _queue_event(app, comment_id, "comment.published")
    started = time.monotonic()
    work()
    assert time.monotonic() - started < 3
    audit = _webhook_audit(client, comment_id, moderator)
    assert [(e["action"], e["detail"]["status"]) for e in audit] == [
        ("webhook_failed", "ReadTimeout")
    ]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:{port}/hook", "127.0.0.1 is a loopback address"),
        ("http://2130706433:{port}/hook", "2130706433 resolves to 127.0.0.1, a loopback"),
        ("http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254 is a link-local address"),
    ],
)
def test_a_webhook_to_an_internal_address_is_refused_without_connecting(
    app: Flask, client, site, work, listener, moderator, redis, settings, monkeypatch, url, why
):
    _env(monkeypatch, DUYET_WEBHOOK_TIMEOUT="1")
    comment_id = _published(client, site, work)
    hook = url.format(port=listener.port)
    accounts.update_site(app.extensions["duyet"].db, site.id, webhook_url=hook)
    _queue_event(app, comment_id, "comment.published")
    work()
    assert listener.connections == 0
    audit = _webhook_audit(client, comment_id, moderator)
    assert [(e["action"], e["detail"]["status"]) for e in audit] == [("webhook_failed", "refused")]
    assert why in audit[0]["detail"]["reason"]
    # Waiting will not make the address public: the event is finished, never retried.
    with app.extensions["duyet"].db.transaction() as s:
        assert [e.state for e in s.query(WebhookEvent)] == ["refused"]


def test_only_public_addresses_pass_the_check_ipv4_and_ipv6():
    internal = [
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "0.0.0.0",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
    ]
    refused = {a: refusal(ipaddress.ip_address(a)) for a in internal}
    assert [a for a, why in refused.items() if not why] == []
    assert refusal(ipaddress.ip_address("1.1.1.1")) is None
    assert refusal(ipaddress.ip_address("2606:4700:4700::1111")) is None


def test_an_event_for_a_comment_deleted_before_delivery_is_dropped(
    app: Flask, client, site, work, listener, monkeypatch, caplog
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    comment_id = _published(client, site, work)
    _hook_to(app, site, listener)
    assert client.delete(f"/v1/comments/{comment_id}", headers=site.headers).status_code < 300
    _queue_event(app, comment_id, "comment.published")  # written before, sent late
    with caplog.at_level("INFO", logger="duyet.webhooks"):
        work()
    assert listener.connections == 0
    assert "now deleted" in caplog.text


def test_a_late_published_event_after_a_rejection_is_dropped(
    app: Flask, client, site, work, listener, moderator, monkeypatch
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    comment_id = _published(client, site, work)
    _hook_to(app, site, listener)
    decision = client.post(
        f"/v1/moderation/comments/{comment_id}/decision",
        json={"action": "reject"},
        auth=moderator,
    )
    assert decision.status_code == 200, decision.json
    _queue_event(app, comment_id, "comment.published")  # written before, sent late
    work()
    got = [(b["event"], b["comment"]["status"]) for b in listener.bodies]
    assert got == [("comment.rejected", "rejected")]


def _event(app: Flask, event_id: int) -> WebhookEvent:
    with app.extensions["duyet"].db.transaction() as s:
        found = s.get(WebhookEvent, event_id)
        assert found is not None
        return found


def _make_due(app: Flask, event_id: int) -> None:
    """Let the backoff pass: the event's next attempt is now."""
    with app.extensions["duyet"].db.transaction() as s:
        s.execute(
            update(WebhookEvent)
            .where(WebhookEvent.id == event_id)
            .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
        )


def _sweep(app: Flask, redis: Redis, settings: Settings) -> int:
    redis.delete(WEBHOOK_LOCK_KEY)  # each call a sweep of its own, as time passing would
    return sweep_webhooks(app.extensions["duyet"].db, redis, settings)


@pytest.mark.parametrize("retries", [0, 1, 2])
def test_a_failing_receiver_gets_one_attempt_and_the_retries_setting_more_with_backoff(
    app: Flask, client, site, work, listener, redis, settings, monkeypatch, retries
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true", DUYET_WEBHOOK_RETRIES=str(retries))
    listener.status = 503
    comment_id = _published(client, site, work)
    _hook_to(app, site, listener)
    event_id = _queue_event(app, comment_id, "comment.published")
    work()
    delays = []
    for _ in range(retries):
        waiting = _event(app, event_id)
        assert waiting.state == "waiting"
        delays.append(round((waiting.next_attempt_at - datetime.now(UTC)).total_seconds(), -1))
        assert _sweep(app, redis, settings) == 0  # not due yet: the backoff holds it
        _make_due(app, event_id)
        assert _sweep(app, redis, settings) == 1
        work()
    assert delays == [10, 60][:retries]
    given_up = _event(app, event_id)
    assert (given_up.state, given_up.attempts, given_up.last_status) == (
        "failed",
        retries + 1,
        "503",
    )
    assert listener.connections == retries + 1
    assert {body["event_id"] for body in listener.bodies} == {event_id}  # one event, resent
    _make_due(app, event_id)
    assert _sweep(app, redis, settings) == 0  # given up: never sent again


def test_an_event_whose_job_redis_lost_is_sent_by_the_sweep_once(
    app: Flask, client, site, work, listener, redis, settings, monkeypatch
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    _hook_to(app, site, listener)
    accepted = submit(client, site, CLEAN)
    webhooks = Queue(settings.webhook_queue_name, connection=redis)
    ModerationWorker([Queue(settings.queue_name, connection=redis)], connection=redis).work(
        burst=True
    )  # the decision is committed and its delivery queued...
    assert webhooks.count == 1
    redis.flushdb()  # ...and Redis restarts empty before any worker takes it
    assert _sweep(app, redis, settings.with_overrides(sweep_min_age=3600)) == 0  # too fresh
    assert _sweep(app, redis, settings.with_overrides(sweep_min_age=0)) == 1
    assert _sweep(app, redis, settings.with_overrides(sweep_min_age=0)) == 0  # queued already
    work()
    assert [(b["event"], b["comment"]["id"]) for b in listener.bodies] == [
        ("comment.published", accepted["id"])
    ]
    assert _sweep(app, redis, settings.with_overrides(sweep_min_age=0)) == 0  # delivered


def test_a_duplicate_job_sends_an_event_once(app: Flask, client, site, work, listener, monkeypatch):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    comment_id = _published(client, site, work)
    _hook_to(app, site, listener)
    event_id = _queue_event(app, comment_id, "comment.published")
    app.extensions["duyet"].queue.webhook(event_id)
    work()
    work()
    assert listener.connections == 1
    assert _event(app, event_id).state == "delivered"


def test_the_event_id_is_signed_in_the_body_and_named_in_a_header(
    app: Flask, client, site, work, listener, monkeypatch
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    comment_id = _published(client, site, work)
    url = f"http://127.0.0.1:{listener.port}/hook"
    db = app.extensions["duyet"].db
    accounts.update_site(db, site.id, webhook_url=url, webhook_secret="bí-mật")
    event_id = _queue_event(app, comment_id, "comment.published")
    work()
    (head,) = listener.heads
    assert f"x-duyet-event-id: {event_id}".encode() in head.lower()
    body = listener.raw_bodies[0]
    signature = hmac.new("bí-mật".encode(), body, hashlib.sha256).hexdigest()
    assert f"x-duyet-signature: sha256={signature}".encode() in head.lower()
    sent = json.loads(body)
    assert sent["event_id"] == event_id
    assert abs(datetime.fromisoformat(sent["sent_at"]) - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_desk_approval_and_its_undo_leave_the_site_with_the_comments_status(
    app: Flask, client, site, work, listener, moderator, redis, settings, monkeypatch
):
    """Both events are written; the published one, sent after the undo, is stale and dropped."""
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    _hook_to(app, site, listener)
    comment_id = int(submit(client, site, "Liên hệ 0912 345 678 để biết thêm")["id"])
    work()
    assert login(client).status_code == 302
    assert act(client, "/mod/api/bulk", {"ids": [comment_id], "action": "approve"}).json["done"]
    assert act(client, "/mod/api/undo", {"ids": [comment_id]}).json["restored"]
    redis.flushdb()  # and their jobs are lost: the sweep finds both events in the database
    assert _sweep(app, redis, settings.with_overrides(sweep_min_age=0)) == 2
    work()
    with app.extensions["duyet"].db.transaction() as s:
        events = [(e.event, e.state) for e in s.query(WebhookEvent).order_by(WebhookEvent.id)]
    assert events == [("comment.published", "dropped"), ("comment.unpublished", "delivered")]
    now = client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"]
    assert now in ("held", "spam")
    assert [(b["event"], b["comment"]["status"]) for b in listener.bodies] == [
        ("comment.unpublished", now)
    ]


def test_a_webhooks_only_worker_delivers_and_leaves_comments_to_moderation_workers(
    app: Flask, client, site, work, listener, settings, monkeypatch
):
    """Operators can give deliveries workers of their own: a slow receiver then holds up
    no comment's decision (`duyet worker --only webhooks`)."""
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    comment_id = _published(client, site, work)
    _hook_to(app, site, listener)
    _queue_event(app, comment_id, "comment.published")
    waiting = submit(client, site, CLEAN)
    assert run_worker(burst=True, only="webhooks") == 0
    assert [b["event"] for b in listener.bodies] == ["comment.published"]
    status = client.get(f"/v1/comments/{waiting['id']}", headers=site.headers).json["status"]
    assert status == "pending"  # not this worker's job
    assert run_worker(burst=True, only="moderation") == 0
    status = client.get(f"/v1/comments/{waiting['id']}", headers=site.headers).json["status"]
    assert status == "approved"
    # Its approval's event waits on the webhook queue for a webhooks worker.
    assert [b["comment"]["id"] for b in listener.bodies] == [comment_id]


def test_attempts_that_die_still_back_off_and_end_at_the_retries_setting(
    app: Flask, client, site, work, redis, settings
):
    """A worker killed mid-delivery (or an error nobody caught) records nothing: the claim
    itself spaces the attempts by the backoff and stops at DUYET_WEBHOOK_RETRIES."""
    db = app.extensions["duyet"].db
    comment_id = _published(client, site, work)
    accounts.update_site(db, site.id, webhook_url="https://bao.vn/hook")
    event_id = outbox.add_event_now(db, comment_id, "comment.published")
    assert event_id is not None
    hold = timedelta(seconds=35)
    first = outbox.claim(db, event_id, hold, retries=1)  # ... and the worker dies
    assert first is not None and first.attempt == 1
    assert outbox.claim(db, event_id, hold, retries=1) is None  # in flight, then backing off
    _make_due(app, event_id)
    second = outbox.claim(db, event_id, hold, retries=1)  # dies too
    assert second is not None and second.attempt == 2
    due_in = _event(app, event_id).next_attempt_at - datetime.now(UTC)
    assert timedelta(seconds=55) < due_in <= timedelta(seconds=60)  # the second backoff
    _make_due(app, event_id)
    assert outbox.claim(db, event_id, hold, retries=1) is None  # no attempt left
    assert _sweep(app, redis, settings.with_overrides(webhook_retries=1)) == 0
    assert (_event(app, event_id).state, _event(app, event_id).attempts) == ("failed", 2)


def test_event_ids_only_grow_even_after_pruning(app: Flask, client, site, work):
    """Receivers skip an event_id seen before: SQLite must not hand a pruned id out again."""
    db = app.extensions["duyet"].db
    published = _published(client, site, work)
    accounts.update_site(db, site.id, webhook_url="https://bao.vn/hook")
    first = outbox.add_event_now(db, published, "comment.published")
    with db.transaction() as s:
        s.execute(
            update(WebhookEvent).values(
                state="delivered", updated_at=datetime.now(UTC) - timedelta(days=31)
            )
        )
    assert outbox.prune_finished(db) == 1
    later = outbox.add_event_now(db, published, "comment.published")  # the table is empty
    assert first is not None and later is not None and later > first


def test_a_webhook_saved_while_the_engine_ran_hears_of_the_batch(app: Flask, client, site, work):
    """The sites with a webhook are read in the decision's transaction, not at loading."""
    db = app.extensions["duyet"].db
    accepted = submit(client, site, CLEAN)
    (loaded,) = load_many_for_moderation(db, [accepted["id"]])  # the site has no webhook yet
    accounts.update_site(db, site.id, webhook_url="https://bao.vn/hook")  # meanwhile
    decision = SystemDecision(loaded.comment, "approve", {}, [], "test-1")
    (outcome,) = record_system_decisions(db, [decision])
    assert outcome.webhook_event is not None


def test_a_pre_outbox_job_run_again_sends_the_same_event(
    app: Flask, client, site, work, listener, redis, settings, monkeypatch
):
    """RQ re-runs a job that raised: the old job keeps its event's id, so no second event."""
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    comment_id = _published(client, site, work)
    _hook_to(app, site, listener)
    queue = Queue(settings.webhook_queue_name, connection=redis)
    job = queue.enqueue("workers.jobs.deliver_webhook", comment_id, "comment.published")
    assert job.perform() == "delivered"
    assert job.perform() == "not-due"  # the same event, delivered already
    with app.extensions["duyet"].db.transaction() as s:
        assert s.query(WebhookEvent).count() == 1
    assert listener.connections == 1


def test_a_job_queued_before_the_outbox_still_delivers_its_event(
    app: Flask, client, site, work, listener, redis, settings, monkeypatch
):
    """An upgrade with deliveries still in Redis: the old job writes its event and sends it."""
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    comment_id = _published(client, site, work)
    _hook_to(app, site, listener)
    queue = Queue(settings.webhook_queue_name, connection=redis)
    queue.enqueue("workers.jobs.deliver_webhook", comment_id, "comment.published")
    work()
    assert [b["event"] for b in listener.bodies] == ["comment.published"]


@pytest.mark.parametrize(
    "option",
    [
        ["--webhook-url", "javascript:alert(1)"],
        ["--webhook-url", "ftp://example.vn/hook"],
        ["--webhook-url", "not a url"],
    ],
)
def test_site_configure_refuses_a_bad_webhook_as_the_desk_does(settings, capsys, option):
    assert main(["site", "create", "baotinh"]) == 0
    assert main(["site", "configure", "baotinh", *option]) == 1
    assert option[0].removeprefix("--").replace("-", "_") in capsys.readouterr().err
    site = accounts.find_site(Database(settings.database_url), "baotinh")
    assert (site.webhook_url, site.webhook_secret) == (None, None)


def test_site_configure_refuses_a_secret_the_column_cannot_hold(settings, capsys):
    assert main(["site", "create", "baotinh"]) == 0
    assert main(["site", "configure", "baotinh", "--webhook-secret", "s" * 201]) == 1
    assert "webhook_secret" in capsys.readouterr().err
    args = ["--webhook-url", "http://localhost:8080/hook", "--webhook-secret", "s" * 200]
    assert main(["site", "configure", "baotinh", *args]) == 0
    site = accounts.find_site(Database(settings.database_url), "baotinh")
    assert site.webhook_secret == "s" * 200
