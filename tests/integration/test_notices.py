"""What the site can tell a comment's author: the notice on intake, on reading a comment
and in webhooks, from the real engine's and moderators' decisions."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from service.store import accounts
from tests.integration.conftest import Listener, SiteFixture, submit
from tests.integration.test_desk import act, login
from tests.integration.test_webhook_safety import _env, _hook_to

CLEAN = "Cảm ơn báo đã đưa tin kịp thời về tình hình mưa lũ ở huyện mình."
FOUR_LINKS = (
    "Xem thêm tại http://a.example.vn/1 và http://b.example.vn/2, "
    "http://c.example.vn/3 cùng http://d.example.vn/4"
)
BETTING = "Nhà cái uy tín số 1, cá cược bóng đá nạp 100k tặng 200k, gọi ngay 0912 345 678"


def _notice(client: FlaskClient, site: SiteFixture, comment_id: int) -> dict:
    answer = client.get(f"/v1/comments/{comment_id}", headers=site.headers)
    assert answer.status_code == 200, answer.json
    return answer.json["notice"]


def _decided(client: FlaskClient, site: SiteFixture, work: Callable[[], None], body: str) -> int:
    accepted = submit(client, site, body)
    work()
    return int(accepted["id"])


def test_intake_says_checking_then_the_engine_publishes(client, site, work):
    accepted = submit(client, site, CLEAN)
    assert accepted["notice"]["code"] == "checking"
    assert accepted["notice"]["message"]["vi"].startswith("Bình luận của bạn đang được kiểm tra")
    work()
    published = _notice(client, site, accepted["id"])
    assert published == {
        "code": "published",
        "reason": None,
        "words": [],
        "message": {
            "vi": "Bình luận của bạn đã được đăng.",
            "en": "Your comment is published.",
        },
    }


def test_a_held_comment_is_awaiting_review_with_no_reason_given(client, site, work):
    notice = _notice(client, site, _decided(client, site, work, FOUR_LINKS))
    assert notice["code"] == "awaiting_review" and notice["words"] == []


def test_a_banned_word_names_the_authors_own_spelling_of_it(app: Flask, client, site, work):
    accounts.update_site(app.extensions["duyet"].db, site.id, config={"banned_words": ["đồ ngu"]})
    body = "Ông bộ trưởng đúng là đ.ồ n.g.u, phát biểu vậy mà cũng nói được"
    comment_id = _decided(client, site, work, body)
    assert client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"] == (
        "rejected"
    )
    notice = _notice(client, site, comment_id)
    assert notice["code"] == "banned_words"
    assert notice["words"] == ["đ.ồ n.g.u"]
    assert "sửa và gửi lại" in notice["message"]["vi"]


def test_spam_reads_only_not_published(client, site, work):
    comment_id = _decided(client, site, work, BETTING)
    assert client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"] in (
        "spam",
        "rejected",
    )
    notice = _notice(client, site, comment_id)
    # Nothing that tells a spammer which rule caught the text.
    assert notice["code"] == "not_published" and notice["words"] == []
    assert "0912" not in str(notice) and "link" not in notice["message"]["en"]


def test_a_moderators_reason_to_reject_reaches_the_author(client, site, work, moderator):
    comment_id = _decided(client, site, work, FOUR_LINKS)
    decision = client.post(
        f"/v1/moderation/comments/{comment_id}/decision",
        json={"action": "reject", "reason": "off_topic", "note": "lạc đề, đã nhắc hai lần"},
        auth=moderator,
    )
    assert decision.status_code == 200, decision.json
    notice = _notice(client, site, comment_id)
    assert notice["code"] == "rejected_by_moderator" and notice["reason"] == "off_topic"
    assert notice["message"] == {
        "vi": "Ban biên tập không đăng bình luận này: không liên quan đến bài viết.",
        "en": "A moderator did not publish this comment: it is off topic.",
    }
    assert "nhắc" not in str(notice)  # the moderator's own note stays on the desk


def test_a_reject_over_the_api_without_a_reason_is_for_the_rules(client, site, work, moderator):
    comment_id = _decided(client, site, work, FOUR_LINKS)
    url = f"/v1/moderation/comments/{comment_id}/decision"
    unknown = client.post(url, json={"action": "reject", "reason": "rude"}, auth=moderator)
    assert unknown.status_code == 422 and "reason" in unknown.json["errors"], unknown.json
    assert client.post(url, json={"action": "reject"}, auth=moderator).status_code == 200
    assert _notice(client, site, comment_id)["reason"] == "rules"


def test_a_moderators_spam_mark_reads_not_published(client, site, work, moderator):
    comment_id = _decided(client, site, work, FOUR_LINKS)
    url = f"/v1/moderation/comments/{comment_id}/decision"
    assert client.post(url, json={"action": "spam"}, auth=moderator).status_code == 200
    assert _notice(client, site, comment_id)["code"] == "not_published"


def test_the_desks_reject_reason_and_ban_reach_the_author(client, site, work, moderator):
    first = _decided(client, site, work, FOUR_LINKS)
    assert login(client).status_code == 302
    rejected = act(
        client, f"/mod/api/comments/{first}/decision", {"action": "reject", "reason": "advertising"}
    )
    assert rejected.status_code == 200, rejected.json
    assert _notice(client, site, first)["reason"] == "advertising"
    held = submit(client, site, FOUR_LINKS + " ", author_email="rao.vat@example.vn")
    work()
    ban = {"kind": "email", "days": 7, "reject": True}
    assert act(client, f"/mod/api/comments/{held['id']}/ban", ban).status_code == 200
    following = submit(client, site, CLEAN, author_email="rao.vat@example.vn")
    work()
    assert _notice(client, site, following["id"])["code"] == "author_banned"


def test_a_deleted_comment_says_so(client, site, work):
    comment_id = _decided(client, site, work, CLEAN)
    deleted = client.delete(f"/v1/comments/{comment_id}", headers=site.headers)
    assert deleted.status_code == 200 and deleted.json["notice"]["code"] == "deleted"


def test_an_idempotent_retry_after_the_decision_answers_the_decisions_notice(client, site, work):
    key = {"Idempotency-Key": "gui-lai-1"}
    first = client.post(
        "/v1/comments",
        json={"article_id": "bai-1", "body": FOUR_LINKS, "author_name": "Lan"},
        headers={**site.headers, **key},
    )
    work()
    again = client.post(
        "/v1/comments",
        json={"article_id": "bai-1", "body": FOUR_LINKS, "author_name": "Lan"},
        headers={**site.headers, **key},
    )
    assert again.json["id"] == first.json["id"]
    assert again.json["notice"]["code"] == "awaiting_review"


def test_the_rejected_webhook_carries_the_notice(
    app: Flask,
    client,
    site,
    work,
    moderator,
    listener: Listener,
    monkeypatch,
):
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    _hook_to(app, site, listener)
    comment_id = _decided(client, site, work, CLEAN)
    url = f"/v1/moderation/comments/{comment_id}/decision"
    reject = {"action": "reject", "reason": "misinformation"}
    assert client.post(url, json=reject, auth=moderator).status_code == 200
    work()
    notices = {b["event"]: b["comment"]["notice"] for b in listener.bodies}
    assert notices["comment.published"]["code"] == "published"
    assert notices["comment.rejected"]["code"] == "rejected_by_moderator"
    assert notices["comment.rejected"]["message"]["en"].endswith("spreads false information.")
