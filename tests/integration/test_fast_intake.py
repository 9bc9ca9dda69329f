"""Intake's fast road (service/api/fast_intake.py) answers exactly as the Flask view does.

Each test sends the same request down both roads: through the app as gunicorn serves it
(the fast road takes what it can) and straight into Flask (conftest's flask_only).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client, TestResponse

from service.settings import Settings
from tests.integration.conftest import SiteFixture, flask_only, in_parallel, same_wait
from workers.wsgi import create

VARYING = {"Date", "X-Request-Id", "Content-Length"}


@pytest.fixture
def flask_road(app: Flask) -> Client:
    return flask_only(app)


def _post(client: Any, site: SiteFixture, payload: dict[str, Any], **headers: str) -> TestResponse:
    headers = {**site.headers, **headers}
    return client.post("/v1/comments", json=payload, headers=headers)  # type: ignore[no-any-return]


def _comment(body: str, **fields: Any) -> dict[str, Any]:
    return {"article_id": "bai-1", "body": body, "author_name": "Lan", **fields}


def _same_answer(fast: TestResponse, slow: TestResponse, ignore: set[str] = frozenset()) -> None:
    assert fast.status == slow.status
    assert {k: v for k, v in fast.headers.items() if k not in VARYING} == {
        k: v for k, v in slow.headers.items() if k not in VARYING
    }
    fast_body = {k: v for k, v in fast.json.items() if k not in ignore}
    assert fast_body == {k: v for k, v in slow.json.items() if k not in ignore}


def test_a_valid_comment_takes_the_fast_road_and_answers_as_flask_does(
    app: Flask, client, flask_road: Client, site: SiteFixture, flask_requests: list[str]
):
    payload = _comment("Bài viết hay, cảm ơn tòa soạn.", author_id="u-1", ip="10.0.0.1")
    fast = _post(client, site, payload, **{"X-Request-Id": "req-fast-1"})
    assert flask_requests == []  # Flask never saw it
    slow = _post(flask_road, site, payload)
    assert flask_requests == ["/v1/comments"]

    assert fast.status_code == 202
    assert fast.headers["X-Request-Id"] == "req-fast-1"
    assert fast.json["id"] != slow.json["id"]
    _same_answer(fast, slow, ignore={"id", "created_at"})
    assert fast.json["created_at"].endswith("+00:00")


def test_what_the_fast_road_cannot_take_goes_to_flask(
    client, site: SiteFixture, flask_requests: list[str]
):
    bad_key = {"Authorization": "Bearer not-a-key"}
    answers = [
        client.post("/v1/comments", json=_comment("Thiếu khóa.")),
        client.post("/v1/comments", json=_comment("Khóa sai."), headers=bad_key),
        _post(client, site, {"article_id": "bai-1", "body": 5, "author_name": "Lan"}),
        _post(client, site, _comment("Khóa quá dài."), **{"Idempotency-Key": "k" * 201}),
        client.post("/v1/comments", data="body=x", headers=site.headers),
    ]
    assert [a.status_code for a in answers] == [401, 401, 422, 400, 422]
    assert flask_requests == ["/v1/comments"] * len(answers)


def test_an_error_after_acceptance_wears_the_same_envelope(
    app: Flask, client, flask_road: Client, site: SiteFixture, flask_requests: list[str]
):
    closed = client.put("/v1/articles/da-dong", json={"closed": True}, headers=site.headers)
    assert closed.status_code == 200
    payload = _comment("Bình luận bài đã khóa.", article_id="da-dong")
    fast = _post(client, site, payload)
    slow = _post(flask_road, site, payload)
    assert fast.status_code == 409 and fast.json["code"] == "article_closed"
    _same_answer(fast, slow)


def test_an_idempotent_replay_answers_the_first_comment(client, site: SiteFixture):
    key = {"Idempotency-Key": "lan-42"}
    first = _post(client, site, _comment("Gửi một lần thôi."), **key)
    again = _post(client, site, _comment("Gửi một lần thôi."), **key)
    assert first.status_code == again.status_code == 202
    assert again.json == first.json


def test_the_rate_limit_answers_429_with_retry_after_on_both_roads(
    site: SiteFixture, settings: Settings
):
    # A day-long window: the test never straddles two fixed windows (counts would restart).
    strict = settings.with_overrides(rate_limit_author=1, rate_limit_window=86400)
    app = create(strict)
    client, flask_road = app.test_client(), flask_only(app)
    payload = _comment("Lần một.", author_email="lan@example.vn")
    assert _post(client, site, payload).status_code == 202
    fast = _post(client, site, payload)
    slow = _post(flask_road, site, payload)
    assert fast.status_code == 429
    same_wait(fast, slow)
    _same_answer(fast, slow)


def test_over_tls_both_roads_add_hsts(client, flask_road: Client, site: SiteFixture):
    payload = _comment("Qua HTTPS.")
    fast = client.post(
        "/v1/comments", json=payload, headers=site.headers, base_url="https://localhost"
    )
    slow = flask_road.post(
        "/v1/comments", json=payload, headers=site.headers, base_url="https://localhost"
    )
    assert fast.status_code == 202
    assert fast.headers["Strict-Transport-Security"] == slow.headers["Strict-Transport-Security"]
    plain = _post(client, site, payload)
    assert "Strict-Transport-Security" not in plain.headers


def test_a_key_reused_for_another_comment_is_a_422_on_both_roads(
    client, flask_road: Client, site: SiteFixture
):
    key = {"Idempotency-Key": "k1"}
    first = _post(client, site, _comment("A"), **key)
    assert first.status_code == 202
    other = {"article_id": "bai-2", "author_name": "Evil", "body": "B"}
    fast = _post(client, site, other, **key)
    slow = _post(flask_road, site, other, **key)
    assert fast.status_code == 422 and fast.json["code"] == "idempotency_key_reused"
    _same_answer(fast, slow)
    again = _post(client, site, _comment("A"), **key)  # the first comment, sent again
    assert again.status_code == 202 and again.json == first.json


@pytest.mark.parametrize(
    "changed",
    [
        {"article_id": "bai-2"},
        {"body": "B"},
        {"author_name": "Evil"},
        {"author_email": "evil@example.vn"},
        {"author_id": "u-2"},
        {"ip": "10.0.0.2"},
        {"user_agent": "curl/8"},
        {"parent_id": None},
    ],
)
def test_any_field_changed_under_the_same_key_is_refused(client, site: SiteFixture, changed):
    root = _post(client, site, _comment("Gốc."))
    sent = _comment("A", author_email="lan@example.vn", author_id="u-1", ip="10.0.0.1")
    sent |= {"user_agent": "Mozilla/5.0", "parent_id": root.json["id"]}
    assert _post(client, site, sent, **{"Idempotency-Key": "k1"}).status_code == 202
    refused = _post(client, site, sent | changed, **{"Idempotency-Key": "k1"})
    assert refused.status_code == 422 and refused.json["code"] == "idempotency_key_reused"


def test_concurrent_comments_under_one_key_store_one_and_refuse_the_rest(
    app: Flask, client, site: SiteFixture
):
    def post(n: int) -> tuple[int, Any]:
        own = app.test_client()  # a client per thread, as each caller has its own
        response = _post(own, site, _comment(f"Ý kiến {n}."), **{"Idempotency-Key": "k1"})
        return response.status_code, response.json

    answers = in_parallel(post, 30)
    assert sorted(status for status, _ in answers) == [202] + [422] * 29
    (won,) = [body for status, body in answers if status == 202]
    fetched = client.get(f"/v1/comments/{won['id']}", headers=site.headers)
    assert fetched.json["body"] == won["body"]
    assert {body["code"] for status, body in answers if status == 422} == {"idempotency_key_reused"}
