"""The intake writer process (service/intake_writer.py): the same answers, from another process.

These apps store comments as `duyet serve` does, through a writer process of their own
(the other in-process tests use the writer thread). The fault suite covers the same road
under gunicorn.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from sqlalchemy import func, select, text

from service import intake_writer
from service.errors import DuyetError
from service.intake import Submission
from service.models import Article, Comment
from service.queue import moderation_job_id
from service.settings import Settings
from service.store.new_comments import NewComment
from tests.integration.conftest import SiteFixture, in_parallel, submit
from workers.wsgi import create


def _with_process(settings: Settings, **changes: Any) -> Flask:
    app = create(settings.with_overrides(intake_writer_process=True, **changes))
    app.extensions["duyet"].intake.start()
    return app


def _stop(app: Flask) -> None:
    app.extensions["duyet"].intake.process.stop()
    app.extensions["duyet"].db.dispose()


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:  # the conftest's app, with the writer process
    app = _with_process(settings)
    yield app
    _stop(app)


def _writer_pid(app: Flask) -> int:
    pid = app.extensions["duyet"].intake.process.pid
    assert pid is not None and pid != os.getpid()
    return int(pid)


def _post(app: Flask, site: SiteFixture, body: str, **fields: Any) -> Any:
    payload = {"article_id": "bai-1", "body": body, "author_name": "Lan", **fields}
    headers = dict(site.headers)
    if key := fields.pop("idempotency_key", None):
        payload.pop("idempotency_key")
        headers["Idempotency-Key"] = key
    return app.test_client().post("/v1/comments", json=payload, headers=headers)


def test_concurrent_comments_are_stored_and_queued_once_by_the_process(
    app: Flask, site: SiteFixture, redis: Redis, settings: Settings
):
    writer = _writer_pid(app)

    def post(n: int) -> tuple[int, Any]:
        # Every key twice, each time with its comment: a retry.
        response = _post(app, site, f"Ý kiến số {n % 30}.", idempotency_key=f"key-{n % 30}")
        return response.status_code, response.json

    answers = in_parallel(post, 60)
    assert {status for status, _ in answers} == {202}
    by_id = {body["id"]: body["body"] for _, body in answers}
    assert len(by_id) == 30  # every key twice: the second answer names the first comment
    with app.extensions["duyet"].db.transaction() as s:
        stored = {c.id: c.body for c in s.scalars(select(Comment))}
    assert stored == by_id  # each answer names its own stored comment
    for comment_id in by_id:
        assert redis.exists(f"rq:job:{moderation_job_id(comment_id)}")
    assert redis.llen(f"rq:queue:{settings.queue_name}") == 30
    assert _writer_pid(app) == writer  # one process did it all


def test_an_idempotent_replay_answers_the_first_comment(app: Flask, site: SiteFixture):
    first = _post(app, site, "Gửi một lần thôi.", idempotency_key="lan-42")
    again = _post(app, site, "Gửi một lần thôi.", idempotency_key="lan-42")
    assert first.status_code == again.status_code == 202
    assert again.json == first.json


def test_the_process_stores_a_new_articles_section(app: Flask, site: SiteFixture):
    first = _post(app, site, "Trận đấu hay.", article_section=" the-thao ")
    later = _post(app, site, "Ý kiến sau.", article_section="thoi-su")
    assert first.status_code == later.status_code == 202
    assert _writer_pid(app)  # stored by the process, not in this one
    with app.extensions["duyet"].db.transaction() as s:
        assert s.scalars(select(Article.section)).all() == ["the-thao"]  # set once, trimmed


def test_a_key_reused_for_other_comments_at_once_stores_one_and_refuses_the_rest(
    app: Flask, site: SiteFixture, redis: Redis, settings: Settings
):
    def post(n: int) -> tuple[int, Any]:
        response = _post(app, site, f"Ý kiến {n}.", author_name=f"Người {n}", idempotency_key="k1")
        return response.status_code, response.json

    answers = in_parallel(post, 30)
    assert sorted(status for status, _ in answers) == [202] + [422] * 29
    assert {body["code"] for status, body in answers if status == 422} == {"idempotency_key_reused"}
    (won,) = [body for status, body in answers if status == 202]
    with app.extensions["duyet"].db.transaction() as s:
        assert [c.body for c in s.scalars(select(Comment))] == [won["body"]]
    assert redis.llen(f"rq:queue:{settings.queue_name}") == 1
    # The winner sent again is a replay: the stored comment, field for field.
    again = _post(app, site, won["body"], author_name=won["author_name"], idempotency_key="k1")
    assert again.status_code == 202 and again.json == won


def test_one_unstorable_comment_leaves_its_batch_stored(app: Flask, site: SiteFixture):
    # Past the schema (as if it let one through): the writer process refuses that comment
    # alone, and the others it stores with it in the same batch are stored.
    batch = [
        Submission(
            site.id,
            NewComment("bai-moi", "Lỗi.", "Lan", article_url="http://x.vn/\ud800"),
            None,
            None,
            None,
        ),
        *(
            Submission(site.id, NewComment(f"bai-{n}", f"Ý kiến {n}.", "An"), None, None, None)
            for n in range(3)
        ),
    ]
    app.extensions["duyet"].intake.process.store_and_queue(batch)
    bad, *good = [sub.outcome for sub in batch]
    assert isinstance(bad, DuyetError) and bad.status == 422
    assert [o[0].body for o in good if isinstance(o, tuple)] == [f"Ý kiến {n}." for n in range(3)]


def test_the_stores_refusals_come_back_as_their_own_answers(app: Flask, site: SiteFixture):
    client = app.test_client()
    closed = client.put("/v1/articles/da-dong", json={"closed": True}, headers=site.headers)
    assert closed.status_code == 200
    refused = _post(app, site, "Bình luận bài đã khóa.", article_id="da-dong")
    assert refused.status_code == 409 and refused.json["code"] == "article_closed"
    orphan = _post(app, site, "Trả lời ai?", parent_id=987654)
    assert orphan.status_code == 422, orphan.json
    assert submit(client, site, "Vẫn nhận bình luận khác.")["status"] == "pending"


def test_the_rate_limit_answers_429_with_retry_after(site: SiteFixture, settings: Settings):
    strict = _with_process(settings, rate_limit_author=1, rate_limit_window=86400)
    try:
        assert _post(strict, site, "Lần một.", author_email="lan@example.vn").status_code == 202
        again = _post(strict, site, "Lần hai.", author_email="lan@example.vn")
        assert again.status_code == 429 and again.json["code"] == "rate_limited"
        assert int(again.headers["Retry-After"]) >= 1
    finally:
        _stop(strict)


def test_a_killed_process_is_replaced_by_the_next_batch(app: Flask, site: SiteFixture):
    before = _writer_pid(app)
    os.kill(before, signal.SIGKILL)
    os.waitpid(before, 0)
    answer = _post(app, site, "Sau khi tiến trình ghi bị tắt.")
    assert answer.status_code == 202, answer.json
    assert _writer_pid(app) != before


def _hold_the_write_lock(app: Flask) -> Any:
    """Block every insert into comments from another connection; close it to let them go."""
    conn = app.extensions["duyet"].db.engine.connect()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.begin()
        conn.execute(text("LOCK TABLE comments IN EXCLUSIVE MODE"))
    return conn


def test_a_batch_in_flight_when_the_process_dies_is_answered_503(app: Flask, site: SiteFixture):
    writer = _writer_pid(app)
    answers: list[Any] = []
    lock = _hold_the_write_lock(app)
    try:
        sender = threading.Thread(target=lambda: answers.append(_post(app, site, "Kẹt lại.")))
        sender.start()
        time.sleep(0.5)  # the process is now waiting for the lock with the comment
        assert not answers
        os.kill(writer, signal.SIGKILL)
        sender.join(timeout=10)
    finally:
        lock.rollback()
        lock.close()
    (answer,) = answers
    assert answer.status_code == 503 and answer.json["code"] == "unavailable"
    assert answer.headers["Retry-After"]
    with app.extensions["duyet"].db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Comment)) == 0  # never committed
    assert _post(app, site, "Gửi lại sau đó.").status_code == 202


def test_a_writer_that_cannot_start_yet_answers_503_then_recovers(
    settings: Settings, site: SiteFixture, monkeypatch: pytest.MonkeyPatch
):
    app = create(settings.with_overrides(intake_writer_process=True))
    process = app.extensions["duyet"].intake.process
    real_start = process.start

    def refuse() -> None:
        raise RuntimeError("the intake writer process did not start")

    monkeypatch.setattr(process, "start", refuse)
    try:
        app.extensions["duyet"].intake.start()  # as gunicorn's post_worker_init: no crash
        refused = _post(app, site, "Chưa có tiến trình ghi.")
        assert refused.status_code == 503 and refused.json["code"] == "unavailable"
        monkeypatch.setattr(process, "start", real_start)
        assert _post(app, site, "Đã có tiến trình ghi.").status_code == 202
    finally:
        _stop(app)


def test_a_stuck_process_is_killed_after_the_answer_timeout_and_replaced(
    app: Flask, site: SiteFixture, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(intake_writer, "ANSWER_TIMEOUT_SECONDS", 1.0)
    stuck = _writer_pid(app)
    os.kill(stuck, signal.SIGSTOP)  # alive, holding its connection, answering nothing
    late = _post(app, site, "Tiến trình ghi bị treo.")
    assert late.status_code == 503 and late.json["code"] == "unavailable"
    with pytest.raises(ProcessLookupError):
        os.kill(stuck, 0)  # killed and reaped, not left behind
    assert _post(app, site, "Tiến trình ghi mới.").status_code == 202
    assert _writer_pid(app) != stuck


def _in_group(settings: Settings, group: str, **changes: Any) -> Flask:
    """An app as a `duyet serve` worker builds it: joining its server's writer process."""
    app = create(settings.with_overrides(intake_writer_process=True, **changes))
    app.extensions["duyet"].intake.start(writer_group=group)
    return app


def test_the_api_processes_of_a_server_share_one_writer_until_the_last_leaves(
    site: SiteFixture, redis: Redis, settings: Settings
):
    group = f"test-{os.getpid()}-shared"
    first, second = _in_group(settings, group), _in_group(settings, group)
    address = first.extensions["duyet"].intake.process.address
    writer = _writer_pid(first)
    try:
        assert _writer_pid(second) == writer

        def post(n: int) -> int:  # both at once: the writer stores what they send together
            return _post((first, second)[n % 2], site, f"Ý kiến số {n}.").status_code

        assert set(in_parallel(post, 40)) == {202}
        with first.extensions["duyet"].db.transaction() as s:
            assert s.scalar(select(func.count()).select_from(Comment)) == 40
        assert redis.llen(f"rq:queue:{settings.queue_name}") == 40
    finally:
        _stop(first)
    assert _post(second, site, "Tiến trình kia đã đi.").status_code == 202  # still served
    assert _writer_pid(second) == writer
    _stop(second)
    deadline = time.monotonic() + 10
    while os.path.exists(address) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(address)  # the last one gone, the writer left
    assert os.waitpid(writer, 0)[0] == writer  # and exited (this process started it)


def test_a_process_with_other_settings_is_refused_by_its_groups_writer(settings: Settings):
    group = f"test-{os.getpid()}-refused"
    first = _in_group(settings, group)
    other = create(settings.with_overrides(intake_writer_process=True, rate_limit_author=1))
    process = other.extensions["duyet"].intake.process
    process.group = group
    try:
        with pytest.raises(RuntimeError, match="other settings"):
            process.start()
        assert process.pid is None
    finally:
        _stop(first)
        other.extensions["duyet"].db.dispose()


def test_the_socket_directory_must_be_closed_to_other_users(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    opened = tmp_path / f"duyet-{os.getuid()}"
    opened.mkdir(mode=0o755)
    opened.chmod(0o755)  # whatever the umask: readable by everyone
    with pytest.raises(RuntimeError, match="only this user"):
        intake_writer.socket_dir()
    opened.chmod(0o700)
    assert intake_writer.socket_dir() == opened
