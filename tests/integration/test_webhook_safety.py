"""Webhook deliveries that cannot hurt: one deadline, public addresses only, current events,
the configured number of retries, and a CLI that checks what it stores."""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue

from service.queue import JobQueue
from service.settings import Settings
from service.store import Database, accounts
from tests.integration.conftest import SiteFixture, submit
from workers import runtime
from workers.cli import main
from workers.webhooks import refusal

CLEAN = "Cảm ơn báo đã đưa tin kịp thời."
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


@dataclass
class Listener:
    """A raw receiver on 127.0.0.1: counts connections, keeps what was POSTed, and answers
    at once or one byte every `trickle` seconds."""

    trickle: float = 0.0
    connections: int = 0
    bodies: list[dict] = field(default_factory=list)
    server: socket.socket = field(default_factory=socket.socket)

    @property
    def port(self) -> int:
        return int(self.server.getsockname()[1])

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            while len(body) < length:
                body += conn.recv(65536)
            self.bodies.append(json.loads(body))
            try:
                if not self.trickle:
                    conn.sendall(ANSWER)
                    return
                for byte in ANSWER:
                    conn.sendall(bytes([byte]))
                    time.sleep(self.trickle)
            except OSError:
                pass  # the sender gave up


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    found.server.bind(("127.0.0.1", 0))
    found.server.listen()
    threading.Thread(target=found.serve, daemon=True).start()
    yield found
    found.server.close()


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


def _webhook_audit(client: FlaskClient, comment_id: int, moderator: tuple[str, str]) -> list:
    history = client.get(f"/v1/moderation/comments/{comment_id}", auth=moderator).json
    return [e for e in history["audit"] if e["action"].startswith("webhook")]


def test_a_trickling_receiver_is_cut_off_at_one_deadline_for_the_whole_delivery(
    app: Flask, client, site, work, listener, moderator, monkeypatch
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true", DUYET_WEBHOOK_TIMEOUT="1")
    comment_id = _published(client, site, work)
    listener.trickle = 0.3  # each byte well within the timeout, the whole answer 17 s
    url = f"http://127.0.0.1:{listener.port}/hook"
    accounts.update_site(app.extensions["duyet"].db, site.id, webhook_url=url)
    app.extensions["duyet"].queue.webhook(comment_id, "comment.published")
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
    app.extensions["duyet"].queue.webhook(comment_id, "comment.published")
    work()
    assert listener.connections == 0
    audit = _webhook_audit(client, comment_id, moderator)
    assert [(e["action"], e["detail"]["status"]) for e in audit] == [("webhook_failed", "refused")]
    assert why in audit[0]["detail"]["reason"]
    # Waiting will not make the address public: no retry is scheduled.
    assert Queue(settings.webhook_queue_name, connection=redis).scheduled_job_registry.count == 0


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
    url = f"http://127.0.0.1:{listener.port}/hook"
    accounts.update_site(app.extensions["duyet"].db, site.id, webhook_url=url)
    assert client.delete(f"/v1/comments/{comment_id}", headers=site.headers).status_code < 300
    app.extensions["duyet"].queue.webhook(comment_id, "comment.published")  # a late retry
    with caplog.at_level("INFO", logger="duyet.webhooks"):
        work()
    assert listener.connections == 0
    assert "now deleted" in caplog.text


def test_a_late_published_event_after_a_rejection_is_dropped(
    app: Flask, client, site, work, listener, moderator, monkeypatch
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    comment_id = _published(client, site, work)
    url = f"http://127.0.0.1:{listener.port}/hook"
    accounts.update_site(app.extensions["duyet"].db, site.id, webhook_url=url)
    decision = client.post(
        f"/v1/moderation/comments/{comment_id}/decision",
        json={"action": "reject"},
        auth=moderator,
    )
    assert decision.status_code == 200, decision.json
    app.extensions["duyet"].queue.webhook(comment_id, "comment.published")  # a late retry
    work()
    got = [(b["event"], b["comment"]["status"]) for b in listener.bodies]
    assert got == [("comment.rejected", "rejected")]


@pytest.mark.parametrize(("retries", "intervals"), [(1, [10]), (2, [10, 60])])
def test_the_retries_setting_decides_how_often_a_delivery_is_retried(
    redis: Redis, settings: Settings, retries, intervals
):
    JobQueue(redis, settings.with_overrides(webhook_retries=retries)).webhook(1, "x")
    job = Queue(settings.webhook_queue_name, connection=redis).jobs[0]
    assert (job.retries_left, job.retry_intervals) == (retries, intervals)


def test_more_retries_than_backoff_steps_repeat_the_last_and_none_means_none(
    redis: Redis, settings: Settings
):
    JobQueue(redis, settings.with_overrides(webhook_retries=7)).webhook(1, "x")
    JobQueue(redis, settings.with_overrides(webhook_retries=0)).webhook(2, "x")
    many, none = Queue(settings.webhook_queue_name, connection=redis).jobs
    assert many.retries_left == 7 and many.retry_intervals[-3:] == [7200, 7200, 7200]
    assert not none.retries_left


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
