"""What the worker reads before it decides: a pending comment with its article, site, site
settings and author's standing (one comment, or a batch in one transaction), the same
standing for a comment not yet stored (the compatible checks), and the pending comments
whose job may be lost (the sweep)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from service.models import Article, Comment, Site, Status, utcnow
from service.site_config import site_config
from service.store.db import Database
from service.store.standing import active_bans, author_histories


@dataclass(frozen=True)
class ModerationInput:
    """Everything the worker needs from the database to decide one pending comment."""

    comment: Comment
    article: Article
    site: Site
    config: dict[str, Any]
    author_approved: int
    author_rejected: int
    banned: tuple[str, ...]


def load_for_moderation(db: Database, comment_id: int) -> ModerationInput | None:
    """Load a pending comment with its article, site and author history; None if not pending."""
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        if comment is None or comment.status != Status.PENDING.value:
            return None
        article = s.get(Article, comment.article_id)
        site = s.get(Site, comment.site_id)
        assert article is not None and site is not None
        approved, rejected = _author_history(s, comment)
        return ModerationInput(
            comment=comment,
            article=article,
            site=site,
            config=site_config(site.config),
            author_approved=approved,
            author_rejected=rejected,
            banned=_active_bans(s, comment),
        )


def author_standing(
    db: Database, site_id: int, email: str | None, author_id: str | None, ip: str | None
) -> tuple[int, int, tuple[str, ...]]:
    """Return an author's approved and rejected counts and active bans, for an unstored comment."""
    # A transient row (id 0, never added) lets the same queries answer as for a stored one.
    probe = Comment(id=0, site_id=site_id, author_email=email, author_id=author_id, ip=ip)
    with db.transaction() as s:
        approved, rejected = _author_history(s, probe)
        return approved, rejected, _active_bans(s, probe)


def _author_history(s: Session, comment: Comment) -> tuple[int, int]:
    return author_histories(s, [comment]).get(comment.id, (0, 0))


def _active_bans(s: Session, comment: Comment) -> tuple[str, ...]:
    return active_bans(s, [comment]).get(comment.id, ())


# The worker's statements are built once: for a batch of one, building them again for
# every job cost more CPU than SQLite took to run them.
# The pending comments with their articles and sites: one statement, one round trip.
_PENDING = (
    select(Comment, Article, Site)
    .join(Article, Article.id == Comment.article_id)
    .join(Site, Site.id == Comment.site_id)
    .where(Comment.id.in_(bindparam("ids", expanding=True)), Comment.status == Status.PENDING.value)
)


def load_many_for_moderation(db: Database, comment_ids: list[int]) -> list[ModerationInput]:
    """Load the pending ones of many comments in one transaction, in the order given."""
    with db.transaction() as s:
        rows = s.execute(_PENDING, {"ids": comment_ids}).all()
        found = {comment.id: (comment, article, site) for comment, article, site in rows}
        comments = [found[i][0] for i in comment_ids if i in found]
        configs = {site.id: site_config(site.config) for _, _, site in found.values()}
        histories = author_histories(s, comments)
        bans = active_bans(s, comments)
        loaded = []
        for comment in comments:
            approved, rejected = histories.get(comment.id, (0, 0))
            loaded.append(
                ModerationInput(
                    comment=comment,
                    article=found[comment.id][1],
                    site=found[comment.id][2],
                    config=configs[comment.site_id],
                    author_approved=approved,
                    author_rejected=rejected,
                    banned=bans.get(comment.id, ()),
                )
            )
        return loaded


def stranded_comment_ids(db: Database, min_age: timedelta, limit: int = 500) -> list[int]:
    """Find pending comments whose job may be lost and mark them as re-queued now."""
    cutoff = utcnow() - min_age
    with db.transaction() as s:
        ids = list(
            s.scalars(
                select(Comment.id)
                .where(
                    Comment.status == Status.PENDING.value,
                    Comment.created_at < cutoff,
                    or_(Comment.enqueued_at.is_(None), Comment.enqueued_at < cutoff),
                )
                .order_by(Comment.created_at)
                .limit(limit)
            )
        )
        if ids:
            s.execute(
                update(Comment)
                .where(Comment.id.in_(ids))
                .values(enqueued_at=utcnow())
                .execution_options(synchronize_session=False)
            )
        return ids
