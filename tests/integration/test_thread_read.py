"""The cached thread read: every change shows on the next read; odd queries get the schema's
answer."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from service.api import threads
from service.schemas import ThreadArgs
from tests.integration.conftest import SiteFixture, submit

CLEAN = "Cảm ơn báo đã đưa tin kịp thời."


def _read(client: FlaskClient, site: SiteFixture) -> dict:
    response = client.get("/v1/articles/bai-1/comments", headers=site.headers)
    assert response.status_code == 200, response.json
    return response.json


def _bodies(thread: dict) -> list[str | None]:
    return [c["body"] for c in thread["comments"]]


def test_every_change_to_a_thread_shows_on_the_next_read(client, site, work):
    first = submit(client, site, CLEAN)
    work()
    assert _bodies(_read(client, site)) == [CLEAN]
    _read(client, site)  # now served from the caches
    second = submit(client, site, "Thêm một bình luận mới về bài này.")
    work()
    assert [c["id"] for c in _read(client, site)["comments"]] == [second["id"], first["id"]]
    client.delete(f"/v1/comments/{second['id']}", headers=site.headers)
    assert [c["id"] for c in _read(client, site)["comments"]] == [first["id"]]
    for _ in range(3):
        client.post(
            f"/v1/comments/{first['id']}/reports", json={"reason": "spam"}, headers=site.headers
        )
    assert _read(client, site)["comments"] == []
    client.put("/v1/articles/bai-1", json={"title": "Tin mới"}, headers=site.headers)
    assert _read(client, site)["article"]["title"] == "Tin mới"


QUERIES = [
    "",
    "order=oldest&limit=7",
    "limit=100&cursor=MjAyNi0xMS0yNVQxMDowMDowMCswMDowMHwxMg",
    "limit=05",
    "limit=+5",
    "limit=%205",
    "limit=5.0",
    "limit=101",
    "limit=0",
    "limit=",
    "order=",
    "order=NEWEST",
    "order=oldest&order=newest",
    "cursor=",
    "cursor=" + "a" * 201,
    "cursor=a%00b",
    "cursor=a%20b",
    "utm_source=x&limit=3",
    "featured=true",
    "featured=false&order=oldest",
    "featured=1",
    "featured=TRUE",
    "featured=",
    "featured=maybe",
    "featured=true&featured=false",
]


def _outcome(app: Flask, query: str, parse) -> object:
    with app.test_request_context(f"/v1/articles/bai-1/comments?{query}"):
        try:
            return parse()
        except HTTPException as error:
            return error.code, getattr(error, "data", {}).get("messages")


@pytest.mark.parametrize("query", QUERIES)
def test_the_query_is_read_as_the_schema_reads_it(app, query):
    def by_schema() -> object:
        return Blueprint.ARGUMENTS_PARSER.parse(ThreadArgs(), location="query")

    assert _outcome(app, query, threads.thread_args) == _outcome(app, query, by_schema)


def test_a_bad_query_gets_the_error_envelope(client, site):
    response = client.get("/v1/articles/bai-1/comments?limit=500", headers=site.headers)
    assert response.status_code == 422
    assert response.json["code"] == "validation_failed"
    assert list(response.json["errors"]) == ["limit"]


def test_threads_missing_the_same_page_together_render_it_once(app: Flask, redis):
    renders: list[int] = []
    pages: list[bytes] = []

    def render() -> str:
        renders.append(1)
        time.sleep(0.2)  # long enough for every other reader to arrive and wait
        return '{"comments": []}'

    def read() -> None:
        with app.app_context():
            pages.append(threads.page_of(redis, "etag-hot", render))

    readers = [threading.Thread(target=read) for _ in range(8)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert len(renders) == 1
    assert pages == [b'{"comments": []}'] * 8


def test_a_failed_render_leaves_the_next_reader_to_render(app: Flask, redis):
    def broken() -> str:
        raise RuntimeError("the database went away")

    with app.app_context():
        with pytest.raises(RuntimeError):
            threads.page_of(redis, "etag-cold", broken)
        assert threads.page_of(redis, "etag-cold", lambda: "{}") == b"{}"
