"""The webhook outbox: events written with the decisions they announce, then delivered.

A decision and its event commit together (add_event, add_events), so a committed decision
always has its event, whatever happens to the delivery job in Redis. The job takes the
event for one attempt (claim), sends it and records how it went (record_attempt, drop);
the sweep queues again the events that are due (due_event_ids): first attempts whose job
was lost, and retries after their backoff. Finished events are forgotten after
FINISHED_KEPT (prune_finished); each attempt is also in the comment's audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from service.models import AuditEntry, Comment, Site, Status, WebhookEvent, table_of, utcnow
from service.store.db import Database
from service.store.delivery import CommentTarget, load_target

WAITING, DELIVERED, DROPPED, REFUSED, FAILED = (
    "waiting",
    "delivered",
    "dropped",
    "refused",
    "failed",
)
PUBLISHED, REJECTED, UNPUBLISHED = "comment.published", "comment.rejected", "comment.unpublished"
# The worker's decisions that a site hears of: spam is kept out quietly, held waits.
SYSTEM_EVENTS = {Status.APPROVED: PUBLISHED, Status.REJECTED: REJECTED}
# Wait before each retry: about 10 s, 1 min, 5 min, 30 min, 2 h, then 2 h each.
BACKOFF_SECONDS = (10, 60, 300, 1800, 7200)
FINISHED_KEPT = timedelta(days=30)
PRUNE_BATCH = 1000

_EVENTS = table_of(WebhookEvent)
_HOOKED_SITES = select(Site.id).where(
    Site.id.in_(bindparam("site_ids", expanding=True)), Site.webhook_url.is_not(None)
)
# The ids come back with their comment ids, so their order does not matter.
_INSERT_EVENTS = insert(_EVENTS).returning(_EVENTS.c.id, _EVENTS.c.comment_id)


def moderator_event(action: str, published_changed: bool, rejected_before: bool) -> str | None:
    """The event a moderator's decision sends: published when it publishes, rejected when
    it keeps out a comment the site was not told of as rejected already."""
    if action == "approve":
        return PUBLISHED if published_changed else None
    return None if rejected_before else REJECTED


def undo_event(published_changed: bool, restored: Status) -> str | None:
    """The event an undo sends: only a change of what readers see is news to the site."""
    if not published_changed:
        return None
    return PUBLISHED if restored == Status.APPROVED else UNPUBLISHED


def add_event(s: Session, comment: Comment, event: str | None) -> int | None:
    """Add the event in the caller's transaction if the comment's site has a webhook;
    return its id, which the caller queues after the commit."""
    if event is None:
        return None
    site = s.get(Site, comment.site_id)
    if site is None or not site.webhook_url:
        return None
    row = WebhookEvent(site_id=comment.site_id, comment_id=comment.id, event=event)
    s.add(row)
    s.flush()
    return int(row.id)


def add_event_now(db: Database, comment_id: int, event: str) -> int | None:
    """Add an event in a transaction of its own (an event whose decision is long recorded)."""
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        return add_event(s, comment, event) if comment is not None else None


def add_events(conn: Connection, events: list[tuple[Comment, str]]) -> dict[int, int]:
    """Add many comments' events in the caller's transaction, for the sites with a webhook
    now (read in the same transaction: a webhook saved while the engine ran still hears of
    the batch); return {comment id: event id}."""
    if not events:
        return {}
    site_ids = sorted({comment.site_id for comment, _ in events})
    hooked = set(conn.execute(_HOOKED_SITES, {"site_ids": site_ids}).scalars())
    now = utcnow()
    rows = [
        {
            "site_id": comment.site_id,
            "comment_id": comment.id,
            "event": event,
            "state": WAITING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for comment, event in events
        if comment.site_id in hooked
    ]
    if not rows:
        return {}
    return {comment_id: event_id for event_id, comment_id in conn.execute(_INSERT_EVENTS, rows)}


@dataclass(frozen=True)
class ClaimedEvent:
    """An event taken for one attempt, with the comment as it is now."""

    id: int
    event: str
    attempt: int  # this attempt's number, from 1
    target: CommentTarget


def claim(db: Database, event_id: int, hold: timedelta, retries: int) -> ClaimedEvent | None:
    """Take a waiting event for one attempt if it is due and has attempts left: count the
    attempt and move its next one past the delivery's deadline (`hold`) and past this
    attempt's backoff, so the sweep leaves it alone while it is in flight and, if the worker
    dies or the attempt ends in an error nobody caught, takes it again only after the
    backoff. None if it is finished, not due (a duplicate job, or another worker has it) or
    out of attempts (the sweep gives it up).

    A first attempt is always due: the worker's clock may lag the one that wrote it.
    """
    now = utcnow()
    taken = (
        update(WebhookEvent)
        .where(
            WebhookEvent.id == event_id,
            WebhookEvent.state == WAITING,
            WebhookEvent.attempts <= retries,
            or_(WebhookEvent.attempts == 0, WebhookEvent.next_attempt_at <= now),
        )
        .values(attempts=WebhookEvent.attempts + 1, next_attempt_at=now + hold, updated_at=now)
        .returning(WebhookEvent.attempts, WebhookEvent.event, WebhookEvent.comment_id)
    )
    with db.transaction() as s:
        row = s.execute(taken).first()
        if row is not None and retry_delay(row.attempts) > hold:
            later = update(WebhookEvent).where(WebhookEvent.id == event_id)
            s.execute(later.values(next_attempt_at=now + retry_delay(row.attempts)))
    if row is None:
        return None
    target = load_target(db, row.comment_id)
    if target is None:  # the comment is gone with its event (a cascade): nothing to send
        return None
    return ClaimedEvent(event_id, row.event, row.attempts, target)


def give_up_exhausted(db: Database, retries: int) -> list[str]:
    """Finish as failed the waiting events with no attempt left (their last attempt died
    before it could say so); return their event names, for the given-up metric."""
    exhausted = select(WebhookEvent.id, WebhookEvent.event).where(
        WebhookEvent.state == WAITING,
        WebhookEvent.next_attempt_at <= utcnow(),
        WebhookEvent.attempts > retries,
    )
    with db.transaction() as s:
        rows = s.execute(exhausted.limit(PRUNE_BATCH)).all()
        for row in rows:
            _settle(
                s, row.id, FAILED, "no attempt left: the last one ended without an answer", None
            )
    return [row.event for row in rows]


def record_attempt(
    db: Database,
    claimed: ClaimedEvent,
    state: str,
    detail: dict[str, Any],
    retry_at: datetime | None,
) -> None:
    """Record an attempt's outcome on the event and in the comment's audit log, together."""
    action = "webhook_delivered" if state == DELIVERED else "webhook_failed"
    comment = claimed.target.comment
    with db.transaction() as s:
        _settle(s, claimed.id, state, str(detail.get("status", ""))[:200], retry_at)
        s.add(
            AuditEntry(
                site_id=comment.site_id,
                comment_id=comment.id,
                actor="system",
                action=action,
                detail={"event": claimed.event, "attempt": claimed.attempt, **detail},
            )
        )


def drop(db: Database, claimed: ClaimedEvent, why: str) -> None:
    """Finish an event that no longer needs sending (stale, or the site has no webhook now)."""
    with db.transaction() as s:
        _settle(s, claimed.id, DROPPED, why[:200], None)


def _settle(s: Session, event_id: int, state: str, status: str, retry_at: datetime | None) -> None:
    now = utcnow()
    values: dict[str, Any] = {"state": state, "last_status": status, "updated_at": now}
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    s.execute(update(WebhookEvent).where(WebhookEvent.id == event_id).values(**values))


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt` (from 1)."""
    return timedelta(seconds=BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1])


def due_event_ids(
    db: Database, first_attempt_age: timedelta, retries: int, limit: int = 500
) -> list[int]:
    """The waiting events the sweep should queue: retries whose time has come, and first
    attempts older than first_attempt_age (their job, queued at the commit, was lost);
    never one without an attempt left (see give_up_exhausted)."""
    now = utcnow()
    due = and_(WebhookEvent.attempts > 0, WebhookEvent.next_attempt_at <= now)
    lost = and_(WebhookEvent.attempts == 0, WebhookEvent.next_attempt_at <= now - first_attempt_age)
    query = (
        select(WebhookEvent.id)
        .where(
            WebhookEvent.state == WAITING,
            WebhookEvent.next_attempt_at <= now,
            WebhookEvent.attempts <= retries,
            or_(due, lost),
        )
        .order_by(WebhookEvent.next_attempt_at)
        .limit(limit)
    )
    with db.transaction() as s:
        return list(s.scalars(query))


def backlog(db: Database) -> tuple[int, datetime | None]:
    """How many events are waiting, and when the oldest of them was written."""
    query = select(func.count(), func.min(WebhookEvent.created_at)).where(
        WebhookEvent.state == WAITING
    )
    with db.transaction() as s:
        count, oldest = s.execute(query).one()
    return int(count), oldest


def prune_finished(db: Database, kept: timedelta = FINISHED_KEPT) -> int:
    """Forget up to PRUNE_BATCH events finished longer ago than `kept`; return how many."""
    old = (
        select(WebhookEvent.id)
        .where(WebhookEvent.updated_at < utcnow() - kept, WebhookEvent.state != WAITING)
        .limit(PRUNE_BATCH)
    )
    with db.transaction() as s:
        ids = list(s.scalars(old))
        if ids:
            s.execute(delete(WebhookEvent).where(WebhookEvent.id.in_(ids)))
    return len(ids)
