"""An article's section, set by the site: PUT /v1/articles and every road of intake.

The section is set with the article, as its title and URL are: by PUT at any time, or by
the first comment that names the article (a later comment's section changes nothing).
Intake's roads: the fast road in front of Flask, the Flask view, the batch of the writer
thread (and its one-by-one fallback); the writer process has its test in
test_intake_writer.py.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client

from service.models import Article
from service.store.group_commit import submit_many
from service.store.new_comments import NewComment, submit_comment
from tests.integration.conftest import SiteFixture, flask_only

NFD_SPORTS = unicodedata.normalize("NFD", "Thể thao")


def _section(app: Flask, site: SiteFixture, external_id: str) -> str | None:
    with app.extensions["duyet"].db.transaction() as s:
        article = s.query(Article).filter_by(site_id=site.id, external_id=external_id).one()
        return article.section


def _put(client: Any, site: SiteFixture, article: str, **body: Any) -> Any:
    return client.put(f"/v1/articles/{article}", json=body, headers=site.headers)


def test_put_sets_trims_keeps_and_clears_an_articles_section(client, site, app):
    answer = _put(client, site, "bai-1", section="  the-thao ")
    assert answer.status_code == 200 and answer.json["section"] == "the-thao"
    assert _put(client, site, "bai-1", title="Tin mới").json["section"] == "the-thao"
    assert _put(client, site, "bai-1", section=NFD_SPORTS).json["section"] == "Thể thao"
    thread = client.get("/v1/articles/bai-1/comments", headers=site.headers).json
    assert thread["article"]["section"] == "Thể thao"
    cleared = _put(client, site, "bai-1", section=None)
    assert cleared.status_code == 200 and cleared.json["section"] is None
    assert _section(app, site, "bai-1") is None


@pytest.mark.parametrize("bad", ["x" * 101, "dòng\nmới", 5, ["a"], "a\x00b"])
def test_a_bad_section_is_a_422_naming_the_field(client, site, bad):
    answer = _put(client, site, "bai-1", section=bad)
    assert answer.status_code == 422 and answer.json["code"] == "validation_failed"
    assert "section" in answer.json["errors"]


def test_a_blank_section_is_none_so_a_cms_sending_empty_strings_loses_no_comment(client, site, app):
    accepted = client.post(
        "/v1/comments",
        json=_comment("bai-trong", "Chào.", article_section="  "),
        headers=site.headers,
    )
    assert accepted.status_code == 202 and _section(app, site, "bai-trong") is None
    assert _put(client, site, "bai-trong", section="kinh-te").json["section"] == "kinh-te"
    assert _put(client, site, "bai-trong", section="").json["section"] is None


def _comment(article: str, body: str, **fields: Any) -> dict[str, Any]:
    return {"article_id": article, "body": body, "author_name": "Lan", **fields}


def test_both_roads_set_a_new_articles_section_and_a_later_comment_changes_nothing(
    app: Flask, client, site: SiteFixture, flask_requests: list[str]
):
    flask_road: Client = flask_only(app)
    roads = {"fast": client, "flask": flask_road}
    for name, road in roads.items():
        article = f"bai-{name}"
        first = road.post(
            "/v1/comments",
            json=_comment(article, "Trận đấu hay.", article_section=f" {NFD_SPORTS} "),
            headers=site.headers,
        )
        assert first.status_code == 202, first.json
        assert _section(app, site, article) == "Thể thao"
        later = road.post(
            "/v1/comments",
            json=_comment(article, "Ý kiến sau.", article_section="thoi-su"),
            headers=site.headers,
        )
        assert later.status_code == 202
        assert _section(app, site, article) == "Thể thao"  # as title and URL: set once
    assert flask_requests == ["/v1/comments", "/v1/comments"]  # the fast road took its own
    without = client.post(
        "/v1/comments", json=_comment("bai-khong", "Không mục."), headers=site.headers
    )
    assert without.status_code == 202 and _section(app, site, "bai-khong") is None


@pytest.mark.parametrize("bad", ["x" * 101, "dòng\nmới", 7])
def test_a_bad_article_section_is_refused_on_both_roads_and_stores_nothing(
    app: Flask, client, site: SiteFixture, bad
):
    for road in (client, flask_only(app)):
        answer = road.post(
            "/v1/comments",
            json=_comment("bai-sai", "Thử.", article_section=bad),
            headers=site.headers,
        )
        assert answer.status_code == 422, answer.json
        assert "article_section" in answer.json["errors"]
    with app.extensions["duyet"].db.transaction() as s:
        assert s.query(Article).filter_by(external_id="bai-sai").first() is None


def test_the_batch_and_the_one_by_one_store_set_the_section(app: Flask, site: SiteFixture):
    db = app.extensions["duyet"].db
    batch = submit_many(
        db,
        [
            (site.id, NewComment("bai-lo", "Một.", "Lan", article_section="kinh-te"), None),
            (site.id, NewComment("bai-lo", "Hai.", "Minh", article_section="khac"), None),
            (site.id, NewComment("bai-don", "Ba.", "Lan", article_section="giai-tri"), "k-1"),
            (site.id, NewComment("bai-don", "Bốn.", "Lan"), "k-1"),  # a key reused: alone
        ],
    )
    assert [isinstance(outcome, Exception) for outcome in batch] == [False, False, False, True]
    assert _section(app, site, "bai-lo") == "kinh-te"
    assert _section(app, site, "bai-don") == "giai-tri"
    submit_comment(db, site.id, NewComment("bai-mot", "Năm.", "Lan", article_section="the-thao"))
    assert _section(app, site, "bai-mot") == "the-thao"
