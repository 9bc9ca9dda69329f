"""Time the moderator's queue page with 10,000 held comments (target: under 300 ms).

The overview page (/mod/overview) is timed on the same store: its day and week counts; so
is a site's settings page, which counts the words that held its comments over the week, and
the search box's text search through the full-text index (migration 0018, whose backfill of
the seeded comments is timed too): a rare name, a word in every comment, accented needles.

    python bench/queue_page.py [--comments 10000] [--runs 30] [--postgres URL]

Seeds a fresh SQLite file, or with --postgres a database of its own on that server
(created and dropped here), migrated like production, with held comments, each with the
engine's decision, reasons and spans, signs a moderator in, and renders /mod/queue through
the Flask test client: the whole server side (queries, author histories, template).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.perf import postgres_database  # noqa: E402
from service.models import Article, Comment, Decision  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.store import Database, accounts, migrate, moderator_accounts  # noqa: E402
from workers.embedded_redis import EmbeddedRedis  # noqa: E402
from workers.wsgi import create as create_wsgi_app  # noqa: E402

PASSWORD = "bench-password-123"
WORD = "cá độ"
RARE = "Nguyễn Văn Ánh"  # named in one comment in a thousand


def seed(db: Database, site_id: int, count: int, first_id: int = 1) -> None:
    """Insert `count` held comments over 50 articles and 2,000 authors, with decisions: one a
    minute until now, so the overview's day holds 1,440 of them and its week 10,080."""
    rng = random.Random(7)
    start = datetime.now(UTC) - timedelta(minutes=count)  # one a minute, the last one now
    with db.transaction() as s:
        articles = s.scalars(
            insert(Article).returning(Article.id),
            [
                {"site_id": site_id, "external_id": f"bai-{n}", "title": f"Bài viết số {n}"}
                for n in range(50)
            ],
        ).all()
    comments, decisions = [], []
    for i in range(count):
        n = first_id - 1 + i
        spam, abuse = round(rng.random(), 3), round(rng.random() / 2, 3)
        body = f"Bình luận số {n}: vào trang {WORD} này nhé, uy tín lắm bạn ơi."
        if n % 1000 == 7:
            body = f"{RARE} nói: {body}"
        at = body.index(WORD)
        comments.append(
            {
                "id": n + 1,
                "site_id": site_id,
                "article_id": articles[n % 50],
                "author_name": f"Độc giả {n % 2000}",
                "author_email": f"reader{n % 2000}@example.vn",
                "ip": f"203.0.113.{n % 250}",
                "body": body,
                "status": "held",
                "risk": max(spam, abuse),  # as the worker notes it with its decision
                "created_at": start + timedelta(seconds=i * 60),
                "updated_at": start + timedelta(seconds=i * 60),
            }
        )
        decisions.append(
            {
                "comment_id": n + 1,
                "verdict": "hold",
                "scores": {"spam": spam, "abuse": abuse},
                "reasons": [
                    {
                        "code": "suspect_word",
                        "message": f"Chứa từ cần xem xét: «{WORD}»",
                        "verdict": "hold",
                        "spans": [[at, at + len(WORD)]],
                        "detail": {"en": f"Contains a suspect word: {WORD}", "word": WORD},
                    }
                ],
                "engine_version": "bench",
                "decided_by": "system",
                "created_at": start + timedelta(seconds=i * 60 + 1),
            }
        )
    with db.transaction() as s:
        s.execute(insert(Comment), comments)
        s.execute(insert(Decision), decisions)


def measure(client, url: str, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(runs + 2):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    timings = sorted(timings[2:])  # the first two warm caches
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server instead of SQLite")
    args = parser.parse_args()
    # the search index's migration (0018) is timed on the seeded store
    with migrated_store(args.postgres, "0017") as (url, redis_url):
        return run(url, redis_url, args.comments, args.runs)


@contextmanager
def migrated_store(postgres: str | None, revision: str = "head") -> Iterator[tuple[str, str]]:
    """A database migrated to `revision` (SQLite, or one of this run's own on the PostgreSQL
    server) and a Redis of its own: their URLs, for one run."""
    with tempfile.TemporaryDirectory() as tmp, database(postgres, Path(tmp)) as url:
        migrate.upgrade(url, revision)
        redis = EmbeddedRedis(Path(tmp) / "redis", appendonly=False).start()
        try:
            yield url, redis.url
        finally:
            redis.stop()


@contextmanager
def database(postgres: str | None, work: Path, store: str = "queue") -> Iterator[str]:
    """An SQLite file in work, or a database of this run's own on the PostgreSQL server."""
    if not postgres:
        yield f"sqlite:///{work}/bench.db"
        return
    url, create, drop = postgres_database(postgres, store)
    subprocess.run(drop, check=True)
    subprocess.run(create, check=True)
    try:
        yield url
    finally:
        subprocess.run(drop, check=False)


def run(url: str, redis_url: str, count: int, runs: int) -> int:
    # The app as gunicorn serves it (workers.wsgi): the settings page then shows the
    # engine's built-in profanity list, as in production.
    app = create_wsgi_app(Settings(database_url=url, redis_url=redis_url))
    db = app.extensions["duyet"].db
    try:
        fill(db, count)
        return measure_pages(app, runs, count)
    finally:
        db.dispose()  # so that the bench's PostgreSQL database can be dropped


def fill(db: Database, count: int) -> None:
    """A large site with `count` held comments, a small one with 100, a moderator for both."""
    site = accounts.create_site(db, "baotinh", "Báo tỉnh")
    # The settings page is admins'.
    moderator_accounts.create_moderator(db, "bench", PASSWORD, "admin")
    began = time.perf_counter()
    seed(db, site.id, count)
    print(f"seeded {count:,} held comments in {time.perf_counter() - began:.1f} s")
    small = accounts.create_site(db, "baonho", "Báo nhỏ")  # its moderators see only its 100
    seed(db, small.id, 100, first_id=count + 1)
    before, began = stored_bytes(db), time.perf_counter()
    migrate.upgrade(db.url)  # 0018: fold every comment's text and build the trigram index
    took, grown = time.perf_counter() - began, (stored_bytes(db) - before) / 2**20
    print(f"migration 0018 (search index) in {took:.1f} s, the store {grown:,.0f} MB larger")
    if not db.is_sqlite:  # what autovacuum does soon after such a load
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def stored_bytes(db: Database) -> int:
    """The database's size on disk: the SQLite file after a checkpoint, or PostgreSQL's."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0) * int(
                conn.exec_driver_sql("PRAGMA page_size").scalar() or 0
            )
        return int(
            conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar() or 0
        )


def measure_pages(app, runs: int, count: int) -> int:  # type: ignore[no-untyped-def]
    client = app.test_client()
    form = client.get("/mod/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    signed = client.post(
        "/mod/login",
        data={"username": "bench", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert signed.status_code == 302
    page = client.get("/mod/queue").get_data(as_text=True)
    assert page.count('class="card"') == 25 and "10,000+" in page or f"{count:,}" in page
    settings = client.get("/mod/settings/baotinh").get_data(as_text=True)
    assert 'class="builtin-list"' in settings  # the page as production renders it
    worst = 0.0
    for label, path in [
        ("queue, oldest first (default)", "/mod/queue"),
        ("queue, riskiest first", "/mod/queue?order=riskiest"),
        ("queue, filtered by site+reason", "/mod/queue?site=baotinh&reason=suspect_word"),
        ("queue, page 2 by cursor", _second_page(client, "/mod/queue")),
        ("queue, riskiest, page 2", _second_page(client, "/mod/queue?order=riskiest")),
        ("queue, riskiest, a small site", "/mod/queue?site=baonho&order=riskiest"),
        ("overview, every site", "/mod/overview"),
        ("overview, one site", "/mod/overview?site=baotinh"),
        ("site settings (words held, the list)", "/mod/settings/baotinh"),
        *SEARCHES,
        ("search, common word, page 2", _second_page(client, SEARCHES[1][1])),
    ]:
        median, p95 = measure(client, path, runs)
        worst = max(worst, median)
        print(f"{label:36s} median {median:6.1f} ms   p95 {p95:6.1f} ms")
    verdict = "OK" if worst < 300 else "TOO SLOW"
    print(f"target: median under 300 ms -> {verdict}")
    return 0 if worst < 300 else 1


SEARCHES = [
    ("search, rare name (1 in 1,000)", "/mod/queue?q=nguyen+van+anh"),
    ("search, word in every comment", "/mod/queue?q=uy+tin"),
    ("search, the same, every status", "/mod/queue?q=uy+tin&within=all"),
    ("search, accented rare name", "/mod/queue?q=V%C4%83n+%C3%81nh"),
    ("search, accented, in every comment", "/mod/queue?q=uy+t%C3%ADn"),
    ("search, accents found nowhere", "/mod/queue?q=%E1%BB%A7y+t%C3%ACn"),  # ủy tìn
    ("search, common word, a small site", "/mod/queue?q=uy+tin&site=baonho"),
    ("search, no match at all", "/mod/queue?q=khong+ai+viet"),
]


def _second_page(client, first: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(first).get_data(as_text=True)
    found = re.search(r'<a href="(/mod/queue\?[^"]*cursor=[^"]+)" rel="next"', page)
    assert found, "the first page links to the next one"
    return found.group(1).replace("&amp;", "&")


if __name__ == "__main__":
    sys.exit(main())
