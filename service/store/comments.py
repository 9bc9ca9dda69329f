"""A stored comment as its site reads and changes it: reading it, its author's edit and
erasure, and readers' reports (enough of them send a published comment back to review).
Another site's comment answers exactly as a missing one. A new comment's intake is in
new_comments.py and group_commit.py, articles in articles.py."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from service.errors import Conflict, NotFound
from service.models import Article, Comment, Report, Site, Status, utcnow
from service.site_config import site_config
from service.store import outbox
from service.store.articles import ArticleClosed
from service.store.db import Database
from service.store.records import UNPICKED, audit, erase_comment, touch_thread, transition

REPORTABLE = (Status.APPROVED,)


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
        erase_comment(s, comment_id)
        # Always: a deleted comment may become a visible tombstone over published replies.
        touch_thread(s, comment.article_id)
        s.refresh(comment)
        return comment


@dataclass(frozen=True)
class Edited:
    """An edit as stored: the comment now, whether its text changed, whether it must be
    queued for a check (it was decided; a pending one has its job), the webhook event."""

    comment: Comment
    article_external_id: str
    changed: bool
    needs_check: bool
    webhook_event: int | None


def edit_comment(db: Database, site_id: int, comment_id: int, body: str) -> Edited:
    """Replace a comment's text at its author's request; it goes back to pending, to be
    checked again, and leaves the published thread until then.

    The text before is kept in the audit entry, for the moderator who finds a comment
    approved as one thing and edited into another (and erased with the comment).
    """
    text = unicodedata.normalize("NFC", body)
    with db.transaction() as s:
        comment, article = _owned(s, site_id, comment_id)
        if comment.status == Status.DELETED.value:
            raise Conflict("comment was deleted at its author's request")
        if article.closed:
            raise ArticleClosed("comments on this article are closed")
        if comment.body == text:  # sent again: nothing to check again
            return Edited(comment, article.external_id, False, False, None)
        was = comment.status
        audit(s, comment, "site", "edit", Status.PENDING, {"previous_body": comment.body})
        comment.body = text
        comment.status = Status.PENDING.value
        comment.revision = Comment.revision + 1  # in SQL: two edits at once count two
        comment.updated_at = utcnow()
        # Named whatever they hold now: a pick made since this read must go too.
        s.execute(update(Comment).where(Comment.id == comment.id).values(**UNPICKED))
        event = None
        if was == Status.APPROVED.value:
            touch_thread(s, comment.article_id)  # it leaves the published thread
            event = outbox.add_event(s, comment, outbox.UNPUBLISHED)
        s.flush()
        s.refresh(comment)
        return Edited(comment, article.external_id, True, was != Status.PENDING.value, event)


def report_comment(
    db: Database, site_id: int, comment_id: int, reason: str, note: str = ""
) -> Comment:
    """Record a reader's report; enough reports send a published comment back to review."""
    with db.transaction() as s:
        comment, _ = _owned(s, site_id, comment_id)
        if comment.status == Status.DELETED.value:  # erased: nothing is left to report
            raise Conflict("comment was deleted at its author's request")
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
