"""Intake's short road (service/api/hot_path.py) answers exactly as the schemas would."""

from __future__ import annotations

import pytest
from flask import Flask

from service.api.site import comment_status
from service.models import Comment
from service.schemas import CommentStatusOut
from tests.integration.conftest import SiteFixture, submit


def test_the_intake_answer_is_what_the_schema_renders(app: Flask, site: SiteFixture, client):
    answer = submit(client, site, "Cảm ơn tòa soạn, bài viết rất hay.", author_id="u-7")
    db = app.extensions["duyet"].db
    with db.transaction() as s:
        stored = s.get(Comment, answer["id"])
    expected = CommentStatusOut().dump(comment_status(db, stored, "bai-1"))
    assert answer == expected
    assert answer["created_at"].endswith("+00:00")  # ISO 8601, not an HTTP date


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"article_id": "bai-1", "body": "Chào", "author_name": "Lan", "extra": 1}, "extra"),
        ({"article_id": "bai-1", "body": 5, "author_name": "Lan"}, "body"),
        ({"article_id": "bai-1", "author_name": "Lan"}, "body"),
        ({"article_id": "bai-1", "body": "x", "author_name": "Lan", "ip": "999.1.1.1"}, "ip"),
    ],
)
def test_a_body_the_schema_refuses_gets_the_parsers_422(client, site, body, field):
    response = client.post("/v1/comments", json=body, headers=site.headers)
    assert response.status_code == 422
    assert response.json["code"] == "validation_failed"
    assert field in response.json["errors"]


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"text"', b"{not json", b""])
def test_a_body_that_is_no_object_gets_a_4xx_envelope(client, site, raw):
    headers = {**site.headers, "Content-Type": "application/json"}
    response = client.post("/v1/comments", data=raw, headers=headers)
    assert 400 <= response.status_code < 500
    assert {"code", "status", "message"} <= set(response.json)
