"""The desk's cards: a comment as the queue shows it (DeskItem) with its article, parent, the
engine's decision, the latest decision by anyone, and why readers reported it; loaded for a
page in a few queries (load_items), or one at a time (desk_item). The queue, the text search
and the author page show these."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from service.errors import NotFound
from service.models import Article, Comment, Decision, Report
from service.scopes import EVERYTHING, Scope, comment_in_scope
from service.store.db import Database

SYSTEM = "system"  # who decided: the engine
REPORT_NOTES = 3  # the latest readers' notes a card shows


@dataclass(frozen=True)
class ReportNote:
    reason: str
    note: str
    created_at: datetime


@dataclass
class ReportSummary:
    """Why readers reported a comment: each reason counted, and their latest notes."""

    reasons: dict[str, int] = field(default_factory=dict)
    notes: list[ReportNote] = field(default_factory=list)  # newest first, REPORT_NOTES at most


@dataclass(frozen=True)
class DeskItem:
    """One card of the queue: the comment, its article, parent, decisions and reports."""

    comment: Comment
    article: Article
    system: Decision | None  # the engine's decision: reasons, spans, scores
    latest: Decision | None  # the most recent decision by anyone
    parent: Comment | None
    reports: ReportSummary | None = None  # None: no reader reported it


def load_items(s: Session, ids: list[int]) -> list[DeskItem]:
    """The cards of these comments, in this order."""
    query_rows = select(Comment, Article).join(Article, Article.id == Comment.article_id)
    rows = s.execute(query_rows.where(Comment.id.in_(ids))).all() if ids else []
    loaded = {row[0].id: (row[0], row[1]) for row in rows}
    return _items(s, [loaded[i] for i in ids if i in loaded])


def _items(s: Session, rows: list[tuple[Comment, Article]]) -> list[DeskItem]:
    by_comment = decisions_of(s, [c.id for c, _ in rows])
    parent_ids = [c.parent_id for c, _ in rows if c.parent_id]
    parents = (
        {c.id: c for c in s.scalars(select(Comment).where(Comment.id.in_(parent_ids)))}
        if parent_ids
        else {}
    )
    reports = _reports_of(s, [c.id for c, _ in rows if c.report_count])
    items = []
    for comment, article in rows:
        decisions = by_comment.get(comment.id, [])
        system = next((d for d in decisions if d.decided_by == SYSTEM), None)
        latest = decisions[-1] if decisions else None
        parent = parents.get(comment.parent_id or -1)
        items.append(DeskItem(comment, article, system, latest, parent, reports.get(comment.id)))
    return items


def _reports_of(s: Session, ids: list[int]) -> dict[int, ReportSummary]:
    """Count each comment's reports by reason and keep its latest notes, in one query for a
    page: a row per (comment, reason) carries the count, plus the rows of the latest notes."""
    if not ids:
        return {}
    by_reason = (Report.comment_id, Report.reason)
    no_note = case((Report.note == "", 1), else_=0)
    ranked = (
        select(
            Report.comment_id,
            Report.reason,
            Report.note,
            Report.created_at,
            func.count().over(partition_by=by_reason).label("n"),
            func.row_number()
            .over(partition_by=by_reason, order_by=Report.id.desc())
            .label("of_reason"),
            func.row_number()
            .over(partition_by=Report.comment_id, order_by=(no_note, Report.id.desc()))
            .label("of_notes"),
        )
        .where(Report.comment_id.in_(ids))
        .subquery()
    )
    kept = or_(
        ranked.c.of_reason == 1, and_(ranked.c.note != "", ranked.c.of_notes <= REPORT_NOTES)
    )
    found: dict[int, ReportSummary] = defaultdict(ReportSummary)
    for row in s.execute(select(ranked).where(kept).order_by(ranked.c.of_notes)):
        summary = found[row.comment_id]
        if row.of_reason == 1:
            summary.reasons[row.reason] = row.n
        if row.note and row.of_notes <= REPORT_NOTES:
            summary.notes.append(ReportNote(row.reason, row.note, row.created_at))
    for summary in found.values():  # most given reason first
        summary.reasons = dict(sorted(summary.reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    return dict(found)


def decisions_of(s: Session, ids: list[int]) -> dict[int, list[Decision]]:
    """Every decision on each of these comments, oldest first, in one query."""
    found: dict[int, list[Decision]] = defaultdict(list)
    if ids:
        query = select(Decision).where(Decision.comment_id.in_(ids)).order_by(Decision.id)
        for d in s.scalars(query):
            found[d.comment_id].append(d)
    return found


def desk_item(db: Database, comment_id: int, scope: Scope = EVERYTHING) -> DeskItem:
    """Load one comment as a queue card, or raise NotFound (also when out of scope)."""
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        if comment is None or not comment_in_scope(s, comment, scope):
            raise NotFound("comment not found")
        article = s.get(Article, comment.article_id)
        assert article is not None
        return _items(s, [(comment, article)])[0]
