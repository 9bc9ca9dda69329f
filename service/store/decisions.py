"""Decisions on comments: the worker's, the moderators', and what both need to make them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from service.errors import Conflict, NotFound
from service.models import Article, Ban, Comment, Decision, Site, Status, TrainingExample, utcnow
from service.site_config import site_config
from service.store.db import Database
from service.store.records import audit, touch_thread, transition

VERDICT_STATUS = {
    "approve": Status.APPROVED,
    "hold": Status.HELD,
    "spam": Status.SPAM,
    "reject": Status.REJECTED,
}
# A moderator may overrule any decided state; pending belongs to the worker, deleted is final.
MODERATABLE = (Status.HELD, Status.APPROVED, Status.SPAM, Status.REJECTED)
TRAINING_LABEL = {"approve": "ham", "spam": "spam", "reject": "abuse"}
HISTORY_WINDOW = timedelta(days=90)


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


@dataclass(frozen=True)
class Outcome:
    """What a recorded decision changed, for the caller's follow-up (webhook, learning)."""

    comment: Comment
    decided: bool
    status: Status
    published_changed: bool


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


def _author_clause(comment: Comment) -> Any:
    clauses = []
    if comment.author_email:
        clauses.append(Comment.author_email == comment.author_email)
    if comment.author_id:
        clauses.append(Comment.author_id == comment.author_id)
    return or_(*clauses) if clauses else None


def _author_history(s: Session, comment: Comment) -> tuple[int, int]:
    author = _author_clause(comment)
    if author is None:
        return 0, 0
    rows = s.execute(
        select(Comment.status, func.count())
        .where(
            Comment.site_id == comment.site_id,
            author,
            Comment.id != comment.id,
            Comment.created_at >= utcnow() - HISTORY_WINDOW,
        )
        .group_by(Comment.status)
    ).all()
    counts = {status: n for status, n in rows}
    rejected = counts.get(Status.REJECTED.value, 0) + counts.get(Status.SPAM.value, 0)
    return counts.get(Status.APPROVED.value, 0), rejected


def _active_bans(s: Session, comment: Comment) -> tuple[str, ...]:
    candidates = {"email": comment.author_email, "author": comment.author_id, "ip": comment.ip}
    wanted = [(kind, value) for kind, value in candidates.items() if value]
    if not wanted:
        return ()
    now = utcnow()
    kinds = s.scalars(
        select(Ban.kind).where(
            Ban.site_id == comment.site_id,
            or_(*[(Ban.kind == kind) & (Ban.value == value) for kind, value in wanted]),
            or_(Ban.expires_at.is_(None), Ban.expires_at > now),
        )
    ).all()
    return tuple(sorted(set(kinds)))


def record_system_decision(
    db: Database,
    comment_id: int,
    verdict: str,
    scores: dict[str, float],
    reasons: list[dict[str, Any]],
    engine_version: str,
) -> Outcome | None:
    """Record the worker's decision if the comment is still pending; None if it was not."""
    status = VERDICT_STATUS[verdict]
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        if comment is None or not transition(s, comment_id, (Status.PENDING,), status):
            return None  # decided already (a retried or duplicated job): decide nothing twice
        s.add(
            Decision(
                comment_id=comment_id,
                verdict=verdict,
                scores=scores,
                reasons=reasons,
                engine_version=engine_version,
                decided_by="system",
            )
        )
        audit(s, comment, "system", "decide", status, {"engine_version": engine_version})
        if status == Status.APPROVED:
            touch_thread(s, comment.article_id)
        s.refresh(comment)
        return Outcome(comment, True, status, status == Status.APPROVED)


def moderator_decide(
    db: Database,
    comment_id: int,
    action: str,
    moderator: str,
    note: str = "",
    site_ids: tuple[int, ...] | None = None,
) -> Outcome:
    """Apply a moderator's approve / reject / spam, audit it, and keep it as a training label."""
    status = VERDICT_STATUS[action]
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        if comment is None or (site_ids is not None and comment.site_id not in site_ids):
            raise NotFound("comment not found")
        before = comment.status
        if not transition(s, comment_id, MODERATABLE, status):
            raise Conflict(f"a comment that is {before} cannot be moderated")
        actor = f"moderator:{moderator}"
        s.add(Decision(comment_id=comment_id, verdict=action, decided_by=actor, note=note))
        audit(s, comment, actor, action, status, {"note": note} if note else None)
        s.add(_training_example(comment, action, actor))
        changed = (before == Status.APPROVED.value) != (status == Status.APPROVED)
        if changed:
            touch_thread(s, comment.article_id)
        s.refresh(comment)
        return Outcome(comment, True, status, changed)


def _training_example(comment: Comment, action: str, actor: str) -> TrainingExample:
    return TrainingExample(
        site_id=comment.site_id,
        comment_id=comment.id,
        text=comment.body,
        label=TRAINING_LABEL[action],
        source=actor,
    )


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


def add_ban(
    db: Database,
    site_id: int,
    kind: str,
    value: str,
    actor: str,
    reason: str = "",
    expires_in: timedelta | None = None,
) -> Ban:
    """Ban an email, author id or IP on one site, for a while or for good."""
    with db.transaction() as s:
        ban = Ban(
            site_id=site_id,
            kind=kind,
            value=value,
            reason=reason,
            created_by=actor,
            expires_at=utcnow() + expires_in if expires_in else None,
        )
        s.add(ban)
        audit(s, None, actor, "ban", None, {"kind": kind, "value": value}, site_id=site_id)
        s.flush()
        return ban
