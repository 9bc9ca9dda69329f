"""Moderators scoped to sites and sections (service/scopes.py) on every moderator path.

A scoped moderator sees and acts on the comments of their sites and sections only; every
other comment answers exactly as a missing one would, on the desk and on the API.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.models import AuditEntry, Comment, Moderator, utcnow
from service.store import moderator_accounts
from service.store.bans import add_ban, bans_for
from service.store.moderator_decisions import moderator_decide
from service.store.overview import period, waiting
from tests.integration.conftest import MOD_PASSWORD, SiteFixture, make_site, submit
from tests.integration.test_desk import act, decide, hold, login, token
from tests.integration.test_overview import _figure

SECTION = "the-thao"
MISSING = 999_999


def _db(app: Flask) -> Any:
    return app.extensions["duyet"].db


def basic(username: str) -> dict[str, str]:
    raw = base64.b64encode(f"{username}:{MOD_PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


@dataclass
class Newsroom:
    """Two sites; a moderator of one site's sports section ("thethao"); the desk signed in."""

    app: Flask
    desk: FlaskClient
    site: SiteFixture
    other: SiteFixture

    def held(self, where: str, body: str = "Vào trang này cá độ bóng đá.", **fields: Any) -> int:
        """A held comment: "in" scope, or out of it on the "site", "section" or "none" side."""
        site, article, section = {
            "in": (self.site, "bai-the-thao", SECTION),
            "site": (self.other, "bai-khac", SECTION),
            "section": (self.site, "bai-thoi-su", "thoi-su"),
            "none": (self.site, "bai-khong-muc", None),
        }[where]
        extra = {"article_section": section} if section else {}
        return hold(self.app, self.desk, site, body, article_id=article, **extra, **fields)

    def scope(self, sites: list[str], sections: list[str]) -> None:
        moderator_accounts.set_scope(_db(self.app), "thethao", sites, sections, "test")


@pytest.fixture
def room(app: Flask, client: FlaskClient) -> Newsroom:
    site, other = make_site(app, "baotinh"), make_site(app, "baokhac")
    moderator_accounts.create_moderator(_db(app), "thethao", MOD_PASSWORD)
    moderator_accounts.set_scope(_db(app), "thethao", ["baotinh"], [SECTION], "test")
    assert login(client, "thethao").status_code == 302
    return Newsroom(app, client, site, other)


OUT_OF_SCOPE = ("site", "section", "none")


# --- every route that takes a comment or a ban ------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    said: Any  # what the answer says, with the id it was asked about taken out


def _without(text: str, asked: int) -> str:
    """The text with the id asked about (in a path, a query or a JSON "id") taken out."""
    where = r"(?:(?<=/comments/)|(?<=comment=)|(?<=/bans/)|(?<='id': ))"
    return re.sub(rf"{where}{asked}(?!\d)", "ID", text)


def _page(response: Any, asked: int) -> Answer:
    return Answer(response.status_code, _without(response.get_data(as_text=True), asked))


def _json(response: Any, asked: int, pick: Callable[[dict[str, Any]], Any] = lambda d: d) -> Answer:
    return Answer(response.status_code, _without(repr(pick(response.get_json())), asked))


def _failed(data: dict[str, Any]) -> Any:
    return data["failed"]


def _ok_page(a: Answer) -> bool:
    return a.status == 200


# Each recipe: (prepare a comment id into what the route takes, call the route, succeeded?).
Prepare = Callable[[Newsroom, int], int]
Call = Callable[[Newsroom, int], Answer]


def _as_is(room: Newsroom, comment_id: int) -> int:
    return comment_id


def _decided_before_the_scope_narrowed(room: Newsroom, comment_id: int) -> int:
    moderator_decide(_db(room.app), comment_id, "approve", "thethao")
    return comment_id


def _banned_on_its_site(room: Newsroom, comment_id: int) -> int:
    with _db(room.app).transaction() as s:
        site_id = s.get(Comment, comment_id).site_id
    return add_ban(_db(room.app), site_id, "ip", "203.0.113.9", "moderator:quantri").ban.id


def _api(room: Newsroom) -> FlaskClient:
    return room.app.test_client()


RECIPES: dict[str, tuple[Prepare, Call, Callable[[Answer], bool]]] = {
    "desk.comment_page": (
        _as_is,
        lambda r, i: _page(r.desk.get(f"/mod/comments/{i}"), i),
        _ok_page,
    ),
    "desk.author_page": (
        _as_is,
        lambda r, i: _page(r.desk.get(f"/mod/authors?comment={i}&by=ip"), i),
        _ok_page,
    ),
    "desk.card": (
        _as_is,
        lambda r, i: _page(r.desk.get(f"/mod/api/comments/{i}/card"), i),
        _ok_page,
    ),
    "desk.decide": (
        _as_is,
        lambda r, i: _json(decide(r.desk, i, "approve"), i),
        lambda a: a.status == 200,
    ),
    "desk.bulk": (
        _as_is,
        lambda r, i: _json(
            act(r.desk, "/mod/api/bulk", {"action": "spam", "ids": [i]}), i, _failed
        ),
        lambda a: a.status == 200 and a.said == "[]",
    ),
    "desk.undo": (
        _decided_before_the_scope_narrowed,
        lambda r, i: _json(act(r.desk, "/mod/api/undo", {"ids": [i]}), i, _failed),
        lambda a: a.status == 200 and a.said == "[]",
    ),
    "desk.ban": (
        _as_is,
        lambda r, i: _json(act(r.desk, f"/mod/api/comments/{i}/ban", {"kind": "ip", "days": 1}), i),
        lambda a: a.status == 200,
    ),
    "desk.lift": (
        _banned_on_its_site,
        lambda r, i: _json(act(r.desk, f"/mod/api/bans/{i}/lift", {}), i),
        lambda a: a.status == 200,
    ),
    "desk.feature_comment": (
        _decided_before_the_scope_narrowed,
        lambda r, i: _page(
            r.desk.post(
                f"/mod/comments/{i}/feature", data={"csrf_token": token(r.desk), "featured": "1"}
            ),
            i,
        ),
        lambda a: a.status == 302,
    ),
    "moderation.FeatureView": (
        _decided_before_the_scope_narrowed,
        lambda r, i: _json(
            _api(r).post(f"/v1/moderation/comments/{i}/feature", headers=basic("thethao")), i
        ),
        lambda a: a.status == 200 and "'featured_by': 'moderator:thethao'" in a.said,
    ),
    "moderation.History": (
        _as_is,
        lambda r, i: _json(
            _api(r).get(f"/v1/moderation/comments/{i}", headers=basic("thethao")), i
        ),
        lambda a: a.status == 200,
    ),
    "moderation.DecisionView": (
        _as_is,
        lambda r, i: _json(
            _api(r).post(
                f"/v1/moderation/comments/{i}/decision",
                json={"action": "reject"},
                headers=basic("thethao"),
            ),
            i,
        ),
        lambda a: a.status == 200,
    ),
    "moderation.BulkDecisions": (
        _as_is,
        lambda r, i: _json(
            _api(r).post(
                "/v1/moderation/decisions",
                json={"action": "spam", "comments": [{"id": i}]},
                headers=basic("thethao"),
            ),
            i,
            _failed,
        ),
        lambda a: a.status == 200 and a.said == "[]",
    ),
    "moderation.BanView": (
        _as_is,
        lambda r, i: _json(
            _api(r).post(
                f"/v1/moderation/comments/{i}/ban", json={"kind": "ip"}, headers=basic("thethao")
            ),
            i,
        ),
        lambda a: a.status == 200,
    ),
    "moderation.BanLift": (
        _banned_on_its_site,
        lambda r, i: _json(_api(r).delete(f"/v1/moderation/bans/{i}", headers=basic("thethao")), i),
        lambda a: a.status == 200,
    ),
}
# Moderator routes that name no comment or ban; scoped by what they list (tests below) or
# admins' own (settings), or no moderator's data at all.
NO_COMMENT = {
    "desk.static",
    "desk.index",
    "desk.login",
    "desk.logout",
    "desk.prefs",
    "desk.queue",
    "desk.overview",
    "desk.bans",
    "desk.settings_index",
    "desk.site_settings",
    "desk.save_settings",
    "desk.create_key",
    "desk.revoke_key",
    "desk.retrain_model",
    "desk.rotate_webhook_secret",
    "desk.end_webhook_grace",
    "desk.moderators",
    "desk.create_moderator",
    "desk.moderator_account",
    "desk.save_moderator_scope",
    "desk.set_moderator_role",
    "desk.reset_moderator_password",
    "desk.unlock_moderator",
    "desk.remove_moderator",
    "moderation.Queue",
    "moderation.Bans",
}
ID_ARGUMENTS = {"comment_id", "ban_id"}
# A ban is per site: on a site in scope it is the moderator's, whatever the section.
OUT_OF_SCOPE_FOR = {"desk.lift": ("site",), "moderation.BanLift": ("site",)}


def test_every_moderator_route_with_a_comment_or_ban_is_classified(app):
    """A route added later must be given a recipe below (and so be tested) or be named here."""
    rules = list(app.url_map.iter_rules())
    moderators = {r.endpoint for r in rules if r.endpoint.split(".")[0] in ("desk", "moderation")}
    assert moderators - NO_COMMENT == set(RECIPES), "classify the new moderator route"
    # Any other route naming a comment or ban is the site's API (its key scopes it to a site).
    with_ids = {r.endpoint for r in rules if r.arguments & ID_ARGUMENTS}
    assert {e for e in with_ids - set(RECIPES) if not e.startswith("site.")} == set()


@pytest.mark.parametrize("endpoint", sorted(RECIPES))
def test_out_of_scope_answers_as_missing_and_in_scope_succeeds(room: Newsroom, endpoint):
    prepare, call, succeeded = RECIPES[endpoint]
    missing = call(room, MISSING)
    assert missing.status == 404 or "not_found" in str(missing.said), missing
    for where in OUT_OF_SCOPE_FOR.get(endpoint, OUT_OF_SCOPE):
        asked = prepare(room, room.held(where, ip="203.0.113.9"))
        assert call(room, asked) == missing, (endpoint, where)
    asked = prepare(room, room.held("in", ip="203.0.113.9"))
    answer = call(room, asked)
    assert succeeded(answer), (endpoint, answer)


def test_a_ban_is_only_on_a_site_in_scope(room: Newsroom):
    """A section-only moderator bans on any site; a site-scoped one only on theirs."""
    elsewhere = room.held("site", ip="203.0.113.7")
    refused = act(room.desk, f"/mod/api/comments/{elsewhere}/ban", {"kind": "ip", "days": 1})
    assert refused.status_code == 404
    assert bans_for(_db(room.app), room.other.id, [("ip", "203.0.113.7")]) == []
    room.scope([], [SECTION])
    banned = act(room.desk, f"/mod/api/comments/{elsewhere}/ban", {"kind": "ip", "days": 1})
    assert banned.status_code == 200 and banned.json["ban"] == "new"


def test_the_api_lists_only_the_bans_on_sites_in_scope(room: Newsroom):
    here = _banned_on_its_site(room, room.held("section", ip="203.0.113.9"))
    _banned_on_its_site(room, room.held("site", ip="203.0.113.9"))
    listed = _api(room).get("/v1/moderation/bans", headers=basic("thethao"))
    assert [b["id"] for b in listed.json["bans"]] == [here]  # a ban is per site: any section
    elsewhere = _api(room).get("/v1/moderation/bans?site=baokhac", headers=basic("thethao"))
    assert elsewhere.status_code == 200 and elsewhere.json["bans"] == []


# --- what the desk lists ----------------------------------------------------------------------


def _card_ids(page: str) -> set[int]:
    return {int(n) for n in re.findall(r'<article class="card" id="c-(\d+)"', page)}


def test_the_queue_its_counts_search_and_waiting_tab_hold_only_what_is_in_scope(room: Newsroom):
    inside = room.held("in", body="Giá xăng tăng, cá độ ở đây.", author_email="an@example.vn")
    outside = [
        room.held(w, body="Giá xăng giảm.", author_email="an@example.vn") for w in OUT_OF_SCOPE
    ]
    page = room.desk.get("/mod/queue").get_data(as_text=True)
    assert _card_ids(page) == {inside}
    assert re.search(r'data-count="held">1<', page)
    assert "Phạm vi của bạn: trang baotinh; chuyên mục the-thao" in page
    # The section filter offers the sections in scope only.
    assert re.findall(r'<select id="f-section".*?</select>', page, re.S)[0].count("<option") == 2
    assert 'value="the-thao"' in page and 'value="thoi-su"' not in page
    found = room.desk.get("/mod/queue", query_string={"q": "giá xăng"}).get_data(as_text=True)
    assert _card_ids(found) == {inside}
    for out in outside:
        by_id = room.desk.get(f"/mod/queue?q=%23{out}").get_data(as_text=True)
        assert f"Không có bình luận #{out}." in by_id
    by_email = room.desk.get("/mod/queue", query_string={"q": "an@example.vn"})
    assert by_email.headers["Location"] == f"/mod/authors?comment={inside}&by=email"
    # Counts after an action keep the scope too.
    done = decide(room.desk, inside, "approve", filters={"tab": "held"})
    assert done.json["counts"]["held"] == 0 and done.json["counts"]["approved"] == 1
    # The waiting tab: pending comments, not decided by the worker yet.
    mine = submit(room.desk, room.site, "Chờ.", article_id="bai-the-thao")["id"]
    submit(room.desk, room.site, "Chờ nữa.", article_id="bai-thoi-su")
    pending = room.desk.get("/mod/queue?tab=pending").get_data(as_text=True)
    assert _card_ids(pending) == {mine} and re.search(r'data-count="pending">1<', pending)
    room.desk.post("/mod/prefs", data={"csrf_token": token(room.desk), "lang": "en"})
    english = room.desk.get("/mod/queue").get_data(as_text=True)
    assert "Your scope: sites baotinh; sections the-thao" in english


def test_an_unscoped_moderator_filters_by_section_and_the_filter_lists_the_sites_sections(
    room: Newsroom,
):
    ids = {where: room.held(where) for where in ("in", "site", "section", "none")}
    room.scope([], [])  # back to everything
    page = room.desk.get("/mod/queue").get_data(as_text=True)
    assert _card_ids(page) == set(ids.values()) and "Phạm vi" not in page
    sports = room.desk.get("/mod/queue?section=the-thao").get_data(as_text=True)
    assert _card_ids(sports) == {ids["in"], ids["site"]}
    assert re.search(r'data-count="held">2<', sports)
    one_site = room.desk.get("/mod/queue?site=baotinh&section=the-thao").get_data(as_text=True)
    assert _card_ids(one_site) == {ids["in"]}
    options = re.findall(r'<select id="f-section".*?</select>', one_site, re.S)[0]
    assert re.findall(r'<option value="([^"]*)"', options) == ["", "the-thao", "thoi-su"]
    other = room.desk.get("/mod/queue?site=baokhac").get_data(as_text=True)
    options = re.findall(r'<select id="f-section".*?</select>', other, re.S)[0]
    assert re.findall(r'<option value="([^"]*)"', options) == ["", "the-thao"]
    with_article = room.desk.get("/mod/queue?section=the-thao&article=bai-khac")
    assert _card_ids(with_article.get_data(as_text=True)) == {ids["site"]}
    odd = room.desk.get("/mod/queue", query_string={"section": "x" * 500})  # ignored, no 500
    assert odd.status_code == 200 and _card_ids(odd.get_data(as_text=True)) == set(ids.values())


def test_the_author_page_and_cards_show_only_the_authors_comments_in_scope(room: Newsroom):
    inside = room.held("in", body="Cá độ một.", author_email="an@example.vn")
    hidden = room.held("section", body="Bí mật ở thời sự.", author_email="an@example.vn")
    page = room.desk.get(f"/mod/authors?comment={inside}&by=email").get_data(as_text=True)
    assert f"/mod/comments/{inside}" in page and f"/mod/comments/{hidden}" not in page
    assert "Bí mật ở thời sự" not in page
    queue = room.desk.get("/mod/queue").get_data(as_text=True)
    assert "Bí mật ở thời sự" not in queue
    room.scope([], [])
    assert "Bí mật ở thời sự" in room.desk.get(f"/mod/authors?comment={inside}&by=email").get_data(
        as_text=True
    )


def test_the_overview_counts_only_what_is_in_scope(room: Newsroom):
    room.held("in")
    for where in OUT_OF_SCOPE:
        room.held(where)
    db = _db(room.app)
    found = moderator_accounts.moderator_with_scope(db, _moderator_id(room))
    assert found is not None
    scope = found[1]
    day_ago = utcnow() - timedelta(days=1)
    assert period(db, None, day_ago).received == 4
    assert period(db, None, day_ago).decided("hold") == 4
    scoped = period(db, list(scope.site_ids or ()), day_ago, scope)
    assert scoped.received == 1 and scoped.decided("hold") == 1
    assert waiting(db, None, scope=scope).count == 1
    page = room.desk.get("/mod/overview").get_data(as_text=True)
    assert _figure(page, "received") == ["1", "1"]
    assert "1 bình luận đang chờ duyệt" in page
    # Only the sites in scope are offered.
    assert 'value="baotinh"' in page and 'value="baokhac"' not in page


def _moderator_id(room: Newsroom) -> int:
    return next(
        m.id for m in moderator_accounts.list_moderators(_db(room.app)) if m.username == "thethao"
    )


# --- the moderation API -----------------------------------------------------------------------


def test_the_api_queue_filters_by_section_and_keeps_to_the_scope(room: Newsroom, app, client):
    ids = {where: room.held(where) for where in ("in", "site", "section", "none")}
    api = app.test_client()
    scoped = api.get("/v1/moderation/queue", headers=basic("thethao")).json
    assert [item["id"] for item in scoped["items"]] == [ids["in"]]
    assert scoped["items"][0]["article"]["section"] == SECTION
    elsewhere = api.get("/v1/moderation/queue?site=baokhac", headers=basic("thethao")).json
    assert elsewhere["items"] == []
    moderator_accounts.create_moderator(_db(app), "tatca", MOD_PASSWORD)
    every = api.get("/v1/moderation/queue", headers=basic("tatca")).json
    assert {item["id"] for item in every["items"]} == set(ids.values())
    sports = api.get("/v1/moderation/queue?section=the-thao", headers=basic("tatca")).json
    assert {item["id"] for item in sports["items"]} == {ids["in"], ids["site"]}
    news = api.get("/v1/moderation/queue?section=%20thoi-su%20", headers=basic("tatca")).json
    assert [item["id"] for item in news["items"]] == [ids["section"]]
    blank = api.get("/v1/moderation/queue?section=%20", headers=basic("tatca")).json
    assert {item["id"] for item in blank["items"]} == set(ids.values())  # no filter
    bad = api.get(f"/v1/moderation/queue?section={'x' * 101}", headers=basic("tatca"))
    assert bad.status_code == 422 and bad.json["code"] == "validation_failed"
    assert "section" in str(bad.json["errors"])


def test_a_changed_scope_applies_on_the_next_request_and_is_audited(room: Newsroom, app):
    news = room.held("section")
    api = app.test_client()
    assert room.desk.get(f"/mod/comments/{news}").status_code == 404
    assert api.get(f"/v1/moderation/comments/{news}", headers=basic("thethao")).status_code == 404
    room.scope(["baotinh"], [SECTION, "thoi-su"])
    assert room.desk.get(f"/mod/comments/{news}").status_code == 200
    assert api.get(f"/v1/moderation/comments/{news}", headers=basic("thethao")).status_code == 200
    room.scope(["baokhac"], [])
    assert room.desk.get(f"/mod/comments/{news}").status_code == 404
    assert api.get(f"/v1/moderation/comments/{news}", headers=basic("thethao")).status_code == 404
    page = room.desk.get("/mod/queue").get_data(as_text=True)
    assert "trang baokhac; chuyên mục mọi chuyên mục" in page
    entries = accounts_audit(app)
    assert entries[-1]["after"] == {"sites": ["baokhac"], "sections": []}
    assert entries[-1]["before"] == {"sites": ["baotinh"], "sections": ["the-thao", "thoi-su"]}


def accounts_audit(app: Flask) -> list[dict[str, Any]]:
    with _db(app).transaction() as s:
        rows = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "moderator_scope").order_by(AuditEntry.id)
        )
        return [{**row.detail, "actor": row.actor} for row in rows]


def test_admins_see_everything_whatever_their_scope(room: Newsroom, app, client):
    moderator_accounts.create_moderator(_db(app), "quantri", MOD_PASSWORD, role="admin")
    moderator_accounts.set_scope(_db(app), "quantri", ["baokhac"], ["khong-co"], "test")
    inside = room.held("in")
    admin = app.test_client()
    assert login(admin, "quantri").status_code == 302
    assert admin.get(f"/mod/comments/{inside}").status_code == 200
    assert "Phạm vi" not in admin.get("/mod/queue").get_data(as_text=True)
    history = app.test_client().get(f"/v1/moderation/comments/{inside}", headers=basic("quantri"))
    assert history.status_code == 200


def test_a_scope_naming_a_site_that_is_gone_sees_nothing_of_other_sites(room: Newsroom, app):
    inside = room.held("in")
    room.scope(["baotinh"], [])
    with _db(app).transaction() as s:  # as a renamed site would leave it
        account = s.scalars(select(Moderator).where(Moderator.username == "thethao")).one()
        account.scope = {"sites": ["da-xoa"], "sections": []}
    assert room.desk.get(f"/mod/comments/{inside}").status_code == 404
    assert _card_ids(room.desk.get("/mod/queue").get_data(as_text=True)) == set()
