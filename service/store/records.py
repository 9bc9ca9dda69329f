"""Small building blocks every store module shares: transitions, audit rows, thread versions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from service.models import Article, AuditEntry, Comment, Status, utcnow
from service.store.db import THREAD_VERSIONS


def transition(
    s: Session,
    comment_id: int,
    from_statuses: Iterable[Status],
    to_status: Status,
    **also: Any,
) -> bool:
    """Move a comment to a new status only if it is in one of the expected ones.

    The WHERE on the current status makes the change atomic: of two workers or two
    moderators racing on the same comment, exactly one sees rowcount 1. `also` are other
    columns to set in the same UPDATE (the engine's risk), not in a second one.
    """
    result = s.execute(
        update(Comment)
        .where(Comment.id == comment_id, Comment.status.in_([st.value for st in from_statuses]))
        .values(status=to_status.value, updated_at=utcnow(), **also)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def audit(
    s: Session,
    comment: Comment | None,
    actor: str,
    action: str,
    to_status: Status | None = None,
    detail: dict[str, Any] | None = None,
    site_id: int | None = None,
) -> None:
    """Append one row to the audit log."""
    s.add(
        AuditEntry(
            site_id=comment.site_id if comment else site_id,
            comment_id=comment.id if comment else None,
            actor=actor,
            action=action,
            from_status=comment.status if comment else None,
            to_status=to_status.value if to_status else None,
            detail=detail or {},
        )
    )


def touch_thread(s: Session, article_id: int) -> None:
    """Bump the article's thread version so readers' ETags change."""
    bumped = s.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(thread_version=Article.thread_version + 1)
        .returning(Article.id, Article.thread_version)
        .execution_options(synchronize_session=False)
    )
    note_thread_versions(s, bumped)


def note_thread_versions(s: Session, rows: Iterable[Any]) -> None:
    """Remember (article id, new version) rows; after commit the Database hands them on."""
    noted: dict[int, int] = s.info.setdefault(THREAD_VERSIONS, {})
    for article_id, version in rows:
        noted[article_id] = max(version, noted.get(article_id, 0))


def is_published(status: str) -> bool:
    return status == Status.APPROVED.value
