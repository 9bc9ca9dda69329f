"""In a storm one job decides a batch; every comment is still decided exactly once."""

from __future__ import annotations

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from service.models import AuditEntry, Comment, Decision
from tests.integration.conftest import submit
from workers import batch, runtime
from workers.process import ModerationWorker
from workers.sweep import sweep_once

PAGE = "https://baotinh.example.vn/thoi-su/bai-1.html"


def _decisions_per_comment(app) -> dict[int, int]:
    with app.extensions["duyet"].db.transaction() as s:
        rows = s.execute(select(Decision.comment_id, func.count()).group_by(Decision.comment_id))
        return dict(rows.all())


def _statuses(app) -> list[str]:
    with app.extensions["duyet"].db.transaction() as s:
        return list(s.scalars(select(Comment.status)))


def test_a_deep_queue_is_decided_in_batches_exactly_once(app, client, site, work, redis, settings):
    ids = [submit(client, site, f"Ý kiến số {n} về con đường mới.")["id"] for n in range(80)]
    assert Queue(settings.queue_name, connection=redis).count == 80
    work()
    assert _decisions_per_comment(app) == {comment_id: 1 for comment_id in ids}
    with app.extensions["duyet"].db.transaction() as s:
        decided = s.scalar(select(func.count()).where(AuditEntry.action == "decide"))
    assert decided == 80
    assert "pending" not in _statuses(app)


def test_a_busy_job_drains_what_queues_behind_its_batch(
    app, client, site, redis: Redis, settings, monkeypatch
):
    # With batches of 4, the first job's own batch is 4 comments; the other 6 jobs are what
    # would queue up while every worker is busy, and the same job goes on to decide them.
    monkeypatch.setattr(batch, "BATCH_SIZE", 4)
    ids = [submit(client, site, f"Góp ý số {n} về giờ họp chợ.")["id"] for n in range(10)]
    queue = Queue(settings.queue_name, connection=redis)
    ModerationWorker([queue], connection=redis).work(burst=True, max_jobs=1)
    assert queue.count == 0
    assert _decisions_per_comment(app) == {comment_id: 1 for comment_id in ids}


def test_draining_stops_at_its_deadline(app, client, site, redis: Redis, settings, monkeypatch):
    monkeypatch.setattr(batch, "BATCH_SIZE", 4)
    monkeypatch.setattr(batch, "DRAIN_SECONDS", 0.0)
    for n in range(10):
        submit(client, site, f"Góp ý số {n} về giờ họp chợ.")
    queue = Queue(settings.queue_name, connection=redis)
    ModerationWorker([queue], connection=redis).work(burst=True, max_jobs=1)
    assert queue.count == 6  # its own batch only
    assert _statuses(app).count("pending") == 6


def test_comments_claimed_by_a_worker_that_died_are_swept_and_decided_once(
    app, client, site, work, redis: Redis, settings
):
    ids = [submit(client, site, f"Bình luận thứ {n} về giá xăng.")["id"] for n in range(10)]
    queue = Queue(settings.queue_name, connection=redis)
    # What a worker does when it claims neighbours, then dies before deciding them.
    claimed = redis.eval(batch._CLAIM, 1, queue.key, 9, batch.JOB_PREFIX)
    assert len(claimed) == 18 and queue.count == 1
    work()
    assert _statuses(app).count("pending") == 9
    assert sweep_once(app.extensions["duyet"].db, redis, settings) == 9
    work()
    assert _decisions_per_comment(app) == {comment_id: 1 for comment_id in ids}


def test_a_batch_scored_at_once_gets_the_scores_of_each_comment_alone(app, client, site, work):
    bodies = [
        "Cảm ơn tác giả, thông tin rất hữu ích cho bà con vùng lũ.",
        "Nhà cái uy tín nạp tiền nhận thưởng 100% truy cập ngay",
        "Vay tiền nhanh không thế chấp liên hệ zalo 0912 345 678",
        "Tôi không đồng ý, chính quyền cần minh bạch hơn về dự án này.",
        f"Mọi người đọc kỹ bài này: {PAGE}?utm_source=zalo rồi hãy bình luận.",
    ]
    for body in bodies * 11:  # one batch, large enough to be scored in one call
        submit(client, site, body, article_url=PAGE)
    work()
    with app.extensions["duyet"].db.transaction() as s:
        rows = s.execute(select(Comment.body, Decision.scores).join(Decision)).all()
    assert len(rows) == 55
    model = runtime.model()
    assert model is not None
    for body, scores in rows:
        alone = model.probabilities(body.replace(f"{PAGE}?utm_source=zalo", " "))
        assert {k: scores[f"model_{k}"] for k in alone} == pytest.approx(alone, abs=1e-9)


def test_the_worker_notes_each_comments_risk_for_the_desk(app, client, site, work):
    """The desk's riskiest-first order reads comments.risk: the engine's higher score."""
    bodies = [
        "Cảm ơn tác giả, thông tin rất hữu ích cho bà con vùng lũ.",
        "Nhà cái uy tín nạp tiền nhận thưởng 100% truy cập ngay",
        "Vay tiền nhanh không thế chấp liên hệ zalo 0912 345 678",
    ]
    for body in bodies * 4:
        submit(client, site, body)
    work()
    with app.extensions["duyet"].db.transaction() as s:
        rows = s.execute(select(Comment.body, Comment.risk, Decision.scores).join(Decision)).all()
    assert len(rows) == 12
    for _, risk, scores in rows:
        assert risk == pytest.approx(max(scores["spam"], scores["abuse"]))
    risk_of = {body: risk for body, risk, _ in rows}
    assert risk_of[bodies[0]] < 0.5 < min(risk_of[bodies[1]], risk_of[bodies[2]])
