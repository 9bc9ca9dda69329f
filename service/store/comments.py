"""Intake and the site's own actions on comments: submit, read, delete, report, articles."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.errors import Conflict, DuyetError, NotFound
from service.models import Article, Comment, Report, Site, Status, utcnow
from service.site_config import site_config
from service.store.db import Database
from service.store.records import audit, touch_thread, transition

REPORTABLE = (Status.APPROVED,)


class ArticleClosed(Conflict):
    code = "article_closed"


class InvalidParent(DuyetError):
    status = 422
    code = "invalid_parent"


@dataclass(frozen=True)
class NewComment:
    """A comment as the site submitted it, already validated by the schema."""

    article_id: str
    body: str
    author_name: str
    author_email: str | None = None
    author_id: str | None = None
    parent_id: int | None = None
    ip: str | None = None
    user_agent: str | None = None
    article_title: str | None = None
    article_url: str | None = None


def _ensure_article(s: Session, site_id: int, new: NewComment) -> Article:
    article = s.scalar(
        select(Article).where(Article.site_id == site_id, Article.external_id == new.article_id)
    )
    if article is not None:
        return article
    site = s.get(Site, site_id)
    premoderated = bool(site_config(site.config if site else {})["premoderate_default"])
    article = Article(
        site_id=site_id,
        external_id=new.article_id,
        title=new.article_title or "",
        url=new.article_url or "",
        premoderated=premoderated,
    )
    try:
        with s.begin_nested():  # another request may create the same article at the same time
            s.add(article)
    except IntegrityError:
        return s.scalars(
            select(Article).where(Article.site_id == site_id, Article.external_id == new.article_id)
        ).one()
    return article


def _root_of(s: Session, site_id: int, article: Article, parent_id: int | None) -> int | None:
    if parent_id is None:
        return None
    parent = s.get(Comment, parent_id)
    if parent is None or parent.site_id != site_id or parent.article_id != article.id:
        raise InvalidParent(
            "parent_id must name a comment of the same article",
            {"parent_id": ["Unknown comment for this article."]},
        )
    return parent.root_id or parent.id


def _by_idempotency_key(s: Session, site_id: int, key: str) -> Comment | None:
    return s.scalar(
        select(Comment).where(Comment.site_id == site_id, Comment.idempotency_key == key)
    )


def submit_comment(
    db: Database, site_id: int, new: NewComment, idempotency_key: str | None = None
) -> tuple[Comment, bool]:
    """Store a comment as pending; return it and whether it is new (False: idempotent replay)."""
    try:
        with db.transaction() as s:
            if idempotency_key and (seen := _by_idempotency_key(s, site_id, idempotency_key)):
                return seen, False
            comment = _insert(s, site_id, new, idempotency_key)
            return comment, True
    except IntegrityError:
        if not idempotency_key:
            raise
        with db.transaction() as s:  # lost a race with the same key: answer with the winner
            seen = _by_idempotency_key(s, site_id, idempotency_key)
            if seen is None:
                raise
            return seen, False


def _insert(s: Session, site_id: int, new: NewComment, idempotency_key: str | None) -> Comment:
    article = _ensure_article(s, site_id, new)
    if article.closed:
        raise ArticleClosed("comments on this article are closed")
    now = utcnow()
    values: dict[str, Any] = {
        "site_id": site_id,
        "article_id": article.id,
        "parent_id": new.parent_id,
        "root_id": _root_of(s, site_id, article, new.parent_id),
        "author_name": new.author_name,
        "author_email": new.author_email,
        "author_id": new.author_id,
        "ip": new.ip,
        "user_agent": new.user_agent,
        "body": unicodedata.normalize("NFC", new.body),
        "idempotency_key": idempotency_key,
        "status": Status.PENDING.value,
        "report_count": 0,
        "created_at": now,
        "updated_at": now,
    }
    # One INSERT ... RETURNING id instead of the unit of work's flush: intake's hottest line.
    comment_id = s.scalar(insert(Comment).values(values).returning(Comment.id))
    return Comment(id=comment_id, **values)


def get_comment(db: Database, site_id: int, comment_id: int) -> tuple[Comment, Article]:
    """Load one comment of a site with its article, or raise NotFound."""
    with db.transaction() as s:
        return _owned(s, site_id, comment_id)


def _owned(s: Session, site_id: int, comment_id: int) -> tuple[Comment, Article]:
    comment = s.get(Comment, comment_id)
    # Another site's comment answers exactly like a missing one: ids reveal nothing.
    if comment is None or comment.site_id != site_id:
        raise NotFound("comment not found")
    article = s.get(Article, comment.article_id)
    assert article is not None
    return comment, article


def delete_comment(db: Database, site_id: int, comment_id: int, actor: str) -> Comment:
    """Erase a comment's text at its author's request; the row stays as a thread tombstone."""
    with db.transaction() as s:
        comment, _ = _owned(s, site_id, comment_id)
        if comment.status == Status.DELETED.value:
            return comment
        audit(s, comment, actor, "delete", Status.DELETED)
        s.execute(
            update(Comment)
            .where(Comment.id == comment_id)
            .values(
                status=Status.DELETED.value,
                body="",
                author_email=None,
                ip=None,
                user_agent=None,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        # Always: a deleted comment may become a visible tombstone over published replies.
        touch_thread(s, comment.article_id)
        s.refresh(comment)
        return comment


def report_comment(
    db: Database, site_id: int, comment_id: int, reason: str, note: str = ""
) -> Comment:
    """Record a reader's report; enough reports send a published comment back to review."""
    with db.transaction() as s:
        comment, _ = _owned(s, site_id, comment_id)
        s.add(Report(comment_id=comment_id, reason=reason, note=note))
        comment.report_count += 1
        site = s.get(Site, site_id)
        threshold = int(site_config(site.config if site else {})["report_threshold"])
        audit(s, comment, "reader", "report", None, {"reason": reason})
        s.flush()
        if comment.report_count >= threshold and transition(s, comment_id, REPORTABLE, Status.HELD):
            audit(s, comment, "system", "reports_threshold", Status.HELD, {"reports": threshold})
            touch_thread(s, comment.article_id)
        s.refresh(comment)
        return comment


def put_article(db: Database, site_id: int, external_id: str, **settings: Any) -> Article:
    """Create or update an article's title, URL and comment settings."""
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
