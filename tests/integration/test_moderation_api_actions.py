"""The moderators' API beyond one decision: bulk decisions, bans by a comment's author
detail, the bans in force and lifting one (the desk's own actions, over HTTP Basic)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.models import AuditEntry
from tests.integration.conftest import SiteFixture, make_site, submit
from tests.integration.test_desk import hold

SPAMMER = {"author_email": "khuyenmai@example.vn", "author_id": "u-77", "ip": "203.0.113.5"}


def _bulk(client: FlaskClient, moderator, action: str, comments: list, **extra):
    body = {"action": action, "comments": comments, **extra}
    return client.post("/v1/moderation/decisions", json=body, auth=moderator)


def _ban(client: FlaskClient, moderator, comment_id: int, **body):
    return client.post(f"/v1/moderation/comments/{comment_id}/ban", json=body, auth=moderator)


def _status(client: FlaskClient, site: SiteFixture, comment_id: int) -> str:
    return client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"]


def _audited(app: Flask, action: str) -> list[dict]:
    with app.extensions["duyet"].db.transaction() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
        return [{"actor": r.actor, **r.detail} for r in rows]


def test_bulk_decides_each_comment_on_its_own(app: Flask, client, site, moderator):
    first, second, stale = (hold(app, client, site) for _ in range(3))
    _bulk(client, moderator, "approve", [{"id": stale}])  # decided before the page reloads
    answer = _bulk(
        client,
        moderator,
        "reject",
        [{"id": first}, {"id": second, "expected_status": "held"}, {"id": first},
         {"id": stale, "expected_status": "held"}, {"id": 999_999}],
        reason="off_topic",
    )  # fmt: skip
    assert answer.status_code == 200, answer.json
    assert answer.json["done"] == [
        {"id": first, "status": "rejected"},
        {"id": second, "status": "rejected"},
    ]
    assert [(f["id"], f["code"]) for f in answer.json["failed"]] == [
        (stale, "conflict"),
        (999_999, "not_found"),
    ]
    assert _status(client, site, stale) == "approved"  # not overturned
    notice = client.get(f"/v1/comments/{first}", headers=site.headers).json["notice"]
    assert notice["code"] == "rejected_by_moderator" and notice["reason"] == "off_topic"


def test_bulk_refuses_a_bad_request_whole_before_deciding_any(app: Flask, client, site, moderator):
    held = hold(app, client, site)
    for comments in ([], [{"id": held}] * 101, [{"id": held}, {"id": 0}], [{"id": "1"}]):
        answer = _bulk(client, moderator, "spam", comments)
        assert answer.status_code == 422 and answer.json["code"] == "validation_failed"
    assert _bulk(client, moderator, "ban", [{"id": held}]).status_code == 422
    assert _status(client, site, held) == "held"
    assert client.post("/v1/moderation/decisions", json={}, headers=site.headers).status_code == 403


def test_a_ban_takes_the_detail_from_the_comment_and_can_reject_it_first(
    app: Flask, client, site, moderator
):
    held = hold(app, client, site, **SPAMMER)
    answer = _ban(client, moderator, held, kind="email", days=7, reject=True, note="quảng cáo")
    assert answer.status_code == 200, answer.json
    assert answer.json["done"] == "new" and answer.json["status"] == "rejected"
    ban = answer.json["ban"]
    assert (ban["kind"], ban["value"], ban["site_id"]) == (
        "email",
        SPAMMER["author_email"],
        site.id,
    )
    assert ban["created_by"] == "moderator:bientap" and ban["note"] == "quảng cáo"
    assert ban["expires_at"] is not None
    again = _ban(client, moderator, held, kind="email", days=0)  # for good: extends it
    assert again.json["done"] == "extended" and again.json["ban"]["expires_at"] is None
    assert again.json["ban"]["id"] == ban["id"] and again.json["status"] is None
    later = submit(client, site, "Một bình luận mới, lời lẽ tử tế.", **SPAMMER)
    assert later["status"] == "pending"  # the worker then keeps a banned author out
    assert [a["kind"] for a in _audited(app, "ban")] == ["email"]


def test_a_ban_refuses_what_it_cannot_do_and_bans_nothing(app: Flask, client, site, moderator):
    anonymous = hold(app, client, site)  # no email, author id or IP
    assert _ban(client, moderator, anonymous, kind="email").status_code == 400
    assert _ban(client, moderator, anonymous, kind="name").status_code == 422
    held = hold(app, client, site, **SPAMMER)
    assert _ban(client, moderator, held, kind="ip", days=3).status_code == 422
    assert _ban(client, moderator, 999_999, kind="ip").status_code == 404
    _bulk(client, moderator, "approve", [{"id": held}])
    stale = _ban(client, moderator, held, kind="ip", reject=True, expected_status="held")
    assert stale.status_code == 409 and stale.json["code"] == "conflict"
    assert _status(client, site, held) == "approved"
    assert client.get("/v1/moderation/bans", auth=moderator).json["bans"] == []


def test_bans_in_force_are_listed_newest_first_by_site_and_kind_and_paged(
    app: Flask, client, site, moderator
):
    other = make_site(app, "baokhac")
    here = hold(app, client, site, **SPAMMER)
    there = hold(app, client, other, **SPAMMER)
    ids = [_ban(client, moderator, here, kind=k).json["ban"]["id"] for k in ("email", "ip")]
    ids.append(_ban(client, moderator, there, kind="author", days=1).json["ban"]["id"])

    def listed(query: str = "") -> dict:
        answer = client.get(f"/v1/moderation/bans{query}", auth=moderator)
        assert answer.status_code == 200, answer.json
        return answer.json

    assert [b["id"] for b in listed()["bans"]] == ids[::-1]
    assert [b["id"] for b in listed(f"?site={site.slug}")["bans"]] == ids[1::-1]
    assert [b["kind"] for b in listed("?kind=author")["bans"]] == ["author"]
    first = listed("?limit=2")
    assert [b["id"] for b in first["bans"]] == ids[:0:-1] and first["next_cursor"]
    rest = listed(f"?limit=2&cursor={first['next_cursor']}")
    assert [b["id"] for b in rest["bans"]] == ids[:1] and rest["next_cursor"] is None
    for bad in ("?cursor=abc", "?cursor=0", "?kind=name", "?limit=0", "?site=khong-co"):
        answer = client.get(f"/v1/moderation/bans{bad}", auth=moderator)
        assert answer.status_code in (400, 404, 422) and answer.json["code"], bad


def test_lifting_a_ban_ends_it_now_keeps_it_on_record_and_is_audited(
    app: Flask, client, site, moderator
):
    held = hold(app, client, site, **SPAMMER)
    ban_id = _ban(client, moderator, held, kind="ip").json["ban"]["id"]
    lifted = client.delete(f"/v1/moderation/bans/{ban_id}", auth=moderator)
    assert lifted.status_code == 200 and lifted.json["expires_at"] is not None
    assert client.get("/v1/moderation/bans", auth=moderator).json["bans"] == []
    assert client.delete("/v1/moderation/bans/999999", auth=moderator).status_code == 404
    assert _audited(app, "unban") == [
        {"actor": "moderator:bientap", "kind": "ip", "ban_id": ban_id}
    ]
