"""The thread read's fast road (service/api/fast_read.py) answers exactly as the Flask view does.

Each test sends the same read down both roads: through the app as gunicorn serves it (the
fast road takes what it can) and straight into Flask (`Flask.wsgi_app`, no middleware).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from service.settings import Settings
from tests.integration.conftest import SiteFixture, flask_only, same_wait, submit
from workers.wsgi import create

VARYING = {"Date", "X-Request-Id"}
THREAD = "/v1/articles/bai-1/comments"


@pytest.fixture
def published(client, site: SiteFixture, work) -> list[dict[str, Any]]:
    """Three published comments on bai-1."""
    comments = [submit(client, site, f"Ý kiến số {n} về bài báo.") for n in range(3)]
    work()
    return comments


def _both(app: Flask, path: str, **headers: str) -> tuple[TestResponse, TestResponse]:
    fast = app.test_client().get(path, headers=headers)
    slow = flask_only(app).get(path, headers=headers)
    return fast, slow


def _same_answer(fast: TestResponse, slow: TestResponse) -> None:
    assert fast.status == slow.status
    assert {k: v for k, v in fast.headers.items() if k not in VARYING} == {
        k: v for k, v in slow.headers.items() if k not in VARYING
    }
    assert fast.data == slow.data


@pytest.mark.parametrize(
    "query", ["", "?order=oldest", "?order=newest&limit=2", "?limit=1&order=oldest"]
)
def test_a_plain_read_takes_the_fast_road_and_answers_as_flask_does(
    app: Flask, site: SiteFixture, published, flask_requests: list[str], query: str
):
    fast, slow = _both(app, THREAD + query, **site.headers)
    assert fast.status_code == 200 and fast.json["comments"]
    assert flask_requests == [THREAD]  # only the slow road's
    _same_answer(fast, slow)


def test_the_next_cursor_and_the_etag_work_on_the_fast_road(
    app: Flask, site: SiteFixture, published, flask_requests: list[str]
):
    first, _ = _both(app, f"{THREAD}?limit=2", **site.headers)
    cursor = first.json["next_cursor"]
    fast, slow = _both(app, f"{THREAD}?limit=2&cursor={cursor}", **site.headers)
    assert [c["id"] for c in fast.json["comments"]] == [published[0]["id"]]
    _same_answer(fast, slow)
    etag = fast.headers["ETag"]
    for given in (etag, f'W/"x", {etag}', "*"):
        fast, slow = _both(app, f"{THREAD}?limit=2&cursor={cursor}", **site.headers,
                           **{"If-None-Match": given})  # fmt: skip
        assert fast.status_code == 304 and not fast.data
        _same_answer(fast, slow)
    fast, slow = _both(app, THREAD, **site.headers, **{"If-None-Match": f"W/{etag}"})
    assert fast.status_code == 200  # another page's tag, weak or strong, does not match
    _same_answer(fast, slow)
    assert all(path.startswith(THREAD) for path in flask_requests)
    assert len(flask_requests) == 6  # each slow road once; every fast one skipped Flask


def test_a_new_comment_shows_on_the_next_fast_read(client, site: SiteFixture, published, work):
    before = client.get(THREAD, headers=site.headers)
    assert before.status_code == 200 and len(before.json["comments"]) == 3
    new = submit(client, site, "Bình luận vừa được duyệt.")
    work()
    after = client.get(THREAD, headers=site.headers, environ_base={"HTTP_X_REQUEST_ID": "r-1"})
    assert [c["id"] for c in after.json["comments"]][:2] == [new["id"], published[2]["id"]]
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["X-Request-Id"] == "r-1"


def test_errors_after_counting_wear_the_same_envelope(app: Flask, site: SiteFixture):
    fast, slow = _both(app, "/v1/articles/khong-co-bai-nay/comments", **site.headers)
    assert fast.status_code == 404 and fast.json["code"] == "not_found"
    _same_answer(fast, slow)


def test_what_the_fast_road_cannot_take_goes_to_flask(
    app: Flask, client, site: SiteFixture, published, flask_requests: list[str]
):
    odd = [
        (THREAD, {}),  # no key
        (THREAD, {"Authorization": "Bearer not-a-key"}),
        (f"{THREAD}?limit=0", site.headers),
        (f"{THREAD}?limit=abc", site.headers),
        (f"{THREAD}?limit=%205", site.headers),
        (f"{THREAD}?order=oldest&order=newest", site.headers),
        ("/v1/articles/b%C3%A0i-m%E1%BB%99t/comments", site.headers),  # "bài-một": not ASCII
    ]
    answers = [client.get(path, headers=headers) for path, headers in odd]
    # The schema takes " 5" and a repeated argument; the hand parser leaves both to it.
    assert [a.status_code for a in answers] == [401, 401, 422, 422, 200, 200, 404]
    assert len(flask_requests) == len(odd)


def test_the_rate_limit_answers_429_on_both_roads(site: SiteFixture, published, settings: Settings):
    # A day-long window: the test never straddles two fixed windows (counts would restart).
    strict = create(settings.with_overrides(rate_limit_site_key=2, rate_limit_window=86400))
    try:
        client = strict.test_client()
        assert client.get(THREAD, headers=site.headers).status_code == 200
        assert client.get(THREAD, headers=site.headers).status_code == 200
        fast, slow = _both(strict, THREAD, **site.headers)
        assert fast.status_code == 429
        same_wait(fast, slow)
        _same_answer(fast, slow)
    finally:
        strict.extensions["duyet"].db.dispose()


def test_over_tls_both_roads_add_hsts(app: Flask, site: SiteFixture, published):
    fast = app.test_client().get(THREAD, headers=site.headers, base_url="https://localhost")
    slow = flask_only(app).get(THREAD, headers=site.headers, base_url="https://localhost")
    assert fast.status_code == 200
    _same_answer(fast, slow)
    assert "Strict-Transport-Security" in fast.headers
