"""A site's articles as the site sets them (PUT /v1/articles/<id>): title, URL, section, and
whether they are closed or premoderated; and ArticleClosed, the answer to a comment or an edit
sent to a closed one. (An article the site never put is created with its first comment:
new_comments.py.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from service.errors import Conflict, NotFound
from service.models import Article
from service.store.db import Database
from service.store.records import touch_thread


class ArticleClosed(Conflict):
    code = "article_closed"


def put_article(db: Database, site_id: int, external_id: str, **settings: Any) -> Article:
    """Create or update an article's title, URL, section and comment settings."""
    with db.transaction() as s:
        article = s.scalar(
            select(Article).where(Article.site_id == site_id, Article.external_id == external_id)
        )
        if article is None:
            article = Article(site_id=site_id, external_id=external_id)
            s.add(article)
        for name, value in settings.items():
            setattr(article, name, value)
        s.flush()
        touch_thread(s, article.id)
        s.refresh(article)
        return article


def get_article(db: Database, site_id: int, external_id: str) -> Article:
    """Load a site's article by the site's own id, or raise NotFound."""
    with db.transaction() as s:
        article = s.scalar(
            select(Article).where(Article.site_id == site_id, Article.external_id == external_id)
        )
        if article is None:
            raise NotFound("article not found")
        return article
