"""The worker under a comment it cannot check, a job run again, and a stop request mid-batch."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from redis import Redis
from rq import Queue

from service.auth import clear_caches
from service.settings import Settings
from service.store import accounts
from service.store.reading import comment_history
from tests.integration.conftest import make_site, submit
from workers import attempts, runtime, sweep
from workers.process import ModerationWorker
from workers.wsgi import create

CLEAN = [
    "Cảm ơn báo đã đưa tin kịp thời, mong bà con vùng lũ sớm ổn định.",
    "Bài viết rất hay, cảm ơn tác giả nhiều.",
    "Tôi đồng ý với ý kiến của tác giả về vấn đề giao thông.",
]
BROKEN = {"max_links": "many"}  # written past the schema: the engine's rules cannot read it


def _status(client, site, comment_id: int) -> str:
    return client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"]


def _work(redis: Redis, settings: Settings) -> None:
    ModerationWorker([Queue(settings.queue_name, connection=redis)], connection=redis).work(
        burst=True
    )


def _sweep_and_work(app, redis: Redis, settings: Settings) -> int:
    redis.delete(sweep.LOCK_KEY)  # one sweep per interval otherwise
    swept = sweep.sweep_once(app.extensions["duyet"].db, redis, settings)
    _work(redis, settings)
    return swept


def _reason_codes(app, comment_id: int) -> list[str]:
    _, decisions, _ = comment_history(app.extensions["duyet"].db, comment_id)
    return [reason["code"] for d in decisions for reason in d.reasons]


def test_one_failing_comment_does_not_fail_its_batch(app, client, site, redis, settings):
    broken = make_site(app, "hongtin")
    first = submit(client, site, CLEAN[0])
    failing = submit(client, broken, CLEAN[1])
    last = submit(client, site, CLEAN[2])
    accounts.update_site(app.extensions["duyet"].db, broken.id, config=BROKEN)
    _work(redis, settings)  # one job claims all three
    assert _status(client, site, first["id"]) == "approved"
    assert _status(client, site, last["id"]) == "approved"
    assert _status(client, broken, failing["id"]) == "pending"
    assert redis.get(attempts.ATTEMPTS_KEY.format(failing["id"])) == b"1"


def test_a_comment_that_keeps_failing_is_held_and_the_sweep_leaves_it(
    app, client, site, redis, settings
):
    accepted = submit(client, site, CLEAN[0])
    accounts.update_site(app.extensions["duyet"].db, site.id, config=BROKEN)
    _work(redis, settings)
    for _ in range(attempts.MAX_ATTEMPTS - 1):
        assert _status(client, site, accepted["id"]) == "pending"
        assert _sweep_and_work(app, redis, settings) == 1
    assert _status(client, site, accepted["id"]) == "held"
    assert _reason_codes(app, accepted["id"]) == [attempts.CHECK_FAILED]
    assert _sweep_and_work(app, redis, settings) == 0  # held is no longer the sweep's
    assert _status(client, site, accepted["id"]) == "held"


def test_a_comment_checked_again_is_counted_once_in_posting_rates(
    app, client, site, redis, settings
):
    if time.time() % 60 > 45:  # the attempts must fall in one rate-limit minute
        time.sleep(61 - time.time() % 60)
    db = app.extensions["duyet"].db
    ids = [submit(client, site, text, ip="10.0.0.7")["id"] for text in CLEAN]
    accounts.update_site(db, site.id, config={**BROKEN, "flood_per_minute": 3})
    _work(redis, settings)  # every check fails: each comment is tried once ...
    _sweep_and_work(app, redis, settings)  # ... and twice
    accounts.update_site(db, site.id, config={"flood_per_minute": 3})
    _sweep_and_work(app, redis, settings)
    assert [_status(client, site, i) for i in ids] == ["approved"] * 3
    assert all("flood" not in _reason_codes(app, i) for i in ids)


class _HangingAkismet(BaseHTTPRequestHandler):
    """Akismet that outlasts a 1 s job timeout on comments saying 'slowcheck'."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        if b"slowcheck" in self.rfile.read(int(self.headers["Content-Length"])):
            time.sleep(1.6)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"false")

    def log_message(self, *args: object) -> None:
        pass


def _use_akismet(monkeypatch: pytest.MonkeyPatch, handler: type[BaseHTTPRequestHandler]):
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("DUYET_AKISMET_KEY", "test-key")
    monkeypatch.setenv("DUYET_AKISMET_BLOG", "https://baotinh.example.vn")
    monkeypatch.setenv("DUYET_AKISMET_URL", f"http://127.0.0.1:{server.server_port}")
    runtime.reset()
    return server


def test_a_check_that_outlasts_the_job_timeout_fails_that_comment_alone(
    redis, settings, monkeypatch
):
    server = _use_akismet(monkeypatch, _HangingAkismet)
    clear_caches()
    app = create(replace(settings, job_timeout=1))
    client = app.test_client()
    site = make_site(app, "baotinh")
    ids = [submit(client, site, text)["id"] for text in (CLEAN[0], "slowcheck " + CLEAN[1])]
    ids.append(submit(client, site, CLEAN[2])["id"])
    try:
        _work(redis, settings)
    finally:
        server.shutdown()
        app.extensions["duyet"].db.dispose()
    assert [_status(client, site, i) for i in ids] == ["approved", "pending", "approved"]
    assert redis.get(attempts.ATTEMPTS_KEY.format(ids[1])) == b"1"


class _SlowAkismet(BaseHTTPRequestHandler):
    """Akismet that sends this process a SIGTERM on the first check, then answers 'ham'."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers["Content-Length"]))
        if not self.server.stopped.is_set():  # type: ignore[attr-defined]
            self.server.stopped.set()  # type: ignore[attr-defined]
            os.kill(os.getpid(), signal.SIGTERM)  # as docker stop or systemd would
            time.sleep(0.3)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"false")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sigterm_during_a_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    server = _use_akismet(monkeypatch, _SlowAkismet)
    server.stopped = threading.Event()  # type: ignore[attr-defined]
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield server.stopped  # type: ignore[attr-defined]
    for signum, handler in handlers.items():  # RQ's handlers would outlive its worker
        signal.signal(signum, handler)
    server.shutdown()


def test_sigterm_mid_batch_stops_the_worker_after_the_comment_being_checked(
    client, site, redis, settings, sigterm_during_a_check
):
    ids = [submit(client, site, text)["id"] for text in CLEAN]
    queue = Queue(settings.queue_name, connection=redis)
    _work(redis, settings)  # burst: with the queue emptied by the batch it would go on
    assert sigterm_during_a_check.is_set()
    assert [_status(client, site, i) for i in ids] == ["approved", "pending", "pending"]
    assert sorted(queue.get_job_ids()) == sorted(f"moderate-{i}" for i in ids[1:])
    assert queue.failed_job_registry.get_job_ids() == []
    _work(redis, settings)  # the next worker decides the rest
    assert [_status(client, site, i) for i in ids] == ["approved"] * 3
