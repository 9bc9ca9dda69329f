"""Intake's group commit: comments arriving together share a transaction, each keeps its answer."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from sqlalchemy import func, select

from service.intake import Intake, Submission
from service.models import Comment
from service.queue import moderation_job_id
from service.settings import Settings
from service.store import group_commit
from service.store.articles import ArticleClosed
from service.store.group_commit import submit_many
from service.store.new_comments import InvalidParent, NewComment
from tests.integration.conftest import SiteFixture, in_parallel, make_site, submit


def _new(body: str, article: str = "bai-1", **fields: object) -> NewComment:
    return NewComment(article_id=article, body=body, author_name="Lan", **fields)  # type: ignore[arg-type]


def test_one_batch_answers_each_comment_on_its_own(app: Flask, site: SiteFixture, client):
    db = app.extensions["duyet"].db
    root = submit(client, site, "Bài viết hay, cảm ơn tòa soạn.")
    closing = client.put("/v1/articles/dong-cua", json={"closed": True}, headers=site.headers)
    assert closing.status_code == 200, closing.json
    other = make_site(app, "baokhac")
    replayed = submit(client, site, "Đã gửi rồi.", article_id="bai-2")
    with db.transaction() as s:
        s.get(Comment, replayed["id"]).idempotency_key = "lan-1"  # as if sent with that key

    outcomes = submit_many(
        db,
        [
            (site.id, _new("Một ý kiến mới."), None),
            (site.id, _new("Bình luận bài đã khóa.", "dong-cua"), None),
            (site.id, _new("Trả lời sai bài.", "bai-3", parent_id=root["id"]), None),
            (site.id, _new("Đã gửi rồi.", "bai-2"), "lan-1"),  # a retry: the same comment
            (site.id, _new("Trả lời đúng chỗ.", parent_id=root["id"]), None),
            (site.id, _new("Bài mới toanh.", "bai-moi", article_title="Bài mới"), None),
            (other.id, _new("Trang khác, cùng khóa.", "bai-1"), "lan-1"),
        ],
    )

    fresh, closed, wrong_parent, replay, reply, first_of_article, other_site = outcomes
    assert isinstance(closed, ArticleClosed)
    assert isinstance(wrong_parent, InvalidParent)
    assert not isinstance(replay, Exception) and replay[1] is False
    assert replay[0].id == replayed["id"]
    for outcome in (fresh, reply, first_of_article, other_site):
        assert not isinstance(outcome, Exception) and outcome[1] is True
    assert reply[0].root_id == root["id"]  # type: ignore[index]
    assert other_site[0].site_id == other.id  # type: ignore[index]
    with db.transaction() as s:
        stored = s.scalar(select(func.count()).select_from(Comment))
    assert stored == 2 + 4  # two before, four new: the failures stored nothing


def test_each_answer_of_a_batch_names_its_own_stored_comment(app: Flask, site: SiteFixture):
    db = app.extensions["duyet"].db
    bodies = [f"Ý kiến thứ {n}: {'rất ' * (n % 5)}hay." for n in range(40)]
    outcomes = submit_many(
        db,
        [
            (site.id, _new(body, f"bai-{n % 3}", parent_id=None, ip=f"10.0.0.{n}"), None)
            for n, body in enumerate(bodies)
        ],
    )
    ids = [outcome[0].id for outcome in outcomes]  # type: ignore[index]
    with db.transaction() as s:
        stored = {c.id: (c.body, c.ip) for c in s.scalars(select(Comment))}
        # Times are stored as the ORM stores them, so SQL finds them (SQLite keeps text).
        # Two comments of a batch may share a microsecond: the time finds its own among them.
        for outcome in outcomes:
            at = outcome[0].created_at  # type: ignore[index]
            same_time = s.scalars(select(Comment.id).where(Comment.created_at == at)).all()
            assert outcome[0].id in same_time  # type: ignore[index]
    assert [stored[i] for i in ids] == [(b, f"10.0.0.{n}") for n, b in enumerate(bodies)]
    assert ids == sorted(ids)


def test_a_repeated_key_inside_one_batch_stores_one_comment(app: Flask, site: SiteFixture):
    db = app.extensions["duyet"].db
    first, second = submit_many(
        db, [(site.id, _new("Gửi hai lần."), "k-1"), (site.id, _new("Gửi hai lần."), "k-1")]
    )
    assert not isinstance(first, Exception) and not isinstance(second, Exception)
    assert first[0].id == second[0].id
    assert (first[1], second[1]) == (True, False)


def test_concurrent_submissions_are_all_stored_and_queued_once(
    app: Flask, site: SiteFixture, redis: Redis, settings: Settings
):
    def post(n: int) -> tuple[int, Any]:
        client = app.test_client()
        # Every key twice, each time with its comment: a retry.
        payload = {"article_id": f"bai-{n % 3}", "body": f"Ý kiến {n % 30}.", "author_name": "An"}
        headers = {**site.headers, "Idempotency-Key": f"key-{n % 30}"}
        response = client.post("/v1/comments", json=payload, headers=headers)
        return response.status_code, response.json

    answers = in_parallel(post, 60)
    assert {status for status, _ in answers} == {202}
    ids = {body["id"] for _, body in answers}
    assert len(ids) == 30  # every key twice: the second answer names the first comment
    for comment_id in ids:
        assert redis.exists(f"rq:job:{moderation_job_id(comment_id)}")
    queued = redis.lrange(f"rq:queue:{settings.queue_name}", 0, -1)
    assert len(queued) == 30


def _waiting(intake: Intake, count: int) -> None:
    for n in range(count):
        intake._waiting.put(Submission(1, _new(f"#{n}"), None, None, None))


def test_a_batch_is_what_waits_now_and_a_later_comment_is_the_next_ones(app: Flask):
    intake = app.extensions["duyet"].intake
    _waiting(intake, 3)
    late = threading.Timer(0.05, _waiting, (intake, 1))
    late.start()
    batch = intake._next_batch()
    late.join()
    assert batch is not None and len(batch) == 3  # taken at once, not waiting for the late one
    assert intake._waiting.qsize() == 1
    assert [sub.new.body for sub in intake._next_batch() or []] == ["#0"]


def test_a_key_stored_meanwhile_by_another_process_is_answered_as_a_replay(
    app: Flask, site: SiteFixture, monkeypatch: pytest.MonkeyPatch
):
    db = app.extensions["duyet"].db
    (first,) = submit_many(db, [(site.id, _new("Lần đầu."), "k-race")])
    # As if another API process committed the key between this batch's lookup and insert:
    # the batch's INSERT meets the unique constraint and the batch is stored one by one.
    monkeypatch.setattr(group_commit, "_replays", lambda conn, intakes: {})
    fresh, replay = submit_many(
        db, [(site.id, _new("Một ý kiến khác."), None), (site.id, _new("Lần đầu."), "k-race")]
    )
    assert not isinstance(replay, Exception) and replay[1] is False
    assert replay[0].id == first[0].id  # type: ignore[index]
    assert not isinstance(fresh, Exception) and fresh[1] is True
