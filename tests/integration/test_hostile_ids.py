"""Ids from outside that no row can have, article ids with slashes, and weak ETags.

Ids are 64-bit in both databases: a larger one, or digits of another script ("١" is 1 to
int()), names nothing (404 in a URL, 400 in a body or cursor), never a 500 or another row.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.store import moderator_accounts
from tests.integration.conftest import SiteFixture, flask_only, make_site, submit
from tests.integration.test_desk import ADMIN_PASSWORD, act, hold, login, status_of

TOO_BIG = "99999999999999999999"  # 20 digits: past 2**63 - 1
ARABIC_ONE, ARABIC_TWO = "\u0661", "\u0662"  # Arabic-Indic digits: isdecimal(), int() reads them
NEWS_ID = "2024/11/mua-lu-mien-trung"  # as news sites name articles
PATH_ID = "/thoi-su/bai-81.html"  # a site that uses its URL path as the id


def _envelope(response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.json["status"] == status
    if code:
        assert response.json["code"] == code


def _desk_page(response, status: int) -> None:
    """The desk's answer to a bad request: its HTML error page, with the status."""
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/html"


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _quoted(article_id: str) -> str:
    return article_id.replace("/", "%2F")


@pytest.fixture
def published(client: FlaskClient, site: SiteFixture, work) -> list[dict]:
    """Two published comments on bai-1."""
    comments = [submit(client, site, f"Ý kiến số {n} về bài báo.") for n in range(2)]
    work()
    return comments


@pytest.fixture
def admin_desk(app: Flask, client: FlaskClient) -> FlaskClient:
    moderator_accounts.create_moderator(
        app.extensions["duyet"].db, "quantri", ADMIN_PASSWORD, role="admin"
    )
    assert login(client, "quantri", ADMIN_PASSWORD).status_code == 302
    return client


# --- numbers too large for the database ------------------------------------------------------


@pytest.mark.parametrize("site_filter", [TOO_BIG, "9223372036854775808", ARABIC_TWO])
def test_a_site_filter_no_row_can_have_is_a_404(client, site, moderator, site_filter):
    make_site(client.application, "baokhac")  # site 2, which "٢" must not name
    answer = client.get(f"/v1/moderation/queue?site={site_filter}", auth=moderator)
    _envelope(answer, 404, "not_found")
    assert client.get("/v1/moderation/queue?site=2", auth=moderator).status_code == 200


def test_coral_for_a_site_no_row_can_have_answers_as_for_an_unknown_one(client):
    for site in (TOO_BIG, "khong-co", ARABIC_ONE, "a%00b"):
        _envelope(client.post(f"/v1/integrations/coral/{site}", json={}), 401, "unauthorized")


@pytest.mark.parametrize("comment_id", [TOO_BIG, "0", ARABIC_ONE])
def test_a_crafted_thread_cursor_is_a_bad_cursor_on_both_roads(app, site, published, comment_id):
    cursor = _cursor(f"2026-11-27T21:34:29+00:00|{comment_id}")
    path = f"/v1/articles/bai-1/comments?cursor={cursor}"
    for client in (app.test_client(), flask_only(app)):
        _envelope(client.get(path, headers=site.headers), 400, "bad_cursor")


def test_a_crafted_queue_cursor_is_a_bad_cursor(client, moderator):
    for comment_id in (TOO_BIG, ARABIC_ONE):
        cursor = _cursor(f"2026-11-27T21:34:29+00:00|{comment_id}")
        answer = client.get(f"/v1/moderation/queue?cursor={cursor}", auth=moderator)
        _envelope(answer, 400, "bad_cursor")


def test_non_ascii_digits_name_no_comment(client, site, moderator, published):
    assert client.get("/v1/comments/1", headers=site.headers).status_code == 200
    _envelope(client.get(f"/v1/comments/{ARABIC_ONE}", headers=site.headers), 404, "not_found")
    answer = client.get(f"/v1/moderation/comments/{ARABIC_ONE}", auth=moderator)
    _envelope(answer, 404, "not_found")


def test_the_openapi_document_says_what_an_id_is(client):
    paths = client.get("/v1/openapi.json").json["paths"]
    (parameter,) = paths["/v1/comments/{comment_id}"]["parameters"]
    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


# --- the desk ----------------------------------------------------------------------------------


def test_desk_pages_for_ids_no_row_can_have_are_its_404_page(admin_desk, site, app):
    comment_id = hold(app, admin_desk, site, author_email="lan@example.vn")
    for path in (
        f"/mod/queue?site={TOO_BIG}",
        f"/mod/queue?site={ARABIC_ONE}",
        f"/mod/overview?site={TOO_BIG}",
        f"/mod/settings/{TOO_BIG}",
        f"/mod/settings/{ARABIC_ONE}",
        f"/mod/authors?comment={TOO_BIG}",
        f"/mod/authors?comment={ARABIC_ONE}",
    ):
        _desk_page(admin_desk.get(path), 404)
    for path in (f"/mod/comments/{TOO_BIG}", f"/mod/comments/{ARABIC_ONE}", "/mod/no-such"):
        _desk_page(admin_desk.get(path), 404)  # no route takes them: still the desk's page
    _envelope(admin_desk.get("/mod/api/no-such"), 404, "not_found")
    _envelope(admin_desk.get("/v1/no-such"), 404, "not_found")
    assert admin_desk.get(f"/mod/settings/{site.id}").status_code == 200  # ids still work
    assert admin_desk.get(f"/mod/authors?comment={comment_id}").status_code == 200


def test_a_crafted_desk_cursor_is_a_400_page(admin_desk):
    moment = datetime.now(UTC).isoformat()
    for order, values in (
        ("oldest", [moment, 2**64]),
        ("newest", [moment, True]),
        ("riskiest", [10**400, moment, 1]),
        ("riskiest", [0.5, moment, 2**63]),
    ):
        cursor = _cursor(json.dumps(values))
        _desk_page(admin_desk.get(f"/mod/queue?order={order}&cursor={cursor}"), 400)


def test_bulk_with_one_impossible_id_applies_none(admin_desk, site, app):
    first, second = hold(app, admin_desk, site), hold(app, admin_desk, site)
    answer = act(admin_desk, "/mod/api/bulk", {"action": "approve", "ids": [first, 2**63, second]})
    _envelope(answer, 400, "bad_request")
    assert status_of(admin_desk, site, first) == status_of(admin_desk, site, second) == "held"


def test_undo_of_an_impossible_id_is_a_400(admin_desk):
    _envelope(act(admin_desk, "/mod/api/undo", {"ids": [2**64]}), 400, "bad_request")


# --- article ids with slashes, and path ids that break intake's rules -------------------------


@pytest.mark.parametrize("article_id", [NEWS_ID, PATH_ID])
def test_an_article_id_with_slashes_works_on_every_article_route(
    app, site, work, flask_requests, article_id
):
    client = app.test_client()
    accepted = submit(client, site, "Mong bà con sớm ổn định.", article_id=article_id)
    work()
    thread = f"/v1/articles/{_quoted(article_id)}/comments"
    fast = client.get(thread, headers=site.headers)
    assert not [p for p in flask_requests if p.startswith("/v1/articles")]  # the short road's
    for read in (fast, flask_only(app).get(thread, headers=site.headers)):
        assert read.status_code == 200, read.json
        assert read.json["article"]["id"] == article_id
        assert [c["id"] for c in read.json["comments"]] == [accepted["id"]]
    put = client.put(
        f"/v1/articles/{_quoted(article_id)}", json={"closed": True}, headers=site.headers
    )
    assert put.status_code == 200 and put.json["id"] == article_id
    unquoted = client.get(f"/v1/articles/{article_id}/comments", headers=site.headers)
    assert unquoted.json["article"]["closed"] is True


def test_an_article_named_like_the_suffix_is_its_own_article(client, site):
    client.put("/v1/articles/x%2Fcomments", json={"title": "X/comments"}, headers=site.headers)
    read = client.get("/v1/articles/x/comments/comments", headers=site.headers)
    assert read.json["article"]["id"] == "x/comments"
    _envelope(client.get("/v1/articles/x/comments", headers=site.headers), 404, "not_found")


@pytest.mark.parametrize(
    "quoted, status",
    [("x%00y", 422), ("a" * 201, 422), ("x%ED%A0%80y", 400), ("x%FFy", 400)],
)
def test_a_path_article_id_obeys_the_body_rules(app, site, quoted, status):
    client = app.test_client()
    put = client.put(f"/v1/articles/{quoted}", json={"title": "T"}, headers=site.headers)
    _envelope(put, status)
    if status == 422:
        assert "article_id" in put.json["errors"]
    for road in (client, flask_only(app)):
        _envelope(road.get(f"/v1/articles/{quoted}/comments", headers=site.headers), status)


def test_a_path_with_broken_utf8_is_a_400_as_gunicorn_passes_it(client, site):
    # gunicorn's PATH_INFO is the path's bytes as latin-1; the request line here is valid.
    for method, suffix in (("put", ""), ("get", "/comments")):
        environ = {"PATH_INFO": f"/v1/articles/x\xed\xa0\x80y{suffix}"}
        answer = getattr(client, method)(
            f"/v1/articles/x{suffix}", json={}, headers=site.headers, environ_overrides=environ
        )
        _envelope(answer, 400, "bad_request")


# --- If-None-Match: weak comparison, lists and * -------------------------------------------


def test_if_none_match_compares_weakly_on_both_roads(app, site, published):
    path = "/v1/articles/bai-1/comments"
    etag = app.test_client().get(path, headers=site.headers).headers["ETag"]
    for given in (f"W/{etag}", f'"other", W/{etag}', f'W/"other", {etag}', "*"):
        for road in (app.test_client(), flask_only(app)):
            answer = road.get(path, headers={**site.headers, "If-None-Match": given})
            assert answer.status_code == 304, given
            assert answer.headers["ETag"] == etag and not answer.data
    for road in (app.test_client(), flask_only(app)):
        answer = road.get(path, headers={**site.headers, "If-None-Match": 'W/"other"'})
        assert answer.status_code == 200
