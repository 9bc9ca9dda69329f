"""What the moderator's desk reads and changes beyond the moderation API: tabs, authors, undo."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Text

from service.errors import Conflict, DuyetError, NotFound
from service.folding import text_matcher
from service.ids import is_id
from service.models import (
    Article,
    AuditEntry,
    Ban,
    Comment,
    Decision,
    Report,
    Site,
    Status,
    TrainingExample,
    utcnow,
)
from service.scopes import EVERYTHING, Scope, comment_conditions, comment_in_scope
from service.store import outbox
from service.store.db import Database
from service.store.decisions import relabel
from service.store.records import audit, touch_thread, transition

TABS = ("held", "reported", "pending", "approved", "spam", "rejected")
READ_ONLY_TABS = ("pending",)  # the worker decides these: no moderator action
ORDERS = ("oldest", "newest", "riskiest")
AUTHOR_KINDS = ("author", "email", "ip")
SYSTEM = "system"
MODERATOR_ACTIONS = ("approve", "reject", "spam")
RECENT_PER_AUTHOR = 3
REPORT_NOTES = 3  # the latest readers' notes a card shows
SEARCH_WINDOW = 2_000  # comments a text search reads per step, newest first
EVERY_STATUS = "all"  # not a tab: the search box's every status (service/store/fulltext.py)


class BadDeskCursor(DuyetError):
    code = "bad_cursor"


class UndoRefused(Conflict):
    """Undo cannot put this comment back; `why` names the reason for the desk's words."""

    def __init__(self, why: str, message: str) -> None:
        super().__init__(message)
        self.why = why  # not_latest, too_late or changed


@dataclass(frozen=True)
class QueueFilter:
    """Which comments a queue tab shows."""

    tab: str = "held"
    site_ids: tuple[int, ...] | None = None
    article: str | None = None  # the site's own article id
    reason: str | None = None  # a reason code of the system decision
    section: str | None = None  # the site's own section of the article
    scope: Scope = EVERYTHING  # what the moderator may see (service/scopes.py)


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


@dataclass
class AuthorSummary:
    """What the desk shows about an author next to each of their comments."""

    kind: str
    value: str
    counts: dict[str, int] = field(default_factory=dict)
    recent: list[Comment] = field(default_factory=list)

    @property
    def approved(self) -> int:
        return self.counts.get(Status.APPROVED.value, 0)

    @property
    def rejected(self) -> int:
        return self.counts.get(Status.REJECTED.value, 0) + self.counts.get(Status.SPAM.value, 0)


def author_key(comment: Comment) -> tuple[str, str] | None:
    """Return how the desk identifies a comment's author: site author id, else email."""
    if comment.author_id:
        return "author", comment.author_id
    if comment.author_email:
        return "email", comment.author_email
    return None


def _author_column(kind: str) -> Any:
    return {"author": Comment.author_id, "email": Comment.author_email, "ip": Comment.ip}[kind]


# --- the queue -------------------------------------------------------------------------------


def _system_decision() -> Any:
    return aliased(Decision, name="system_decision")


def _tab_clause(tab: str) -> ColumnElement[bool]:
    if tab == EVERY_STATUS:
        return true()
    if tab not in TABS:
        raise DuyetError(f"unknown tab '{tab}'")
    if tab != "reported":
        return Comment.status == tab
    # Reported and not yet looked at again: no moderator decision since the latest report.
    last_report = (
        select(func.max(Report.created_at)).where(Report.comment_id == Comment.id)
    ).scalar_subquery()
    reviewed = exists().where(
        Decision.comment_id == Comment.id,
        Decision.decided_by != SYSTEM,
        Decision.created_at >= last_report,
    )
    return and_(
        # A literal 0 (not a bound parameter) lets both databases use the partial index.
        Comment.report_count > literal_column("0"),
        Comment.status.in_([Status.APPROVED.value, Status.HELD.value]),
        ~reviewed,
    )


def _filtered(query: Any, f: QueueFilter, decision: Any) -> Any:
    query = query.where(_tab_clause(f.tab))
    if f.site_ids is not None:
        query = query.where(Comment.site_id.in_(f.site_ids))
    if f.article:
        query = query.where(Article.external_id == f.article)
    query = query.where(*comment_conditions(f.scope, f.section, f.site_ids))
    if f.reason:
        # Reasons are a JSON list; its text holds '"code": "<code>"' once per reason.
        needle = json.dumps({"code": f.reason})[1:-1]
        query = query.where(cast(decision.reasons, Text).contains(needle, autoescape=True))
    return query


def encode_desk_cursor(values: Sequence[Any]) -> str:
    """Pack the sort key of a page's last row into an opaque cursor."""
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_desk_cursor(cursor: str, order: str) -> tuple[float | None, datetime, int]:
    """Unpack a cursor made by encode_desk_cursor for the same order."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        values = json.loads(raw)
        level: float | None = None
        if order == "riskiest":
            risk, moment, comment_id = values
            level = float(risk)
        else:
            moment, comment_id = values
        when = datetime.fromisoformat(moment)
    except (ValueError, TypeError, OverflowError) as exc:  # OverflowError: float(10**400)
        raise BadDeskCursor("cursor is not one this page gave out") from exc
    # A crafted cursor's id may be one no row can have, too large for the database's bigint.
    if not is_id(comment_id):
        raise BadDeskCursor("cursor is not one this page gave out")
    return level, when, comment_id


def _ordered(query: Any, order: str, cursor: str | None) -> Any:
    key, risk = tuple_(Comment.created_at, Comment.id), Comment.risk
    if cursor:
        level, moment, comment_id = decode_desk_cursor(cursor, order)
        if order == "newest":
            query = query.where(key < (moment, comment_id))
        elif order == "oldest":
            query = query.where(key > (moment, comment_id))
        else:  # `risk <= level` first: a range the index (status, risk DESC, ...) seeks to
            query = query.where(risk <= level, or_(risk < level, key > (moment, comment_id)))
    if order == "newest":
        return query.order_by(Comment.created_at.desc(), Comment.id.desc())
    if order == "riskiest":
        return query.order_by(risk.desc(), Comment.created_at, Comment.id)
    return query.order_by(Comment.created_at, Comment.id)


def queue_page(
    db: Database, f: QueueFilter, order: str = "oldest", limit: int = 25, cursor: str | None = None
) -> tuple[list[DeskItem], str | None]:
    """Return one page of a queue tab, oldest, newest or riskiest first, and the next cursor."""
    if order not in ORDERS:
        raise DuyetError(f"unknown order '{order}'")
    riskiest = order == "riskiest"
    with db.transaction() as s:
        keys = s.execute(page_keys_query(f, order, cursor).limit(limit + 1)).all()
        page, more = keys[:limit], len(keys) > limit
        items = _load_items(s, [row[0] for row in page])
    next_cursor = None
    if more and page:
        last = page[-1]
        values: list[Any] = [last[1], last[0]]
        if riskiest:
            values.insert(0, float(last[2]))
        next_cursor = encode_desk_cursor(values)
    return items, next_cursor


def _load_items(s: Session, ids: list[int]) -> list[DeskItem]:
    """The cards of these comments, in this order."""
    query_rows = select(Comment, Article).join(Article, Article.id == Comment.article_id)
    rows = s.execute(query_rows.where(Comment.id.in_(ids))).all() if ids else []
    loaded = {row[0].id: (row[0], row[1]) for row in rows}
    return _items(s, [loaded[i] for i in ids if i in loaded])


@dataclass(frozen=True)
class SearchPage:
    items: list[DeskItem]
    scanned: int  # how many of the tab's comments this step read
    next_cursor: str | None  # where the next step starts: older comments


def search_text(
    db: Database, f: QueueFilter, text: str, limit: int = 25, cursor: str | None = None
) -> SearchPage:
    """Find comments whose text holds `text` among the SEARCH_WINDOW newest of a tab (under
    its filters) from the cursor on: a bounded walk of the tab's index, never the table.

    The window is read, then matched here: the database needs no text index."""
    matches = text_matcher(text)
    window = page_keys_query(f, "newest", cursor).limit(SEARCH_WINDOW).subquery()
    query = select(window.c.id, window.c.created_at, Comment.body).join(
        Comment, Comment.id == window.c.id
    )
    with db.transaction() as s:
        # Put back in the window's order here: at most SEARCH_WINDOW rows, no sort in SQL.
        rows = sorted(s.execute(query).all(), key=lambda r: (r[1], r[0]), reverse=True)
        hits = [row for row in rows if matches(row[2])]
        page = hits[:limit]
        items = _load_items(s, [row[0] for row in page])
    last = page[-1] if len(hits) > limit else rows[-1] if len(rows) == SEARCH_WINDOW else None
    more = encode_desk_cursor([last[1], last[0]]) if last is not None else None
    return SearchPage(items, rows.index(last) + 1 if last is not None else len(rows), more)


def author_matches(
    db: Database, site_ids: Iterable[int], kind: str, value: str, scope: Scope = EVERYTHING
) -> list[tuple[int, int]]:
    """(site id, one comment id in scope) for each site where an author detail was used: the
    author page is per site and opens from a comment. One index seek per site."""
    column = _author_column(kind)
    found = []
    with db.transaction() as s:
        for site_id in site_ids:
            one = select(Comment.id).where(
                Comment.site_id == site_id, column == value, *comment_conditions(scope)
            )
            comment_id = s.scalar(one.limit(1))
            if comment_id is not None:
                found.append((site_id, comment_id))
    return found


def page_keys_query(f: QueueFilter, order: str, cursor: str | None) -> Any:
    """The sort keys of a page's comments, in order: read first, so only narrow rows are
    sorted or walked, and then the page's own rows by id."""
    columns = [Comment.id, Comment.created_at]
    if order == "riskiest":
        columns.append(Comment.risk)
    return _ordered(_base(select(*columns), f), order, cursor)


def _base(query: Any, f: QueueFilter) -> Any:
    # Joins only what the filters need: articles for the article filter, the engine's
    # decision for the reason filter.
    decision = _system_decision()
    if f.article:
        query = query.join(Article, Article.id == Comment.article_id)
    if f.reason:
        query = query.outerjoin(
            decision, and_(decision.comment_id == Comment.id, decision.decided_by == SYSTEM)
        )
    return _filtered(query, f, decision)


def _items(s: Session, rows: list[tuple[Comment, Article]]) -> list[DeskItem]:
    by_comment = _decisions_of(s, [c.id for c, _ in rows])
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


def _decisions_of(s: Session, ids: list[int]) -> dict[int, list[Decision]]:
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


def tab_counts(db: Database, f: QueueFilter, cap: int = 10_000) -> dict[str, int]:
    """Count each tab under the same filters, stopping at `cap` so huge tabs stay cheap."""
    counts: dict[str, int] = {}
    with db.transaction() as s:
        for tab in TABS:
            query = _base(select(Comment.id), _with_tab(f, tab))
            limited = query.limit(cap).subquery()
            counts[tab] = s.scalar(select(func.count()).select_from(limited)) or 0
    return counts


def oldest_pending(db: Database, f: QueueFilter) -> datetime | None:
    """When the oldest comment still waiting for the worker arrived, under the page's filters."""
    with db.transaction() as s:
        return s.scalar(_base(select(func.min(Comment.created_at)), _with_tab(f, "pending")))


def _with_tab(f: QueueFilter, tab: str) -> QueueFilter:
    return replace(f, tab=tab)


def sections_of(
    db: Database, site_ids: tuple[int, ...] | None, scope: Scope = EVERYTHING
) -> list[str]:
    """The sections the articles of these sites (None: every site) have, within the scope:
    what the queue's section filter offers."""
    sites = scope.sites_within(site_ids)
    with db.transaction() as s:
        found = {
            name
            for site_id in (s.scalars(select(Site.id)).all() if sites is None else sites)
            for name in s.scalars(_sections_walk(site_id))
        }
    return sorted(name for name in found if scope.sections is None or name in scope.sections)


def _sections_walk(site_id: int) -> Any:
    """A site's distinct sections, one index seek each: a DISTINCT read every article of
    the site on each queue page; this steps through `ix_articles_site_section` from one
    section to the next (a recursive query both databases run)."""
    of_site = and_(Article.site_id == site_id, Article.section.is_not(None))  # nulls first
    walk = select(func.min(Article.section).label("name")).where(of_site).cte(recursive=True)
    after = select(func.min(Article.section)).where(of_site, Article.section > walk.c.name)
    walk = walk.union_all(select(after.scalar_subquery()).where(walk.c.name.is_not(None)))
    return select(walk.c.name).where(walk.c.name.is_not(None))


# --- authors ---------------------------------------------------------------------------------


def author_summaries(
    db: Database, comments: Iterable[Comment], scope: Scope = EVERYTHING
) -> dict[tuple[int, str, str], AuthorSummary]:
    """Count each author's comments in scope by status and list their latest ones, in a
    few queries."""
    in_scope = comment_conditions(scope)
    wanted: dict[tuple[int, str], set[str]] = defaultdict(set)
    for comment in comments:
        key = author_key(comment)
        if key:
            wanted[(comment.site_id, key[0])].add(key[1])
    found: dict[tuple[int, str, str], AuthorSummary] = {}
    with db.transaction() as s:
        for (site_id, kind), values in wanted.items():
            column = _author_column(kind)
            for value in values:
                found[(site_id, kind, value)] = AuthorSummary(kind, value)
            counted = s.execute(
                select(column, Comment.status, func.count())
                .where(Comment.site_id == site_id, column.in_(values), *in_scope)
                .group_by(column, Comment.status)
            )
            for value, status, n in counted:
                found[(site_id, kind, value)].counts[status] = n
            for comment in _recent(s, site_id, column, values, in_scope):
                found[(site_id, kind, getattr(comment, _attr(kind)))].recent.append(comment)
    return found


def _attr(kind: str) -> str:
    return {"author": "author_id", "email": "author_email", "ip": "ip"}[kind]


def _recent(
    s: Session, site_id: int, column: Any, values: set[str], in_scope: list[ColumnElement[bool]]
) -> list[Comment]:
    rank = (
        func.row_number()
        .over(partition_by=column, order_by=(Comment.created_at.desc(), Comment.id.desc()))
        .label("rank")
    )
    ranked = (
        select(Comment.id, rank)
        .where(Comment.site_id == site_id, column.in_(values), *in_scope)
        .subquery()
    )
    # The ids first, then their rows: PostgreSQL cannot estimate how few rows the rank
    # keeps, and planned `id IN (subquery)` as a scan of every comment (194 ms at a million).
    ids = s.scalars(select(ranked.c.id).where(ranked.c.rank <= RECENT_PER_AUTHOR + 1)).all()
    recent = select(Comment).where(Comment.id.in_(ids)).order_by(Comment.created_at.desc())
    return list(s.scalars(recent)) if ids else []


@dataclass(frozen=True)
class AuthorEntry:
    comment: Comment
    article: Article
    decisions: list[Decision]


def author_comments(
    db: Database,
    site_id: int,
    kind: str,
    value: str,
    limit: int = 50,
    cursor: str | None = None,
    scope: Scope = EVERYTHING,
) -> tuple[list[AuthorEntry], str | None]:
    """Return an author's comments in scope on a site, newest first, each with every
    decision on it."""
    if kind not in AUTHOR_KINDS:
        raise DuyetError(f"unknown author kind '{kind}'")
    query = (
        select(Comment, Article)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.site_id == site_id, _author_column(kind) == value)
        .where(*comment_conditions(scope))
    )
    query = _ordered(query, "newest", cursor)
    with db.transaction() as s:
        rows = s.execute(query.limit(limit + 1)).all()
        page, more = rows[:limit], len(rows) > limit
        decisions = _decisions_of(s, [row[0].id for row in page])
    entries = [AuthorEntry(row[0], row[1], decisions.get(row[0].id, [])) for row in page]
    last = page[-1][0] if more and page else None
    return entries, encode_desk_cursor([last.created_at, last.id]) if last else None


def bans_for(db: Database, site_id: int, pairs: Iterable[tuple[str, str]]) -> list[Ban]:
    """List the bans in force on a site for any of the (kind, value) pairs."""
    pairs = [(k, v) for k, v in pairs if v]
    if not pairs:
        return []
    now = utcnow()
    with db.transaction() as s:
        return list(
            s.scalars(
                select(Ban)
                .where(
                    Ban.site_id == site_id,
                    or_(*[(Ban.kind == k) & (Ban.value == v) for k, v in pairs]),
                    or_(Ban.expires_at.is_(None), Ban.expires_at > now),
                )
                .order_by(Ban.id)
            )
        )


def bans_on(db: Database, comments: Iterable[Comment]) -> dict[int, dict[str, Ban]]:
    """Find the bans in force on each comment's email, author id and IP on its site, in one
    query for a page of cards: {comment id: {kind: the ban that lasts longest}}."""
    wanted = {c.id: _details(c) for c in comments}
    keys = {key for details in wanted.values() for key in details}
    if not keys:
        return {}
    now = utcnow()
    query = select(Ban).where(
        Ban.site_id.in_({site for site, _, _ in keys}),
        Ban.kind.in_({kind for _, kind, _ in keys}),
        Ban.value.in_({value for _, _, value in keys}),
        or_(Ban.expires_at.is_(None), Ban.expires_at > now),
    )
    longest: dict[tuple[int, str, str], Ban] = {}
    with db.transaction() as s:
        for ban in s.scalars(query):
            key = (ban.site_id, ban.kind, ban.value)
            if key in keys and _lasts_longer(ban, longest.get(key)):
                longest[key] = ban
    found = {
        comment_id: {key[1]: longest[key] for key in details if key in longest}
        for comment_id, details in wanted.items()
    }
    return {comment_id: bans for comment_id, bans in found.items() if bans}


def _details(comment: Comment) -> list[tuple[int, str, str]]:
    pairs = (("email", comment.author_email), ("author", comment.author_id), ("ip", comment.ip))
    return [(comment.site_id, kind, value) for kind, value in pairs if value]


def _lasts_longer(ban: Ban, than: Ban | None) -> bool:
    if than is None or than.expires_at is None:
        return than is None
    return ban.expires_at is None or ban.expires_at > than.expires_at


def lift_ban(db: Database, ban_id: int, actor: str, scope: Scope = EVERYTHING) -> Ban:
    """End a ban now; it stays in the record with its new expiry. A ban on a site out of
    the moderator's scope is not found."""
    with db.transaction() as s:
        ban = s.get(Ban, ban_id)
        if ban is None or not scope.admits_site(ban.site_id):
            raise NotFound("ban not found")
        ban.expires_at = utcnow()
        audit(s, None, actor, "unban", None, {"kind": ban.kind, "ban_id": ban.id}, ban.site_id)
        return ban


# --- undo ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Undone:
    comment: Comment
    restored: Status
    published_changed: bool
    webhook_event: int | None = None  # to queue after the commit (service/store/outbox.py)


def undo_decision(
    db: Database, comment_id: int, moderator: str, window: timedelta, scope: Scope = EVERYTHING
) -> Undone:
    """Put a comment back where it was before this moderator's latest action, if recent."""
    actor = f"moderator:{moderator}"
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        last = s.scalar(
            select(AuditEntry)
            .where(AuditEntry.comment_id == comment_id)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
        if comment is None or last is None or not comment_in_scope(s, comment, scope):
            raise NotFound("comment not found")
        if last.actor != actor or last.action not in MODERATOR_ACTIONS or not last.from_status:
            raise UndoRefused(
                "not_latest", "your last action on this comment is not the latest one"
            )
        if last.created_at < datetime.now(UTC) - window:
            raise UndoRefused("too_late", "too late to undo")
        restored = Status(last.from_status)
        if not transition(s, comment_id, (Status(comment.status),), restored):
            raise UndoRefused("changed", "the comment changed meanwhile")
        audit(s, comment, actor, "undo", restored, {"undid": last.action, "audit_id": last.id})
        _drop_decision(s, comment_id, last)
        _restore_label(s, comment, last)
        changed = (comment.status == Status.APPROVED.value) != (restored == Status.APPROVED)
        if changed:
            touch_thread(s, comment.article_id)
        event = outbox.add_event(s, comment, outbox.undo_event(changed, restored))
        s.refresh(comment)
        return Undone(comment, restored, changed, event)


def _drop_decision(s: Session, comment_id: int, undone: AuditEntry) -> None:
    """Take the undone action's decision away, so it no longer counts as the comment's latest
    (its card, the reported tab, a repeated click); the audit log keeps the action and the
    undo."""
    decision_id = s.scalar(
        select(Decision.id)
        .where(
            Decision.comment_id == comment_id,
            Decision.decided_by == undone.actor,
            Decision.verdict == undone.action,
        )
        .order_by(Decision.id.desc())
        .limit(1)
    )
    if decision_id is not None:
        s.execute(delete(Decision).where(Decision.id == decision_id))


def _restore_label(s: Session, comment: Comment, undone: AuditEntry) -> None:
    """Give the comment the training label of the moderator's action still standing before
    the undone one (a comment counts with its latest label), or none if there is none."""
    entries = s.scalars(
        select(AuditEntry).where(AuditEntry.comment_id == comment.id, AuditEntry.id < undone.id)
    ).all()
    taken_back = {e.detail.get("audit_id") for e in entries if e.action == "undo" and e.detail}
    standing = [
        e
        for e in entries
        if e.action in MODERATOR_ACTIONS
        and e.actor.startswith("moderator:")
        and e.id not in taken_back
    ]
    if standing:
        latest = max(standing, key=lambda e: e.id)
        relabel(s, comment, latest.action, latest.actor)
    else:
        s.execute(delete(TrainingExample).where(TrainingExample.comment_id == comment.id))


# --- accounts and site changes ---------------------------------------------------------------


def record_site_change(
    db: Database, site_id: int, actor: str, action: str, detail: dict[str, Any]
) -> None:
    """Write an admin's change to a site (settings, keys) into the audit log."""
    with db.transaction() as s:
        audit(s, None, actor, action, None, detail, site_id=site_id)


def site_audit(db: Database, site_id: int, limit: int = 20) -> list[AuditEntry]:
    """Return a site's latest audit entries that are not about one comment."""
    with db.transaction() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.site_id == site_id, AuditEntry.comment_id.is_(None))
                .order_by(AuditEntry.id.desc())
                .limit(limit)
            )
        )
