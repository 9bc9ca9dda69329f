"""Erasure at the author's request (DELETE /v1/comments/<id>) leaves nothing of theirs.

The tombstone keeps the comment's place in its thread; its text and every field that says
who wrote it go, and so does every other stored copy of the text: the moderators' training
label (a retrain would learn it again) and the engine's reasons, which quote what matched.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import select

from service.models import Comment, Decision, TrainingExample
from service.store import Database, migrate
from tests.integration.conftest import submit
from tests.integration.test_migrations import empty_database_url  # noqa: F401 (a fixture)

PHONE = "0912 345 678"
HOST = "hoashop.vn"  # the engine's reasons name a disguised domain
BODY = f"Liên hệ Zalo {PHONE} để nhận quà, hoặc ghé hoashop chấm vn nhé"
AUTHOR = {
    "author_name": "Nguyễn Thị Hoa",
    "author_email": "hoa.nguyen@example.vn",
    "author_id": "reader-8841",
    "ip": "198.51.100.77",
    "user_agent": "Mozilla/5.0 (Hoa's phone)",
}
# What must not survive the erasure anywhere the moderators' API shows.
PERSONAL = [PHONE, HOST, "Hoa", "hoa.nguyen", "reader-8841", "198.51.100.77", "Mozilla"]


def _erase(client: Any, site: Any, comment_id: int) -> None:
    deleted = client.delete(f"/v1/comments/{comment_id}", headers=site.headers)
    assert deleted.status_code == 200
    assert deleted.json["status"] == "deleted"


def test_erasure_removes_the_text_and_the_author_everywhere(
    app, client, site, moderator, work
) -> None:
    comment_id = int(submit(client, site, BODY, **AUTHOR)["id"])
    work()
    before = client.get(f"/v1/moderation/comments/{comment_id}", auth=moderator).json
    assert any(PHONE in r["message"] or HOST in r["message"] for r in _reasons(before))
    decided = client.post(
        f"/v1/moderation/comments/{comment_id}/decision", json={"action": "approve"}, auth=moderator
    )
    assert decided.status_code == 200
    _erase(client, site, comment_id)
    history = client.get(f"/v1/moderation/comments/{comment_id}", auth=moderator).json
    shown = history["comment"]
    assert shown["status"] == "deleted" and not shown["body"] and not shown["author_name"]
    assert shown["author_email"] is None and shown["author_id"] is None and shown["ip"] is None
    left = json.dumps(history, ensure_ascii=False)
    assert [word for word in PERSONAL if word in left] == []
    assert {r["code"] for r in _reasons(history)} == {r["code"] for r in _reasons(before)}
    assert _training_texts(app) == []


def test_an_erased_comment_stays_in_its_thread_over_its_replies(client, site, work) -> None:
    root = submit(client, site, "Cảm ơn báo đã đưa tin kịp thời.", **AUTHOR)
    reply = submit(client, site, "Đồng ý với bạn.", parent_id=root["id"])
    work()
    _erase(client, site, root["id"])
    thread = client.get("/v1/articles/bai-1/comments", headers=site.headers).json["comments"]
    assert [(c["id"], c["body"], c["author_name"]) for c in thread] == [(root["id"], None, "")]
    assert [r["id"] for r in thread[0]["replies"]] == [reply["id"]]


def _reasons(history: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for d in history["decisions"] for r in d["reasons"]]


def _training_texts(app: Flask) -> list[str]:
    with app.extensions["duyet"].db.transaction() as s:
        return list(s.scalars(select(TrainingExample.text)))


# Comments erased before 0010 kept their author and their training label: 0010 finishes them.
OLD_ROWS = [
    "INSERT INTO sites (id, slug, name, config, created_at) VALUES (1, 'b', 'B', '{}', :now)",
    "INSERT INTO articles (id, site_id, external_id, title, url, closed, premoderated,"
    " thread_version, created_at) VALUES (1, 1, 'a', 'A', '', false, false, 0, :now)",
    "INSERT INTO comments (id, site_id, article_id, author_name, author_id, body, status,"
    " report_count, created_at, updated_at, risk) VALUES"
    " (1, 1, 1, 'Hoa', 'reader-8841', '', 'deleted', 0, :now, :now, 0),"
    " (2, 1, 1, 'Lan', 'reader-1', 'Còn nguyên', 'approved', 0, :now, :now, 0)",
    "INSERT INTO decisions (comment_id, verdict, scores, reasons, engine_version, decided_by,"
    " note, created_at) VALUES (1, 'hold', '{}', :reasons, 'v', 'system', '', :now),"
    " (2, 'hold', '{}', :reasons, 'v', 'system', '', :now)",
    "INSERT INTO training_examples (site_id, comment_id, text, label, source, created_at)"
    " VALUES (1, 1, 'Lời của Hoa', 'ham', 'moderator:an', :now),"
    " (1, 2, 'Còn nguyên', 'ham', 'moderator:an', :now)",
]
OLD_REASON = {
    "code": "contact_phone",
    "message": f"Số điện thoại: {PHONE}",
    "verdict": "hold",
    "spans": [[0, 12]],
    "detail": {"en": f"Phone number: {PHONE}"},
}


def test_0010_finishes_the_erasures_made_before_it(empty_database_url: str) -> None:  # noqa: F811
    migrate.upgrade(empty_database_url, "0009")
    db = Database(empty_database_url)
    with db.transaction() as s:
        for statement in OLD_ROWS:
            params = {"now": datetime.now(UTC), "reasons": json.dumps([OLD_REASON])}
            s.execute(sa.text(statement), params)
    migrate.upgrade(empty_database_url)
    with db.transaction() as s:
        people = s.execute(select(Comment.id, Comment.author_name, Comment.author_id)).all()
        texts = list(s.scalars(select(TrainingExample.text)))
        reasons = {i: r for i, r in s.execute(select(Decision.comment_id, Decision.reasons))}
    db.dispose()
    assert sorted(tuple(p) for p in people) == [(1, "", None), (2, "Lan", "reader-1")]
    assert texts == ["Còn nguyên"]
    assert reasons[1] == [
        {"code": "contact_phone", "verdict": "hold", "message": "", "spans": [], "detail": {}}
    ]
    assert reasons[2] == [OLD_REASON]
