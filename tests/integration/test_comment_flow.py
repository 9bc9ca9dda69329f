"""The whole comment path: submit, decide in a worker, publish, moderate, read."""

from __future__ import annotations

from flask.testing import FlaskClient
from redis import Redis
from rq import Queue

from service.queue import MODERATE_JOB
from service.store import accounts
from tests.integration.conftest import SiteFixture, submit
from workers.jobs import moderate_comment

CLEAN = "Cảm ơn báo đã đưa tin kịp thời về tình hình mưa lũ ở huyện mình."
FOUR_LINKS = (
    "Xem thêm tại http://a.example.vn/1 và http://b.example.vn/2, "
    "http://c.example.vn/3 cùng http://d.example.vn/4"
)


def _status(client: FlaskClient, site: SiteFixture, comment_id: int) -> str:
    response = client.get(f"/v1/comments/{comment_id}", headers=site.headers)
    assert response.status_code == 200
    return response.json["status"]


def _thread(client: FlaskClient, site: SiteFixture, article: str = "bai-1", **query: str) -> dict:
    response = client.get(
        f"/v1/articles/{article}/comments", headers=site.headers, query_string=query
    )
    assert response.status_code == 200, response.json
    return response.json


def test_clean_comment_is_published_after_the_worker_runs(client, site, work):
    accepted = submit(client, site, CLEAN)
    assert accepted["status"] == "pending"
    assert _thread(client, site)["comments"] == []
    work()
    assert _status(client, site, accepted["id"]) == "approved"
    published = _thread(client, site)["comments"]
    assert [c["body"] for c in published] == [CLEAN]
    assert "author_email" not in published[0] and "ip" not in published[0]
    # The same UTC moment, with its zone, whichever database stored it.
    assert published[0]["created_at"] == accepted["created_at"]
    assert accepted["created_at"].endswith("+00:00")


def test_comment_with_four_links_is_held_with_a_reason(client, site, work, moderator):
    held = submit(client, site, FOUR_LINKS)
    work()
    assert _status(client, site, held["id"]) == "held"
    queue = client.get("/v1/moderation/queue", auth=moderator).json["items"]
    assert [item["id"] for item in queue] == [held["id"]]
    codes = [reason["code"] for reason in queue[0]["decision"]["reasons"]]
    assert any("link" in code for code in codes), codes


def test_links_back_to_the_article_itself_are_not_counted(client, site, work):
    page = "https://baotinh.example.vn/thoi-su/duong-xa-123.html"
    body = f"Bài viết rất đúng, mọi người đọc kỹ: {page} (bản in {page}?print=1, {page}#ý-kiến)"
    shared = submit(client, site, body, article_id="duong-xa", article_url=page)
    elsewhere = submit(client, site, body, article_id="bai-khac")
    work()
    assert _status(client, site, shared["id"]) == "approved"
    assert _status(client, site, elsewhere["id"]) == "held"


def test_common_profanity_is_held_until_the_site_turns_the_list_off(client, site, app, work):
    vulgar = "Giá xăng tăng vcl, lương thì không tăng"  # the classifier alone approves it
    held = submit(client, site, vulgar)
    work()
    assert _status(client, site, held["id"]) == "held"
    accounts.update_site(app.extensions["duyet"].db, site.id, config={"common_profanity": False})
    # Another text: the same one again would be held as a near-duplicate.
    again = submit(client, site, "Giá điện cũng tăng vcl", article_id="bai-khac")
    work()
    assert _status(client, site, again["id"]) == "approved"


def test_a_word_the_site_allows_is_no_longer_held_for_the_profanity_list(client, site, app, work):
    config = {"profanity_allowed": ["vcl"]}
    accounts.update_site(app.extensions["duyet"].db, site.id, config=config)
    allowed = submit(client, site, "Giá xăng tăng vcl, lương thì không tăng")
    other = submit(client, site, "Đéo hiểu nổi cách làm của xã", article_id="bai-khac")
    work()
    assert _status(client, site, allowed["id"]) == "approved"
    assert _status(client, site, other["id"]) == "held"  # the rest of the list still holds


def test_moderator_approval_publishes_and_is_audited(client, site, work, moderator):
    held = submit(client, site, FOUR_LINKS)
    work()
    response = client.post(
        f"/v1/moderation/comments/{held['id']}/decision",
        json={"action": "approve", "note": "nguồn tin chính thống"},
        auth=moderator,
    )
    assert response.status_code == 200, response.json
    assert _status(client, site, held["id"]) == "approved"
    assert [c["id"] for c in _thread(client, site)["comments"]] == [held["id"]]
    history = client.get(f"/v1/moderation/comments/{held['id']}", auth=moderator).json
    actors = [(entry["actor"], entry["to_status"]) for entry in history["audit"]]
    assert actors == [("system", "held"), ("moderator:bientap", "approved")]
    assert history["decisions"][-1]["note"] == "nguồn tin chính thống"


def test_a_job_run_twice_decides_once(client, site, app):
    accepted = submit(client, site, CLEAN)
    assert moderate_comment(accepted["id"]) == "approved"
    assert moderate_comment(accepted["id"]) == "skipped"
    history = comment_history_of(app, accepted["id"])
    assert len(history[1]) == 1  # one decision row
    assert [e.action for e in history[2]] == ["decide"]


def comment_history_of(app, comment_id):
    from service.store.reading import comment_history

    return comment_history(app.extensions["duyet"].db, comment_id)


def test_intake_enqueues_a_job_carrying_only_the_id(client, site, redis: Redis, settings):
    accepted = submit(client, site, CLEAN)
    jobs = Queue(settings.queue_name, connection=redis).get_jobs()
    assert [(job.func_name, job.args) for job in jobs] == [(MODERATE_JOB, (accepted["id"],))]


def test_idempotency_key_returns_the_same_comment(client, site, redis, settings):
    headers = {**site.headers, "Idempotency-Key": "req-42"}
    payload = {"article_id": "bai-1", "body": CLEAN, "author_name": "Lan"}
    first = client.post("/v1/comments", json=payload, headers=headers)
    second = client.post("/v1/comments", json=payload, headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.json["id"] == second.json["id"]
    assert Queue(settings.queue_name, connection=redis).count == 1


def test_replies_thread_under_their_parent(client, site, work):
    root = submit(client, site, CLEAN)
    reply = submit(client, site, "Đồng ý với bạn.", parent_id=root["id"])
    nested = submit(client, site, "Mình cũng thấy vậy.", parent_id=reply["id"])
    other = submit(client, site, "Một ý kiến khác về bài viết.")
    work()
    comments = _thread(client, site, order="oldest")["comments"]
    assert [c["id"] for c in comments] == [root["id"], other["id"]]
    assert [r["id"] for r in comments[0]["replies"]] == [reply["id"]]
    assert [r["id"] for r in comments[0]["replies"][0]["replies"]] == [nested["id"]]


def test_reply_to_a_comment_of_another_article_is_refused(client, site):
    root = submit(client, site, CLEAN)
    response = client.post(
        "/v1/comments",
        json={"article_id": "bai-2", "body": "x", "author_name": "A", "parent_id": root["id"]},
        headers=site.headers,
    )
    assert response.status_code == 422
    assert response.json["code"] == "invalid_parent"


def test_thread_pages_by_cursor(client, site, work):
    ids = [submit(client, site, f"Ý kiến số {n} về chuyện giao thông.")["id"] for n in range(5)]
    work()
    first = _thread(client, site, order="oldest", limit="2")
    second = _thread(client, site, order="oldest", limit="2", cursor=first["next_cursor"])
    third = _thread(client, site, order="oldest", limit="2", cursor=second["next_cursor"])
    pages = [first, second, third]
    assert [c["id"] for page in pages for c in page["comments"]] == ids
    assert third["next_cursor"] is None
    newest = _thread(client, site, limit="5")
    assert [c["id"] for c in newest["comments"]] == ids[::-1]


def test_etag_answers_304_until_the_thread_changes(client, site, work):
    submit(client, site, CLEAN)
    work()
    first = client.get("/v1/articles/bai-1/comments", headers=site.headers)
    etag = first.headers["ETag"]
    again = client.get(
        "/v1/articles/bai-1/comments", headers={**site.headers, "If-None-Match": etag}
    )
    assert again.status_code == 304
    submit(client, site, "Thêm một bình luận mới về bài này.")
    work()
    changed = client.get(
        "/v1/articles/bai-1/comments", headers={**site.headers, "If-None-Match": etag}
    )
    assert changed.status_code == 200
    assert len(changed.json["comments"]) == 2


def test_delete_keeps_a_tombstone_over_published_replies(client, site, work):
    root = submit(client, site, CLEAN)
    reply = submit(client, site, "Đồng ý với bạn.", parent_id=root["id"])
    work()
    deleted = client.delete(f"/v1/comments/{root['id']}", headers=site.headers)
    assert deleted.status_code == 200
    assert deleted.json["body"] is None and deleted.json["status"] == "deleted"
    thread = _thread(client, site)["comments"]
    assert thread[0]["id"] == root["id"] and thread[0]["body"] is None
    assert [r["id"] for r in thread[0]["replies"]] == [reply["id"]]


def test_enough_reports_send_a_published_comment_back_to_review(client, site, work, moderator):
    accepted = submit(client, site, CLEAN)
    work()
    for n in range(3):
        report = client.post(
            f"/v1/comments/{accepted['id']}/reports", json={"reason": "abuse"}, headers=site.headers
        )
        assert report.status_code == 201
        assert report.json["report_count"] == n + 1
    assert _status(client, site, accepted["id"]) == "held"
    assert _thread(client, site)["comments"] == []
    reported = client.get("/v1/moderation/queue?status=reported", auth=moderator).json["items"]
    assert [item["id"] for item in reported] == [accepted["id"]]


def test_a_deleted_comment_cannot_be_reported(client, site, work, moderator):
    accepted = submit(client, site, CLEAN)
    work()
    assert client.delete(f"/v1/comments/{accepted['id']}", headers=site.headers).status_code == 200
    url = f"/v1/comments/{accepted['id']}/reports"
    report = client.post(url, json={"reason": "spam"}, headers=site.headers)
    assert report.status_code == 409 and report.json["code"] == "conflict"
    history = client.get(f"/v1/moderation/comments/{accepted['id']}", auth=moderator).json
    assert not [entry for entry in history["audit"] if entry["action"] == "report"]
    assert history["comment"]["report_count"] == 0


def test_closed_article_refuses_comments(client, site):
    closed = client.put(
        "/v1/articles/bai-9", json={"closed": True, "title": "Tin"}, headers=site.headers
    )
    assert closed.status_code == 200 and closed.json["closed"] is True
    response = client.post(
        "/v1/comments",
        json={"article_id": "bai-9", "body": CLEAN, "author_name": "Lan"},
        headers=site.headers,
    )
    assert response.status_code == 409
    assert response.json["code"] == "article_closed"


def test_premoderated_article_holds_even_clean_comments(client, site, work):
    client.put("/v1/articles/bai-1", json={"premoderated": True}, headers=site.headers)
    accepted = submit(client, site, CLEAN)
    work()
    assert _status(client, site, accepted["id"]) == "held"
