"""Small building blocks every store module shares: transitions, audit rows, thread versions,
and erasing a comment at its author's request."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from service.errors import NotFound
from service.models import (
    Article,
    AuditEntry,
    Base,
    Comment,
    Decision,
    Status,
    TrainingExample,
    utcnow,
)
from service.store import search_index
from service.store.db import THREAD_VERSIONS, Database

Row = TypeVar("Row", bound=Base)
# A comment out of the published thread is no editors' pick (service/store/picks.py). Set
# in the very UPDATE that moves it out, so a pick made at the same moment cannot outlive it.
UNPICKED = {"featured_at": None, "featured_by": None}


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
    columns to set in the same UPDATE (the engine's risk), not in a second one. A comment
    that leaves the published status loses its pick in it.
    """
    if to_status != Status.APPROVED:
        also = {**UNPICKED, **also}
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


# What of a reason survives its comment's erasure: what the desk's statistics count. The
# message, the spans and the rest of the detail quote the author's text (links, phone
# numbers, handles); "word" is the site's or the built-in list's entry, not the author's.
_KEPT_OF_REASON = ("code", "verdict")
_KEPT_OF_DETAIL = ("word",)


def load_row(db: Database, model: type[Row], row_id: int) -> Row:
    """Load a row by id, or raise NotFound naming its kind."""
    with db.transaction() as s:
        row = s.get(model, row_id)
        if row is None:
            raise NotFound(f"{model.__name__.lower()} not found")
        return row


def erase_comment(s: Session, comment_id: int) -> None:
    """Erase a comment's text and everything that says who wrote it; a tombstone stays.

    The row keeps its place in the thread (id, article, parent, root) so replies stay where
    they are. Every stored copy of the text goes with it: the moderators' training labels
    (a retrain would learn it again) and the engine's reasons' quotes of it.
    """
    s.execute(
        update(Comment)
        .where(Comment.id == comment_id)
        .values(
            status=Status.DELETED.value,
            body="",
            author_name="",
            author_email=None,
            author_id=None,
            ip=None,
            user_agent=None,
            updated_at=utcnow(),
            **UNPICKED,
        )
        .execution_options(synchronize_session=False)
    )
    s.execute(
        delete(TrainingExample)
        .where(TrainingExample.comment_id == comment_id)
        .execution_options(synchronize_session=False)
    )
    search_index.forget(s, comment_id)  # erased text must not be found by the desk's search
    for decision in s.scalars(select(Decision).where(Decision.comment_id == comment_id)):
        decision.reasons = [_erased_reason(r) for r in decision.reasons or []]
    edits = select(AuditEntry).where(
        AuditEntry.comment_id == comment_id, AuditEntry.action == "edit"
    )
    for entry in s.scalars(edits):  # the text before each edit (service/store/comments.py)
        entry.detail = {**(entry.detail or {}), "previous_body": ""}


def _erased_reason(reason: Any) -> dict[str, Any]:
    if not isinstance(reason, dict):
        return {}
    kept = {key: reason[key] for key in _KEPT_OF_REASON if key in reason}
    detail = reason.get("detail")
    if not isinstance(detail, dict):
        detail = {}
    words = {key: detail[key] for key in _KEPT_OF_DETAIL if key in detail}
    return {**kept, "message": "", "spans": [], "detail": words}
