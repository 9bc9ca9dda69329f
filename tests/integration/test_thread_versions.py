"""Thread versions mirrored in Redis (service/thread_versions.py): fresh after every commit,
never lowered by a late reader, and the database again once a copy expires."""

from __future__ import annotations

from flask import Flask
from redis import Redis

from service.store import Database
from service.store.articles import put_article
from service.store.records import touch_thread
from service.thread_versions import TTL_SECONDS, ThreadVersions, _key
from tests.integration.conftest import SiteFixture


def _versions(app: Flask) -> ThreadVersions:
    return app.extensions["duyet"].thread_versions


def test_a_commit_that_bumps_a_version_raises_the_copy(app: Flask, site: SiteFixture, redis):
    db = app.extensions["duyet"].db
    article = put_article(db, site.id, "bai-1", title="Bài một")
    assert int(redis.get(_key(article.id))) == article.thread_version
    again = put_article(db, site.id, "bai-1", title="Bài một, sửa")
    assert int(redis.get(_key(article.id))) == again.thread_version > article.thread_version
    assert 0 < redis.ttl(_key(article.id)) <= TTL_SECONDS


def test_a_late_reader_cannot_lower_a_published_version(app: Flask, redis: Redis):
    versions = _versions(app)
    versions.publish({7: 5})
    versions.publish({7: 4})  # what a reader that read before the publish would offer
    assert redis.get(_key(7)) == b"5"


def test_a_failed_transaction_publishes_nothing(app: Flask, site: SiteFixture, redis: Redis):
    db = app.extensions["duyet"].db
    article = put_article(db, site.id, "bai-1")
    redis.delete(_key(article.id))
    try:
        with db.transaction() as s:
            touch_thread(s, article.id)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert redis.get(_key(article.id)) is None


def test_a_copy_that_missed_a_publish_gives_way_to_the_database(
    app: Flask, site: SiteFixture, client, redis: Redis
):
    db = app.extensions["duyet"].db
    put_article(db, site.id, "bai-1")
    first = client.get("/v1/articles/bai-1/comments", headers=site.headers)
    unhooked = Database(db.url)  # a process whose publish never reached Redis
    put_article(unhooked, site.id, "bai-1", title="Đổi tiêu đề")
    unhooked.dispose()
    stale = client.get("/v1/articles/bai-1/comments", headers=site.headers)
    assert stale.headers["ETag"] == first.headers["ETag"]  # the copy, for up to TTL_SECONDS
    article_id = _versions(app).lookup(db, site.id, "bai-1")[0]
    redis.delete(_key(article_id))  # as its TTL would
    fresh = client.get("/v1/articles/bai-1/comments", headers=site.headers)
    assert fresh.headers["ETag"] != first.headers["ETag"]
    assert fresh.json["article"]["title"] == "Đổi tiêu đề"
