"""A new comment, stored: what the site sends (NewComment), the row intake writes for it, its
thread root, its article (created with its first comment), and an idempotent retry told from
a different comment sent under a used key. submit_comment stores one comment in a
transaction of its own; intake's group commit (group_commit.py) stores a batch with the same
pieces, and falls back to submit_comment one comment at a time."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.errors import DuyetError
from service.models import Article, Comment, Site, Status, utcnow
from service.site_config import site_config
from service.store.articles import ArticleClosed
from service.store.db import Database

ColumnsRow = Any  # a Core row of the columns a lookup selected, read by attribute


class InvalidParent(DuyetError):
    status = 422
    code = "invalid_parent"


class IdempotencyKeyReused(DuyetError):
    """The key names a stored comment, and this request sends a different one (as Stripe)."""

    status = 422
    code = "idempotency_key_reused"


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
    article_section: str | None = None


def ensure_article(s: Session, site_id: int, new: NewComment) -> Article:
    """Return the comment's article, created with the site's defaults if this is its first."""
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
        section=new.article_section,
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


def thread_root(
    parents: Mapping[int, Comment | ColumnsRow],
    site_id: int,
    article: Article | ColumnsRow,
    new: NewComment,
) -> int | None:
    """Return the thread root a reply belongs to (None for a root comment)."""
    if new.parent_id is None:
        return None
    parent = parents.get(new.parent_id)
    if parent is None or parent.site_id != site_id or parent.article_id != article.id:
        raise InvalidParent(
            "parent_id must name a comment of the same article",
            {"parent_id": ["Unknown comment for this article."]},
        )
    return parent.root_id or parent.id


def with_article_ids() -> Select[Comment, str]:
    """Comments with their article's external id: what a replay is compared with."""
    return select(Comment, Article.external_id).join(Article, Article.id == Comment.article_id)


def _by_idempotency_key(s: Session, site_id: int, key: str) -> tuple[Comment, str] | None:
    found = s.execute(
        with_article_ids().where(Comment.site_id == site_id, Comment.idempotency_key == key)
    ).first()
    return (found[0], found[1]) if found else None


# What a replay must send again to be one: every field the comment row keeps. The article's
# title, URL and section are not kept per comment (they name the article, set on its first
# comment).
_REPLAYED = ("parent_id", "author_name", "author_email", "author_id", "ip", "user_agent")


def replayed(comment: Comment, article_external_id: str, new: NewComment) -> Submitted:
    """Answer a retry with the comment its key stored; refuse a different comment."""
    if not _sends_again(comment, article_external_id, new):
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different comment; use a new key.",
            {"Idempotency-Key": ["Already used with other fields."]},
        )
    return comment, False


def _sends_again(comment: Comment, article_external_id: str, new: NewComment) -> bool:
    if article_external_id != new.article_id or comment.parent_id != new.parent_id:
        return False
    if comment.status == Status.DELETED.value:
        return True  # erased at its author's request: only its place is left to compare
    if comment.body != unicodedata.normalize("NFC", new.body):  # stored as NFC
        return False
    return all(getattr(comment, name) == getattr(new, name) for name in _REPLAYED)


@dataclass(slots=True)
class StoredComment:
    """A comment intake has just inserted, as plain attributes named like Comment's columns.

    Building an ORM instance per comment cost intake's writer more than the INSERT itself
    (SQLAlchemy instruments every attribute it sets), and nothing here needs its state.
    """

    id: int
    site_id: int
    article_id: int
    parent_id: int | None
    root_id: int | None
    author_name: str
    author_email: str | None
    author_id: str | None
    ip: str | None
    user_agent: str | None
    body: str
    idempotency_key: str | None
    status: str
    report_count: int
    created_at: datetime
    updated_at: datetime


# The comment, and False when it was an idempotent replay.
Submitted = tuple[Comment | StoredComment, bool]


def submit_comment(
    db: Database, site_id: int, new: NewComment, idempotency_key: str | None = None
) -> Submitted:
    """Store a comment as pending; return it and whether it is new (False: idempotent replay)."""
    try:
        with db.transaction() as s:
            if idempotency_key and (seen := _by_idempotency_key(s, site_id, idempotency_key)):
                return replayed(*seen, new)
            comment = _insert(s, site_id, new, idempotency_key)
            return comment, True
    except IntegrityError:
        if not idempotency_key:
            raise
        with db.transaction() as s:  # lost a race with the same key: answer with the winner
            seen = _by_idempotency_key(s, site_id, idempotency_key)
            if seen is None:
                raise
            return replayed(*seen, new)


def _insert(s: Session, site_id: int, new: NewComment, idempotency_key: str | None) -> Comment:
    article = ensure_article(s, site_id, new)
    parent = s.get(Comment, new.parent_id) if new.parent_id is not None else None
    parents = {parent.id: parent} if parent is not None else {}
    values = comment_row(
        site_id, new, idempotency_key, article, thread_root(parents, site_id, article, new)
    )
    # One INSERT ... RETURNING id instead of the unit of work's flush: intake's hottest line.
    comment_id = s.scalar(insert(Comment).values(values).returning(Comment.id))
    return Comment(id=comment_id, **values)


def comment_row(
    site_id: int,
    new: NewComment,
    idempotency_key: str | None,
    article: Article | ColumnsRow,
    root: int | None,
) -> dict[str, Any]:
    """Return the new comment's column values; raise if its article takes no comments."""
    if article.closed:
        raise ArticleClosed("comments on this article are closed")
    now = utcnow()
    return {
        "site_id": site_id,
        "article_id": article.id,
        "parent_id": new.parent_id,
        "root_id": root,
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
