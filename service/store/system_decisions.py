"""The worker's decisions, recorded: one comment's (record_system_decision) or a whole batch's
in one transaction (record_system_decisions, the worker's one write), each comment leaving
pending once however often its job runs, and only at the revision the worker read. The
batch runs on SQLAlchemy Core with statements built once: it is on every comment's way."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Float,
    Integer,
    String,
    bindparam,
    cast,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from service.models import Article, AuditEntry, Comment, Decision, Status, table_of, utcnow
from service.store import outbox, search_index
from service.store.db import Database
from service.store.decisions import VERDICT_STATUS, Outcome
from service.store.records import audit, note_thread_versions, touch_thread, transition

# Built once, like the worker's other statements: for a batch of one, building them again
# for every job cost more CPU than SQLite took to run them.
_IDS: BindParameter[int] = bindparam("ids", expanding=True)


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
        moved = comment is not None and transition(
            s, comment_id, (Status.PENDING,), status, risk=risk_of(scores)
        )
        if comment is None or not moved:
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
        search_index.store_texts(s.connection(), [comment])
        audit(s, comment, "system", "decide", status, {"engine_version": engine_version})
        if status == Status.APPROVED:
            touch_thread(s, comment.article_id)
        event = outbox.add_event(s, comment, outbox.SYSTEM_EVENTS.get(status))
        s.refresh(comment)
        return Outcome(comment, True, status, status == Status.APPROVED, webhook_event=event)


@dataclass(frozen=True)
class SystemDecision:
    """One worker decision to record (see record_system_decisions)."""

    comment: Comment
    verdict: str
    scores: dict[str, float]
    reasons: list[dict[str, Any]]
    engine_version: str


def record_system_decisions(db: Database, decisions: list[SystemDecision]) -> list[Outcome]:
    """Record many worker decisions in one transaction; each comment still leaves pending once.

    One conditional UPDATE ... RETURNING per verdict moves only the comments that are still
    pending; decision and audit rows are written for those alone, so a comment another
    worker decided meanwhile gets nothing twice.
    """
    now = utcnow()
    by_status: dict[Status, list[SystemDecision]] = {}
    for d in decisions:
        by_status.setdefault(VERDICT_STATUS[d.verdict], []).append(d)
    done: list[tuple[SystemDecision, Status]] = []
    with db.hot_writer(), db.transaction() as s:
        # Core statements on the session's connection: the ORM layer would add ~0.2 ms a
        # statement to a path that runs five per batch and needs none of its bookkeeping.
        conn = s.connection()
        for status, group in by_status.items():
            ids = [d.comment.id for d in group]
            risks = json.dumps({str(d.comment.id): risk_of(d.scores) for d in group})
            # Only edited comments are named: the rest were read at revision 0.
            read = json.dumps(
                {str(d.comment.id): d.comment.revision for d in group if d.comment.revision}
            )
            params = {
                "ids": ids,
                "new_status": status.value,
                "now": now,
                "risks": risks,
                "revisions": read,
            }
            moved = set(conn.execute(_DECIDE[conn.dialect.name], params).scalars())
            done += [(d, status) for d in group if d.comment.id in moved]
        _add_decision_rows(conn, done, now)
        search_index.store_texts(conn, [d.comment for d, _ in done])
        announced = [(d.comment, outbox.SYSTEM_EVENTS.get(status)) for d, status in done]
        events = outbox.add_events(conn, [(c, e) for c, e in announced if e])
        outcomes = [_outcome(d.comment, status, now, events) for d, status in done]
        _touch_threads(s, {o.comment.article_id for o in outcomes if o.status == Status.APPROVED})
    return outcomes


def _touch_threads(s: Session, article_ids: set[int]) -> None:
    """Bump the thread versions of many articles in one statement, locking them in id order.

    The ordered FOR UPDATE subquery (ignored by SQLite, which has one writer anyway) keeps
    two workers that publish on the same articles from deadlocking on PostgreSQL.
    """
    if article_ids:
        rows = s.connection().execute(_TOUCH_THREADS, {"ids": sorted(article_ids)})
        note_thread_versions(s, rows)


_COMMENTS, _ARTICLES = table_of(Comment), table_of(Article)
_INSERT_DECISIONS, _INSERT_AUDIT = insert(table_of(Decision)), insert(table_of(AuditEntry))


def _each_comments(dialect: str, name: str, sql_type: Any, default: float) -> ColumnElement[Any]:
    """Each comment's value, read from the batch's JSON object {"<comment id>": value} in
    the parameter `name`; `default` for a comment it does not name.

    One parameter for any batch, so the statement stays built once. A second UPDATE for the
    risk cost PostgreSQL a new version of every row and of all its index entries.
    """
    values = bindparam(name, type_=String)
    if dialect == "postgresql":
        found = func.jsonb_extract_path_text(cast(values, JSONB), cast(_COMMENTS.c.id, String))
        return func.coalesce(cast(found, sql_type), default)
    return func.coalesce(func.json_extract(values, func.printf('$."%d"', _COMMENTS.c.id)), default)


def _decide(dialect: str) -> Any:
    """Move the still-pending comments of one verdict, noting each one's risk (the desk's
    riskiest-first order); RETURNING says which moved. A comment edited since the worker
    read it keeps pending: its own job checks the new text (or the sweep queues one)."""
    return (
        update(_COMMENTS)
        .where(
            _COMMENTS.c.id.in_(_IDS),
            _COMMENTS.c.status == Status.PENDING.value,
            _COMMENTS.c.revision == _each_comments(dialect, "revisions", Integer, 0),
        )
        .values(
            status=bindparam("new_status"),
            updated_at=bindparam("now"),
            risk=_each_comments(dialect, "risks", Float, 0.0),
        )
        .returning(_COMMENTS.c.id)
    )


_DECIDE = {dialect: _decide(dialect) for dialect in ("sqlite", "postgresql")}
_TOUCH_THREADS = (
    update(_ARTICLES)
    .where(
        _ARTICLES.c.id.in_(
            select(_ARTICLES.c.id)
            .where(_ARTICLES.c.id.in_(_IDS))
            .order_by(_ARTICLES.c.id)
            .with_for_update()
            .scalar_subquery()
        )
    )
    .values(thread_version=_ARTICLES.c.thread_version + 1)
    .returning(_ARTICLES.c.id, _ARTICLES.c.thread_version)
)


def _add_decision_rows(
    conn: Connection, done: list[tuple[SystemDecision, Status]], now: datetime
) -> None:
    if not done:
        return
    conn.execute(
        _INSERT_DECISIONS,
        [
            {
                "comment_id": d.comment.id,
                "verdict": d.verdict,
                "scores": d.scores,
                "reasons": d.reasons,
                "engine_version": d.engine_version,
                "decided_by": "system",
                "note": "",
                "created_at": now,
            }
            for d, _ in done
        ],
    )
    conn.execute(
        _INSERT_AUDIT,
        [
            {
                "site_id": d.comment.site_id,
                "comment_id": d.comment.id,
                "actor": "system",
                "action": "decide",
                "from_status": Status.PENDING.value,
                "to_status": status.value,
                "detail": {"engine_version": d.engine_version},
                "created_at": now,
            }
            for d, status in done
        ],
    )


def risk_of(scores: dict[str, float]) -> float:
    """The engine's higher score, spam or abuse: what the desk's riskiest-first sorts by."""
    return max(float(scores.get("spam", 0.0)), float(scores.get("abuse", 0.0)))


def _outcome(comment: Comment, status: Status, now: datetime, events: dict[int, int]) -> Outcome:
    comment.status = status.value
    comment.updated_at = now
    event = events.get(comment.id)
    return Outcome(comment, True, status, status == Status.APPROVED, webhook_event=event)
