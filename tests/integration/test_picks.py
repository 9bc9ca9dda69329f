"""Editors' picks (service/store/picks.py): a moderator features a published comment, readers
see the flag and the picks alone, and a comment that leaves the thread loses its pick."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.models import AuditEntry, Comment
from service.store import moderator_accounts, picks
from service.store.moderator_decisions import moderator_decide, undo_decision
from tests.integration.conftest import (
    MOD_PASSWORD,
    SiteFixture,
    flask_only,
    in_parallel,
    make_site,
    submit,
)
from tests.integration.test_desk import hold, login, token
from tests.integration.test_fast_read import _same_answer
from tests.integration.test_scopes import basic

THREAD = "/v1/articles/bai-1/comments"
MISSING = 999_999


def _db(app: Flask) -> Any:
    return app.extensions["duyet"].db


def _published(app: Flask, client: FlaskClient, site: SiteFixture, body: str, **fields: Any) -> int:
    """A comment the engine held and a moderator approved: published."""
    comment_id = hold(app, client, site, body, **fields)
    moderator_decide(_db(app), comment_id, "approve", "bientap")
    return comment_id


def _pick(client: FlaskClient, comment_id: int, method: str = "POST", who: str = "bientap"):
    path = f"/v1/moderation/comments/{comment_id}/feature"
    return client.open(path, method=method, headers=basic(who))


def _read(client: FlaskClient, site: SiteFixture, query: str = "", **headers: str) -> TestResponse:
    return client.get(THREAD + query, headers={**site.headers, **headers})


def _ids(answer: TestResponse) -> list[int]:
    return [c["id"] for c in answer.json["comments"]]


def _flags(answer: TestResponse) -> dict[int, bool]:
    """Each comment's `featured`, replies included."""
    found: dict[int, bool] = {}
    todo = list(answer.json["comments"])
    while todo:
        comment = todo.pop()
        found[comment["id"]] = comment["featured"]
        todo += comment["replies"]
    return found


def _audit(app: Flask, comment_id: int) -> list[tuple[str, str]]:
    with _db(app).transaction() as s:
        rows = s.query(AuditEntry).filter_by(comment_id=comment_id).order_by(AuditEntry.id)
        return [(row.action, row.actor) for row in rows]


def _featured_at(app: Flask, comment_id: int) -> Any:
    with _db(app).transaction() as s:
        comment = s.get(Comment, comment_id)
        assert comment is not None
        return comment.featured_at, comment.featured_by


@pytest.fixture
def room(app: Flask, moderator) -> Flask:
    """A second moderator, "khac", besides "bientap"."""
    moderator_accounts.create_moderator(_db(app), "khac", MOD_PASSWORD)
    return app


# --- the API and the thread ---------------------------------------------------------------


def test_a_pick_shows_on_the_thread_and_changes_its_etag_once(app, client, site, room):
    first = _published(app, client, site, "Bài viết rất hay, cảm ơn tác giả.")
    second = _published(app, client, site, "Tôi cũng đồng ý với ý kiến này.")
    before = _read(client, site)
    assert _flags(before) == {first: False, second: False}
    picked = _pick(client, first)
    assert picked.status_code == 200, picked.json
    assert picked.json["featured_by"] == "moderator:bientap" and picked.json["featured_at"]
    after = _read(client, site)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert _flags(after) == {first: True, second: False}
    assert _read(client, site, **{"If-None-Match": before.headers["ETag"]}).status_code == 200
    again = _pick(client, first, who="khac")  # picked already: it stays bientap's
    assert again.status_code == 200 and again.json["featured_at"] == picked.json["featured_at"]
    assert again.json["featured_by"] == "moderator:bientap"
    assert _read(client, site, **{"If-None-Match": after.headers["ETag"]}).status_code == 304
    dropped = _pick(client, first, "DELETE")
    assert dropped.status_code == 200 and dropped.json["featured_at"] is None
    assert dropped.json["featured_by"] is None
    last = _read(client, site)
    assert last.headers["ETag"] not in (before.headers["ETag"], after.headers["ETag"])
    assert _flags(last) == {first: False, second: False}
    assert _pick(client, first, "DELETE").status_code == 200  # none: nothing changes
    assert _read(client, site, **{"If-None-Match": last.headers["ETag"]}).status_code == 304
    picks_and_drops = [a for a in _audit(app, first) if a[0] in picks.PICK_ACTIONS]
    assert picks_and_drops == [("feature", "moderator:bientap"), ("unfeature", "moderator:bientap")]
    history = client.get(f"/v1/moderation/comments/{first}", headers=basic("bientap")).json
    assert [e["action"] for e in history["audit"]][-2:] == ["feature", "unfeature"]
    assert history["comment"]["featured_at"] is None


def test_featured_true_lists_the_picks_newest_pick_first_paged_like_the_rest(
    app, client, site, moderator, flask_requests
):
    roots = [_published(app, client, site, f"Ý kiến số {n} về bài báo.") for n in range(3)]
    reply = _published(app, client, site, "Trả lời ý kiến số 0.", parent_id=roots[0])
    for comment_id in (roots[1], reply, roots[0]):
        assert _pick(client, comment_id).status_code == 200
    flask_requests.clear()
    picked = _read(client, site, "?featured=true")
    assert _ids(picked) == [roots[0], reply, roots[1]]
    assert all(c["featured"] and c["replies"] == [] for c in picked.json["comments"])
    assert picked.json["comments"][1]["parent_id"] == roots[0]
    first = _read(client, site, "?featured=true&limit=2")
    assert _ids(first) == [roots[0], reply]
    rest = _read(client, site, f"?featured=true&limit=2&cursor={first.json['next_cursor']}")
    assert _ids(rest) == [roots[1]] and rest.json["next_cursor"] is None
    oldest = _read(client, site, "?featured=true&order=oldest")
    assert _ids(oldest) == [roots[1], reply, roots[0]]
    assert flask_requests == []  # the short road took every one of them
    # The whole thread still has everything, the picks flagged, replies in place.
    whole = _read(client, site, "?featured=false")
    assert whole.data == _read(client, site).data
    assert _flags(whole) == {roots[0]: True, reply: True, roots[1]: True, roots[2]: False}
    assert picked.headers["ETag"] != whole.headers["ETag"]
    assert _read(client, site, "?featured=1").data == picked.data  # the schema's spelling
    for query in ("?featured=true&limit=2", f"?featured=true&cursor={first.json['next_cursor']}"):
        slow = flask_only(app).get(THREAD + query, headers=site.headers)
        _same_answer(_read(client, site, query), slow)
    bad = _read(client, site, "?featured=maybe")
    assert bad.status_code == 422 and list(bad.json["errors"]) == ["featured"]


def test_only_a_published_comment_can_be_featured(app, client, site, moderator):
    held = hold(app, client, site, "Bình luận đang chờ duyệt.")
    rejected = _published(app, client, site, "Bình luận sẽ bị từ chối.")
    moderator_decide(_db(app), rejected, "reject", "bientap")
    pending = submit(client, site, "Bình luận máy chưa xét.")["id"]
    deleted = _published(app, client, site, "Bình luận tác giả xóa.")
    client.delete(f"/v1/comments/{deleted}", headers=site.headers)
    for comment_id, status in ((held, "held"), (rejected, "rejected"), (pending, "pending"),
                               (deleted, "deleted")):  # fmt: skip
        refused = _pick(client, comment_id)
        assert refused.status_code == 409, (status, refused.json)
        assert refused.json["code"] == "not_published" and refused.json["status"] == 409
        assert status in refused.json["message"] and refused.json["errors"]
        assert _featured_at(app, comment_id) == (None, None)
        assert not [a for a in _audit(app, comment_id) if a[0] in picks.PICK_ACTIONS]
    assert _pick(client, held, "DELETE").status_code == 200  # it has no pick to take away
    missing = _pick(client, MISSING)
    assert missing.status_code == 404 and missing.json["code"] == "not_found"
    as_site = client.post(f"/v1/moderation/comments/{held}/feature", headers=site.headers)
    assert as_site.status_code == 403  # a site key never acts as a moderator


# --- a pick leaves with its comment ---------------------------------------------------------


def _leave(app: Flask, client: FlaskClient, site: SiteFixture, comment_id: int, how: str) -> None:
    db = _db(app)
    if how in ("reject", "spam"):
        moderator_decide(db, comment_id, how, "khac")
    elif how == "undo":  # of bientap's approval, though khac featured it since
        undo_decision(db, comment_id, "bientap", timedelta(seconds=15))
    elif how == "edit":
        body = {"body": "Nội dung đã sửa lại."}
        assert (
            client.patch(f"/v1/comments/{comment_id}", json=body, headers=site.headers).status_code
            == 202
        )
    elif how == "delete":
        assert client.delete(f"/v1/comments/{comment_id}", headers=site.headers).status_code == 200
    else:  # enough readers' reports send it back to review
        for _ in range(3):
            report = {"reason": "abuse"}
            client.post(f"/v1/comments/{comment_id}/reports", json=report, headers=site.headers)


LEAVING = {
    "reject": "rejected",
    "spam": "spam",
    "undo": "held",
    "edit": "pending",
    "delete": "deleted",
    "reports": "held",
}


@pytest.mark.parametrize("how", sorted(LEAVING))
def test_a_comment_that_leaves_the_thread_loses_its_pick(app, client, site, room, how):
    comment_id = _published(app, client, site, "Một ý kiến đáng đọc.", author_id="u-1")
    assert _pick(client, comment_id, who="khac").status_code == 200
    before = _read(client, site, "?featured=true")
    assert _ids(before) == [comment_id]
    _leave(app, client, site, comment_id, how)
    history = client.get(f"/v1/moderation/comments/{comment_id}", headers=basic("bientap")).json
    assert history["comment"]["status"] == LEAVING[how]
    assert _featured_at(app, comment_id) == (None, None)
    after = _read(client, site, "?featured=true")
    assert after.json["comments"] == [] and after.headers["ETag"] != before.headers["ETag"]
    if how in ("reject", "spam", "undo", "reports"):  # published again: not picked again
        moderator_decide(_db(app), comment_id, "approve", "bientap")
        assert _flags(_read(client, site)) == {comment_id: False}
        assert _read(client, site, "?featured=true").json["comments"] == []


def test_a_pick_and_a_reject_at_the_same_moment_leave_no_pick_outside_the_thread(
    app, client, site, moderator
):
    db = _db(app)

    def race(comment_id: int, n: int) -> str:
        if n == 1:
            moderator_decide(db, comment_id, "reject", "bientap")
            return "rejected"
        try:
            picks.feature(db, comment_id, "bientap")
        except picks.NotPublished:
            return "refused"
        return "picked"

    for round_ in range(6):
        comment_id = _published(app, client, site, f"Ý kiến thứ {round_} đáng đọc.")
        assert "rejected" in in_parallel(lambda n, c=comment_id: race(c, n), 2)
        assert _featured_at(app, comment_id) == (None, None)
    assert _read(client, site, "?featured=true").json["comments"] == []


# --- the desk -----------------------------------------------------------------------------


def _desk_pick(client: FlaskClient, comment_id: int, featured: str, **form: str):
    data = {"csrf_token": token(client), "featured": featured, **form}
    return client.post(f"/mod/comments/{comment_id}/feature", data=data)


def test_the_desk_features_a_published_comment_from_its_card(app, client, site, moderator):
    assert login(client).status_code == 302
    comment_id = _published(app, client, site, "Một ý kiến đáng đọc.", ip="203.0.113.9")
    held = hold(app, client, site, "Một ý kiến còn chờ duyệt.")
    page = client.get("/mod/queue?tab=approved").get_data(as_text=True)
    form = f'action="/mod/comments/{comment_id}/feature"'
    assert form in page and "Chọn đăng nổi bật" in page and "featured-badge" not in page
    assert f'action="/mod/comments/{held}/feature"' not in client.get("/mod/queue").get_data(
        as_text=True
    )
    unsigned = client.post(f"/mod/comments/{comment_id}/feature", data={"featured": "1"})
    assert unsigned.status_code == 403 and _featured_at(app, comment_id) == (None, None)
    back = f"/mod/queue?tab=approved#c-{comment_id}"
    done = _desk_pick(client, comment_id, "1", next=back)
    assert done.status_code == 302 and done.headers["Location"] == back
    assert _featured_at(app, comment_id)[1] == "moderator:bientap"
    page = client.get("/mod/queue?tab=approved").get_data(as_text=True)
    assert 'class="featured-badge"' in page and ">Nổi bật<" in page and "Bỏ nổi bật" in page
    own = client.get(f"/mod/comments/{comment_id}").get_data(as_text=True)
    assert ">Nổi bật<" in own and "chọn đăng nổi bật" in own  # the badge and the audit log
    author = client.get(f"/mod/authors?comment={comment_id}&by=ip").get_data(as_text=True)
    assert ">Nổi bật<" in author and f"#e-{comment_id}" in author
    elsewhere = _desk_pick(client, comment_id, "0", next="https://evil.example/")
    assert elsewhere.headers["Location"] == "/mod/queue"  # only back into the desk
    assert _featured_at(app, comment_id) == (None, None)
    refused = _desk_pick(client, held, "1")
    assert refused.status_code == 409
    assert f"bình luận #{held} giờ ở trạng thái «Chờ duyệt»" in refused.get_data(as_text=True)
    client.post("/mod/prefs", data={"csrf_token": token(client), "lang": "en"})
    english = client.get("/mod/queue?tab=approved").get_data(as_text=True)
    assert ">Feature</button>" in english
    _desk_pick(client, comment_id, "1")
    english = client.get(f"/mod/comments/{comment_id}").get_data(as_text=True)
    assert ">Featured<" in english and ">Unfeature</button>" in english
    assert "featured (an editors&#39; pick)" in english


def test_a_moderator_picks_only_in_their_scope(app, client, site, room):
    comment_id = _published(app, client, site, "Một ý kiến đáng đọc.")
    assert _pick(client, comment_id).status_code == 200
    make_site(app, "baokhac")
    moderator_accounts.set_scope(_db(app), "khac", ["baokhac"], [], "test")
    for method in ("POST", "DELETE"):
        refused, missing = _pick(client, comment_id, method, "khac"), _pick(client, MISSING, method)
        assert refused.status_code == 404 and refused.json == missing.json
    assert _featured_at(app, comment_id)[1] == "moderator:bientap"  # still bientap's pick
