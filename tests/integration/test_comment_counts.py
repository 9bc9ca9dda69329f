"""Comment counts for article lists (GET /v1/articles/comment-counts): always what the thread
shows, summed over its pages; cached by thread version, and right with Redis away too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_smorest import Blueprint
from sqlalchemy import event, text

from service import create_app
from service.api import threads
from service.auth import clear_caches
from service.schemas import CountsArgs
from service.store.counts import _COUNTS
from service.store.system_decisions import record_system_decision
from tests.integration.conftest import SiteFixture, make_site, submit
from tests.integration.test_desk import act, login
from tests.integration.test_thread_read import _outcome
from workers.embedded_redis import EmbeddedRedis

COUNTS = "/v1/articles/comment-counts"
SENTENCES = [
    "Cảm ơn báo đã đưa tin kịp thời về mưa lũ ở miền Trung.",
    "Mong chính quyền sớm sửa con đường liên xã bị sạt lở.",
    "Bài viết rất hay, tôi đã chia sẻ cho cả gia đình cùng đọc.",
    "Giá rau ở chợ quê tôi tuần này cũng tăng gần gấp đôi.",
    "Đội tuyển chơi hiệu quả, hàng thủ đã chắc chắn hơn nhiều.",
    "Tôi đồng ý với ý kiến trên, cần thêm cây xanh trong thành phố.",
    "Nên có thêm chuyến xe buýt đêm cho công nhân khu công nghiệp.",
    "Thư viện mới của tỉnh đẹp quá, cuối tuần tôi sẽ dẫn con đi.",
]


@pytest.fixture
def say() -> Callable[[], str]:
    """A different clean sentence at each call: alike ones would be held as duplicates."""
    return iter(SENTENCES).__next__


def counts(client: FlaskClient, site: SiteFixture, *ids: str, **headers: str) -> Any:
    query = urlencode([("article_id", i) for i in ids])
    return client.get(f"{COUNTS}?{query}", headers={**site.headers, **headers})


def counted(client: FlaskClient, site: SiteFixture, *ids: str) -> dict[str, int]:
    answer = counts(client, site, *ids)
    assert answer.status_code == 200, answer.json
    return dict(answer.json["counts"])


def _published(node: dict) -> int:
    return (node["status"] == "approved") + sum(_published(r) for r in node["replies"])


def shown(client: FlaskClient, site: SiteFixture, article: str) -> int:
    """What a reader sees of an article's thread, page after page (two threads a page)."""
    total, query = 0, "limit=2"
    while True:
        page = client.get(f"/v1/articles/{article}/comments?{query}", headers=site.headers)
        if page.status_code == 404:
            return 0
        total += sum(_published(node) for node in page.json["comments"])
        if not page.json["next_cursor"]:
            assert page.json["article"]["comment_count"] == total
            return total
        query = f"limit=2&cursor={page.json['next_cursor']}"


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app's database runs meanwhile."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = app.extensions["duyet"].db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def ask(app: Flask, client: FlaskClient, site: SiteFixture) -> Callable[[str], int]:
    """Count one article twice: the first answer counted, the second from Redis alone."""

    def both(article: str) -> int:
        first = counted(client, site, article)[article]
        with statements(app) as seen:
            again = counted(client, site, article)[article]
        assert seen == [] and again == first
        assert first == shown(client, site, article)
        return first

    return both


def test_the_count_follows_every_change_the_thread_shows(
    app: Flask, client: FlaskClient, site: SiteFixture, moderator, work, ask, say
):
    assert counted(client, site, "bai-1") == {"bai-1": 0}  # no comment yet, no article either
    root = submit(client, site, say())["id"]
    assert ask("bai-1") == 0  # pending
    work()
    assert ask("bai-1") == 1
    reply = submit(client, site, say(), parent_id=root)["id"]
    nested = submit(client, site, say(), parent_id=reply)["id"]
    other = submit(client, site, say())["id"]
    work()
    assert ask("bai-1") == 4
    decision = f"/v1/moderation/comments/{other}/decision"
    assert client.post(decision, json={"action": "reject"}, auth=moderator).status_code == 200
    assert ask("bai-1") == 3
    login(client)
    assert act(client, "/mod/api/undo", {"ids": [other]}).json["restored"]
    assert ask("bai-1") == 4
    client.patch(f"/v1/comments/{reply}", json={"body": say()}, headers=site.headers)
    assert ask("bai-1") == 3  # back to pending until it is checked again
    work()
    assert ask("bai-1") == 4
    client.delete(f"/v1/comments/{root}", headers=site.headers)
    assert ask("bai-1") == 3  # a tombstone over its replies, not counted
    client.delete(f"/v1/comments/{nested}", headers=site.headers)
    assert ask("bai-1") == 2
    for _ in range(3):
        client.post(f"/v1/comments/{other}/reports", json={"reason": "spam"}, headers=site.headers)
    assert ask("bai-1") == 1  # enough reports send it back to review


def test_replies_under_a_root_that_left_the_thread_are_not_counted(
    app: Flask, client: FlaskClient, site: SiteFixture, moderator, work, ask, say
):
    root = submit(client, site, say())["id"]
    work()
    for _ in range(2):
        submit(client, site, say(), parent_id=root)
    work()
    assert ask("bai-1") == 3
    decision = f"/v1/moderation/comments/{root}/decision"
    assert client.post(decision, json={"action": "spam"}, auth=moderator).status_code == 200
    assert ask("bai-1") == 0  # the thread hides the replies with their root
    assert client.post(decision, json={"action": "approve"}, auth=moderator).status_code == 200
    assert ask("bai-1") == 3


def test_many_articles_at_once_in_one_query_then_none(
    app: Flask, client: FlaskClient, site: SiteFixture, work, say
):
    for article, many in (("bai-1", 3), ("2024/11/mua-lu", 1), ("bai-3", 2)):
        for _ in range(many):
            submit(client, site, say(), article_id=article)
    work()
    ids = ("bai-3", "chua-co", "2024/11/mua-lu", "bai-1", "bai-3")  # one repeated, one unknown
    with statements(app) as cold:
        answer = counts(client, site, *ids)
    assert list(answer.json["counts"].items()) == [
        ("bai-3", 2),
        ("chua-co", 0),
        ("2024/11/mua-lu", 1),
        ("bai-1", 3),
    ]
    assert len(cold) == 2  # the versions, then every count in one grouped query
    with statements(app) as warm:
        assert counts(client, site, "bai-1", "bai-3", "2024/11/mua-lu").status_code == 200
    assert warm == []


def test_another_sites_articles_are_never_counted(
    app: Flask, client: FlaskClient, site: SiteFixture, work, say
):
    other = make_site(app, "baokhac")
    submit(client, site, say())
    for _ in range(2):
        submit(client, other, say())
    submit(client, other, say(), article_id="chi-ben-kia")
    work()
    assert counted(client, site, "bai-1", "chi-ben-kia") == {"bai-1": 1, "chi-ben-kia": 0}
    assert counted(client, other, "bai-1", "chi-ben-kia") == {"bai-1": 2, "chi-ben-kia": 1}


def test_comment_counts_is_no_article_id_of_the_article_routes(
    client: FlaskClient, site: SiteFixture, work, say
):
    put = client.put(f"/v1/articles/{'comment-counts'}", json={"title": "T"}, headers=site.headers)
    assert put.status_code == 200 and put.json["id"] == "comment-counts"
    submit(client, site, say(), article_id="comment-counts")
    work()
    thread = client.get("/v1/articles/comment-counts/comments", headers=site.headers)
    assert thread.json["article"]["comment_count"] == 1
    assert counted(client, site, "comment-counts") == {"comment-counts": 1}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "article_id=",
        "article_id=a%00b",
        "article_id=" + "a" * 201,
        "&".join(f"article_id=bai-{n}" for n in range(101)),
    ],
)
def test_bad_ids_get_the_error_envelope(client: FlaskClient, site: SiteFixture, query: str):
    answer = client.get(f"{COUNTS}?{query}", headers=site.headers)
    assert answer.status_code == 422
    assert answer.json["code"] == "validation_failed"
    assert list(answer.json["errors"]) == ["article_id"]


ID_QUERIES = [
    "",
    "article_id=bai-1",
    "article_id=bai-1&article_id=bai-1&article_id=2024%2F11%2Fmua-lu",
    "article_id=b%C3%A0i-m%E1%BB%99t",  # not ASCII: the schema's road
    "article_id=",
    "article_id=a%00b",
    "article_id=" + "a" * 200,
    "article_id=" + "a" * 201,
    "utm_source=x&article_id=bai-1",
    "&".join(f"article_id=bai-{n}" for n in range(100)) + "&article_id=bai-0",
    "&".join(f"article_id=bai-{n}" for n in range(101)),
]


@pytest.mark.parametrize("query", ID_QUERIES)
def test_the_ids_are_read_as_the_schema_reads_them(app: Flask, query: str):
    def by_schema() -> object:
        parsed = Blueprint.ARGUMENTS_PARSER.parse(CountsArgs(), location="query")
        return list(dict.fromkeys(parsed["article_id"]))

    assert _outcome(app, query, threads.counted_ids) == _outcome(app, query, by_schema)


def test_a_hundred_ids_repeated_are_a_hundred(client: FlaskClient, site: SiteFixture):
    ids = [f"bai-{n}" for n in range(100)]
    assert counted(client, site, *ids, *ids) == dict.fromkeys(ids, 0)
    assert client.get(f"{COUNTS}?article_id=x").json["code"] == "unauthorized"


def test_an_unchanged_list_is_not_modified(client: FlaskClient, site: SiteFixture, work, say):
    submit(client, site, say())
    work()
    first = counts(client, site, "bai-1", "bai-2")
    assert first.headers["Cache-Control"] == "private, no-cache"
    etag = first.headers["ETag"]
    assert counts(client, site, "bai-1", "bai-2", **{"If-None-Match": etag}).status_code == 304
    weak = counts(client, site, "bai-1", "bai-2", **{"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304 and weak.headers["ETag"] == etag
    other_list = counts(client, site, "bai-2", "bai-1", **{"If-None-Match": etag})
    assert other_list.status_code == 200  # another list, another answer
    submit(client, site, say(), article_id="bai-2")
    work()
    changed = counts(client, site, "bai-1", "bai-2", **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json["counts"] == {"bai-1": 1, "bai-2": 1}
    assert changed.headers["ETag"] != etag


def test_the_grouped_count_walks_the_thread_index(app: Flask):
    db = app.extensions["duyet"].db
    if not db.is_sqlite:
        pytest.skip("PostgreSQL's plan depends on its statistics of a table this small")
    query = _COUNTS.params(site_id=1, ids=[1, 2])
    sql = query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        plan = " ".join(str(row) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_comments_thread" in plan


def test_counts_stay_right_with_redis_stopped(settings, tmp_path, say):
    own_redis = EmbeddedRedis(tmp_path / "redis", appendonly=False).start()
    settings = settings.with_overrides(redis_url=own_redis.url)
    clear_caches()
    app = create_app(settings)
    client, site = app.test_client(), make_site(app, "baotinh")
    db = app.extensions["duyet"].db
    ids = [submit(client, site, say())["id"] for _ in range(3)]
    for comment_id in ids:
        record_system_decision(db, comment_id, "approve", {}, [], "test")
    assert counted(client, site, "bai-1", "bai-2") == {"bai-1": 3, "bai-2": 0}  # now cached
    own_redis.stop(kill=True)
    client.delete(f"/v1/comments/{ids[0]}", headers=site.headers)  # Redis never hears of it
    assert counted(client, site, "bai-1", "bai-2") == {"bai-1": 2, "bai-2": 0}
    assert shown(client, site, "bai-1") == 2
    own_redis.start()  # empty: what it held before is gone
    assert counted(client, site, "bai-1") == {"bai-1": 2}
    own_redis.stop()
    app.extensions["duyet"].db.dispose()
