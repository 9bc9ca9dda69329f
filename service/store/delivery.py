"""What webhook delivery and learning read: a comment with its article and site."""

from __future__ import annotations

from dataclasses import dataclass

from service.models import Article, Comment, Site
from service.store.db import Database


@dataclass(frozen=True)
class CommentTarget:
    """A comment with what a webhook or the learning loop needs to know about it."""

    comment: Comment
    article: Article
    site: Site

    @property
    def body(self) -> str:
        return self.comment.body

    @property
    def site_id(self) -> int:
        return self.site.id


def load_target(db: Database, comment_id: int) -> CommentTarget | None:
    """Load a comment with its article and site, or None if it is gone."""
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        if comment is None:
            return None
        article = s.get(Article, comment.article_id)
        site = s.get(Site, comment.site_id)
        assert article is not None and site is not None
        return CommentTarget(comment, article, site)
