"""Fast bulk seeding for the benchmark: the site, its articles, a hot thread, filler comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from service.models import Article, Comment, Status, utcnow
from service.store import Database, accounts

ARTICLES = 200
HOT_ARTICLE = "hot"
AUTHORS = 50_000


@dataclass(frozen=True)
class Seeded:
    site_id: int
    api_key: str


def site_and_articles(db: Database) -> Seeded:
    """Create the bench site, an API key and the articles the load generators post to."""
    site = accounts.create_site(db, "bench", "Báo Bench")
    key = accounts.create_api_key(db, site.id, "bench")
    rows = [{"site_id": site.id, "external_id": f"a{i}"} for i in range(ARTICLES)]
    rows.append({"site_id": site.id, "external_id": HOT_ARTICLE})
    with db.transaction() as s:
        s.execute(insert(Article), rows)
    return Seeded(site.id, key.secret)


def hot_thread(db: Database, site_id: int, approved: int = 5_000) -> None:
    """Give the hot article `approved` published comments, one in ten a reply."""
    now = utcnow()
    with db.transaction() as s:
        article_id = s.scalar(select(Article.id).where(Article.external_id == HOT_ARTICLE))
        roots = approved - approved // 10

        def row(i: int, parent: int | None = None) -> dict[str, object]:
            at = now - timedelta(seconds=approved - i)
            return {
                "site_id": site_id, "article_id": article_id, "parent_id": parent,
                "root_id": parent, "author_name": f"Độc giả {i}",
                "author_email": f"reader{i % AUTHORS}@example.vn", "ip": "10.1.2.3",
                "body": f"Bình luận số {i} về bài viết, ý kiến rất đáng đọc.",
                "status": Status.APPROVED.value, "report_count": 0,
                "created_at": at, "updated_at": at,
            }  # fmt: skip

        s.execute(insert(Comment), [row(i) for i in range(roots)])
        first = s.scalar(select(func.min(Comment.id)).where(Comment.article_id == article_id))
        assert first is not None
        replies = [row(roots + i, first + i % roots) for i in range(approved - roots)]
        s.execute(insert(Comment), replies)


_SQLITE_FILL = """
INSERT INTO comments (site_id, article_id, author_name, author_email, ip, user_agent, body,
    status, report_count, created_at, updated_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
SELECT :site, :first_article + (i % :articles), 'Độc giả ' || i,
    'reader' || (i % :authors) || '@example.vn', '10.9.' || (i % 250) || '.' || (i % 199),
    'Mozilla/5.0', 'Bình luận cũ số ' || i || ' về chuyện thời sự địa phương, ý kiến cá nhân.',
    CASE i % 10 WHEN 0 THEN 'held' WHEN 1 THEN 'spam' ELSE 'approved' END, 0,
    strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (:older + i % 5000000) || ' seconds') || '.000000',
    strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (:older + i % 5000000) || ' seconds') || '.000000'
FROM n
"""
_POSTGRES_FILL = """
INSERT INTO comments (site_id, article_id, author_name, author_email, ip, user_agent, body,
    status, report_count, created_at, updated_at)
SELECT :site, :first_article + (i % :articles), 'Độc giả ' || i,
    'reader' || (i % :authors) || '@example.vn', '10.9.' || (i % 250) || '.' || (i % 199),
    'Mozilla/5.0', 'Bình luận cũ số ' || i || ' về chuyện thời sự địa phương, ý kiến cá nhân.',
    CASE i % 10 WHEN 0 THEN 'held' WHEN 1 THEN 'spam' ELSE 'approved' END, 0,
    now() - make_interval(secs => :older + i % 5000000),
    now() - make_interval(secs => :older + i % 5000000)
FROM generate_series(1, :count) AS i
"""


def filler(
    db: Database, site_id: int, count: int, chunk: int = 250_000, older: timedelta = timedelta(0)
) -> None:
    """Add `count` decided comments spread over the articles, in a few big statements,
    posted over the 58 days before now (or before now - older)."""
    sql = text(_SQLITE_FILL if db.is_sqlite else _POSTGRES_FILL)
    with db.transaction() as s:
        first = s.scalar(select(func.min(Article.id)).where(Article.site_id == site_id))
    done = 0
    while done < count:
        n = min(chunk, count - done)
        params = {"count": n, "site": site_id, "first_article": first}
        params |= {"older": int(older.total_seconds())}
        with db.transaction() as s:
            s.execute(sql, {**params, "articles": ARTICLES, "authors": AUTHORS})
        done += n
    settle(db)


def settle(db: Database) -> None:
    """Leave the store as a live one that grew to this size would be: analyzed, tidied.

    A bulk load of a million rows leaves maintenance due that a store grown over months
    did long ago: SQLite's write-ahead log holds the whole load until a checkpoint copies
    it back, and PostgreSQL's autovacuum would start on the new rows during the next phase.
    Measuring intake then times that maintenance, not the size of the store.
    """
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if db.is_sqlite:
            conn.execute(text("ANALYZE"))
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        else:
            conn.execute(text("VACUUM (ANALYZE)"))


def stored(db: Database) -> int:
    """Count every stored comment."""
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(Comment)) or 0)
