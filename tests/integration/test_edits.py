"""A reader's edit (PATCH /v1/comments/<id>): checked again before it is published, the
text before kept for moderators and erased with the comment, and no decision about the
old text standing for the new one."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue

from service.models import AuditEntry
from service.queue import moderation_job_id
from service.store import accounts
from service.store.comments import delete_comment, edit_comment
from service.store.moderation_input import load_many_for_moderation
from service.store.system_decisions import SystemDecision, record_system_decisions
from tests.integration.conftest import Listener, SiteFixture, make_site, submit
from tests.integration.test_desk import login
from tests.integration.test_webhook_safety import _env, _hook_to
from workers import jobs
from workers.sweep import sweep_once

CLEAN = "Cảm ơn báo đã đưa tin kịp thời về tình hình mưa lũ ở huyện mình."
BETTING = "Nhà cái uy tín số 1, cá cược bóng đá nạp 100k tặng 200k, gọi ngay 0912 345 678"


def _patch(client: FlaskClient, site: SiteFixture, comment_id: int, body: object):
    return client.patch(f"/v1/comments/{comment_id}", json={"body": body}, headers=site.headers)


def _status(client: FlaskClient, site: SiteFixture, comment_id: int) -> str:
    return client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"]


def _thread_bodies(client: FlaskClient, site: SiteFixture) -> list[str]:
    thread = client.get("/v1/articles/bai-1/comments", headers=site.headers).json
    return [c["body"] for c in thread["comments"]]


def _published(client: FlaskClient, site: SiteFixture, work: Callable[[], None]) -> int:
    accepted = submit(client, site, CLEAN)
    work()
    assert _status(client, site, accepted["id"]) == "approved"
    return int(accepted["id"])


def _edits(app: Flask, comment_id: int) -> list[dict]:
    with app.extensions["duyet"].db.transaction() as s:
        rows = s.query(AuditEntry).filter_by(comment_id=comment_id, action="edit").all()
        return [dict(row.detail) for row in rows]


def test_a_published_comment_edited_into_spam_leaves_the_thread_and_is_kept_out(
    app: Flask, client, site, work
):
    comment_id = _published(client, site, work)
    assert _thread_bodies(client, site) == [CLEAN]
    etag = client.get("/v1/articles/bai-1/comments", headers=site.headers).headers["ETag"]
    edited = _patch(client, site, comment_id, BETTING)
    assert edited.status_code == 202, edited.json
    assert edited.json["status"] == "pending" and edited.json["body"] == BETTING
    assert edited.json["notice"]["code"] == "checking"
    assert _thread_bodies(client, site) == []  # out of the thread at once, not after the check
    again = client.get(
        "/v1/articles/bai-1/comments", headers={**site.headers, "If-None-Match": etag}
    )
    assert again.status_code == 200  # the cached page is stale
    work()
    assert _status(client, site, comment_id) in ("spam", "rejected")
    assert _thread_bodies(client, site) == []
    assert _edits(app, comment_id) == [{"previous_body": CLEAN}]


def test_a_rejected_comment_its_author_rephrased_is_published(app: Flask, client, site, work):
    accounts.update_site(app.extensions["duyet"].db, site.id, config={"banned_words": ["đồ ngu"]})
    accepted = submit(client, site, "Phát biểu như vậy đúng là đồ ngu.")
    work()
    notice = client.get(f"/v1/comments/{accepted['id']}", headers=site.headers).json["notice"]
    assert notice["code"] == "banned_words"
    rephrased = "Phát biểu như vậy là thiếu hiểu biết về tình hình địa phương."
    assert _patch(client, site, accepted["id"], rephrased).status_code == 202
    work()
    assert _status(client, site, accepted["id"]) == "approved"
    assert _thread_bodies(client, site) == [rephrased]


def test_the_same_text_again_changes_nothing(app: Flask, client, site, work):
    comment_id = _published(client, site, work)
    same = _patch(client, site, comment_id, CLEAN)
    assert same.status_code == 200 and same.json["status"] == "approved"
    assert _edits(app, comment_id) == [] and _thread_bodies(client, site) == [CLEAN]


def test_what_cannot_be_edited_is_refused_and_nothing_changes(app: Flask, client, site, work):
    comment_id = _published(client, site, work)
    other_site = make_site(app, "baokhac")
    for bad in ("", "x" * 20_001, None, 5):
        answer = _patch(client, site, comment_id, bad)
        assert answer.status_code == 422 and "body" in answer.json["errors"], answer.json
    missing = client.patch(f"/v1/comments/{comment_id}", json={}, headers=site.headers)
    assert missing.status_code == 422
    assert _patch(client, other_site, comment_id, BETTING).status_code == 404
    closed = client.put("/v1/articles/bai-1", json={"closed": True}, headers=site.headers)
    assert closed.status_code == 200
    refused = _patch(client, site, comment_id, BETTING)
    assert refused.status_code == 409 and refused.json["code"] == "article_closed"
    assert _status(client, site, comment_id) == "approved" and _edits(app, comment_id) == []
    client.put("/v1/articles/bai-1", json={"closed": False}, headers=site.headers)
    delete_comment(app.extensions["duyet"].db, site.id, comment_id, "site")
    assert _patch(client, site, comment_id, BETTING).status_code == 409


def test_a_decision_about_the_text_before_the_edit_does_not_stand(app: Flask, client, site, work):
    db = app.extensions["duyet"].db
    accepted = submit(client, site, CLEAN)
    (read,) = load_many_for_moderation(db, [accepted["id"]])  # a worker reads the clean text
    edit_comment(db, site.id, accepted["id"], BETTING)  # the author edits meanwhile
    approve = SystemDecision(read.comment, "approve", {"spam": 0.01, "abuse": 0.01}, [], "t-1")
    assert record_system_decisions(db, [approve]) == []  # about the old text: refused
    assert _status(client, site, accepted["id"]) == "pending"
    assert _thread_bodies(client, site) == []
    work()  # the comment's job reads the text as it is now
    assert _status(client, site, accepted["id"]) in ("spam", "rejected")


def test_erasure_takes_the_text_before_each_edit_too(app: Flask, client, site, work):
    comment_id = _published(client, site, work)
    _patch(client, site, comment_id, "Bản sửa lần một, vẫn nói về mưa lũ.")
    _patch(client, site, comment_id, "Bản sửa lần hai.")
    assert [e["previous_body"] for e in _edits(app, comment_id)] == [
        CLEAN,
        "Bản sửa lần một, vẫn nói về mưa lũ.",
    ]
    assert client.delete(f"/v1/comments/{comment_id}", headers=site.headers).status_code == 200
    assert [e["previous_body"] for e in _edits(app, comment_id)] == ["", ""]


def test_the_site_hears_an_edit_that_took_a_comment_out_and_one_that_kept_it_in(
    app: Flask, client, site, work, listener: Listener, monkeypatch
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    kept = _published(client, site, work)
    taken_out = _published(client, site, work)
    _hook_to(app, site, listener)
    assert _patch(client, site, kept, CLEAN + " Xin bổ sung: nước đã rút.").status_code == 202
    assert _patch(client, site, taken_out, BETTING).status_code == 202
    work()
    got = {(b["event"], b["comment"]["id"]) for b in listener.bodies}
    # The unpublished event of the comment published again is dropped as stale when its
    # turn comes: the last event a site hears of a comment matches its status.
    assert got == {("comment.published", kept), ("comment.unpublished", taken_out)}
    published = next(b for b in listener.bodies if b["comment"]["id"] == kept)
    assert published["comment"]["body"].endswith("nước đã rút.")


def test_a_held_edited_comments_card_says_so_and_its_page_shows_the_text_before(
    app: Flask, client, site, work, moderator
):
    accepted = submit(client, site, CLEAN)
    work()
    links = " ".join(f"http://{n}.example.vn/x" for n in "abcd")  # four links: held
    assert _patch(client, site, accepted["id"], f"Xem thêm: {links}").status_code == 202
    work()
    assert _status(client, site, accepted["id"]) == "held"
    assert login(client).status_code == 302
    queue = client.get("/mod/queue?tab=held").get_data(as_text=True)
    assert f'<a class="edited" href="/mod/comments/{accepted["id"]}">Đã sửa 1 lần</a>' in queue
    page = client.get(f"/mod/comments/{accepted['id']}").get_data(as_text=True)
    assert "Nội dung trước khi sửa" in page and CLEAN in page


def test_a_comment_whose_decision_an_edit_refused_is_checked_again_by_the_sweep(
    app: Flask, client, site, work, redis: Redis, settings
):
    db = app.extensions["duyet"].db
    accepted = submit(client, site, CLEAN)
    queue = Queue(settings.queue_name, connection=redis)
    assert redis.lpop(queue.key) is not None  # a worker takes the job...
    redis.delete(f"rq:job:{moderation_job_id(accepted['id'])}")  # ...and ends it (result_ttl 0)
    (read,) = load_many_for_moderation(db, [accepted["id"]])
    edit_comment(db, site.id, accepted["id"], BETTING)  # an edit while it was checked
    approve = SystemDecision(read.comment, "approve", {"spam": 0.01, "abuse": 0.01}, [], "t-1")
    assert record_system_decisions(db, [approve]) == []
    work()
    assert _status(client, site, accepted["id"]) == "pending"  # no job: nothing ran
    assert sweep_once(db, redis, settings) == 1
    work()
    assert _status(client, site, accepted["id"]) in ("spam", "rejected")


def _edit_after_each_check(monkeypatch, db, site: SiteFixture, comment_id: int, texts: list[str]):
    """Have the author edit the comment each time the engine has judged it, texts in turn."""
    judge = jobs.evaluate

    def judge_then_edit(*args, **kwargs):
        decision = judge(*args, **kwargs)
        if texts:
            edit_comment(db, site.id, comment_id, texts.pop(0))
        return decision

    monkeypatch.setattr(jobs, "evaluate", judge_then_edit)


def test_a_comment_edited_while_its_job_checks_it_is_checked_again_by_that_job(
    app: Flask, client, site, work, monkeypatch
):
    accepted = submit(client, site, CLEAN)
    texts = [BETTING]
    _edit_after_each_check(monkeypatch, app.extensions["duyet"].db, site, accepted["id"], texts)
    work()  # judged clean, refused (edited meanwhile), judged again: no sweep ran
    assert texts == [] and _status(client, site, accepted["id"]) in ("spam", "rejected")


def test_an_author_editing_during_every_check_costs_the_job_a_bounded_number_of_checks(
    app: Flask, client, site, work, monkeypatch, redis: Redis, settings
):
    db = app.extensions["duyet"].db
    accepted = submit(client, site, CLEAN)
    texts = [f"{CLEAN} (sửa lần {n})" for n in range(1, 10)]
    _edit_after_each_check(monkeypatch, db, site, accepted["id"], texts)
    work()
    checks = 1 + jobs.RECHECKS_AFTER_AN_EDIT
    assert len(texts) == 9 - checks and _status(client, site, accepted["id"]) == "pending"
    texts.clear()  # the author stops; the sweep finds the comment without a job
    assert sweep_once(db, redis, settings) == 1
    work()
    assert _status(client, site, accepted["id"]) == "approved"
