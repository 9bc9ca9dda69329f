"""Editors' picks: a moderator features a published comment, and the thread lists the picks.

A pick belongs to the published thread: only an approved comment can be featured, and
every change that takes a comment out of the thread (a moderator's reject or spam, an undo,
its author's edit or erasure, enough reports) clears its pick in the transaction that
moves it, a status change in its very UPDATE (service/store/records.py, UNPICKED), so a
pick made at the same moment cannot outlive it. A pick lost so is not given back when the
comment returns: a moderator features it again. Featuring and unfeaturing change what
readers see, so both bump the article's thread version (its ETag and cached pages).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.errors import Conflict, NotFound
from service.models import Article, Comment, Status, utcnow
from service.scopes import EVERYTHING, Scope, comment_in_scope
from service.store.db import Database
from service.store.reading import ThreadNode, ThreadPage, encode_position, keyset
from service.store.records import UNPICKED, audit, touch_thread

PICK_ACTIONS = ("feature", "unfeature")  # what the audit log calls them


class NotPublished(Conflict):
    """Only a comment in the published thread can be featured."""

    code = "not_published"

    def __init__(self, current: str) -> None:
        super().__init__(
            f"only a published comment can be featured; this one is {current}",
            {"status": [f"The comment is {current}."]},
        )
        self.current = current


def feature(db: Database, comment_id: int, moderator: str, scope: Scope = EVERYTHING) -> Comment:
    """Make a published comment an editors' pick, audited; featured already changes nothing.

    A comment out of the moderator's scope is not found; one that is not published (held,
    rejected, deleted, back to pending after an edit) raises NotPublished.
    """
    actor = f"moderator:{moderator}"
    with db.transaction() as s:
        comment = _in_scope(s, comment_id, scope)
        # The WHERE keeps the check race-free: a comment rejected meanwhile is not picked.
        picked = s.execute(
            update(Comment)
            .where(
                Comment.id == comment_id,
                Comment.status == Status.APPROVED.value,
                Comment.featured_at.is_(None),
            )
            .values(featured_at=utcnow(), featured_by=actor)
            .execution_options(synchronize_session=False)
        )
        s.refresh(comment)
        if picked.rowcount != 1:  # type: ignore[attr-defined]
            return _picked_already(comment)
        audit(s, comment, actor, "feature")
        touch_thread(s, comment.article_id)
        return comment


def unfeature(db: Database, comment_id: int, moderator: str, scope: Scope = EVERYTHING) -> Comment:
    """Take a comment's pick away, audited; a comment that has none changes nothing."""
    actor = f"moderator:{moderator}"
    with db.transaction() as s:
        comment = _in_scope(s, comment_id, scope)
        dropped = s.execute(
            update(Comment)
            .where(Comment.id == comment_id, Comment.featured_at.is_not(None))
            .values(**UNPICKED)
            .execution_options(synchronize_session=False)
        )
        s.refresh(comment)
        if dropped.rowcount == 1:  # type: ignore[attr-defined]
            audit(s, comment, actor, "unfeature")
            touch_thread(s, comment.article_id)
        return comment


def _in_scope(s: Session, comment_id: int, scope: Scope) -> Comment:
    comment = s.get(Comment, comment_id)
    if comment is None or not comment_in_scope(s, comment, scope):
        raise NotFound("comment not found")  # out of scope: as if missing
    return comment


def _picked_already(comment: Comment) -> Comment:
    """Nothing was picked: featured already (another moderator's click too), or not published."""
    if comment.featured_at is not None:
        return comment
    raise NotPublished(comment.status)


def picks_page(
    db: Database, article: Article, newest_first: bool, limit: int, cursor: str | None
) -> ThreadPage:
    """Return a page of an article's picks, by the moment each was picked, without replies."""
    query = select(Comment).where(
        Comment.article_id == article.id,
        Comment.featured_at.is_not(None),
        Comment.status == Status.APPROVED.value,
    )
    query = keyset(query, Comment.featured_at, cursor, newest_first)
    with db.transaction() as s:
        found = list(s.scalars(query.limit(limit + 1)))
    page, more = found[:limit], len(found) > limit
    last = page[-1] if more and page else None
    next_cursor = encode_position(last.featured_at, last.id) if last and last.featured_at else None
    return ThreadPage([ThreadNode(c) for c in page], next_cursor)
