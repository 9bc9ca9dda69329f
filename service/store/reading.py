"""Read paths: the published thread of an article, the moderation queue, a comment's history."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, select, tuple_
from sqlalchemy.orm import Session, aliased

from service.errors import DuyetError, NotFound
from service.ids import parse_id
from service.models import Article, AuditEntry, Comment, Decision, Status
from service.notices import needs_decision, notice
from service.scopes import EVERYTHING, Scope, comment_conditions, comment_in_scope
from service.store.db import Database

VISIBLE = (Status.APPROVED.value, Status.DELETED.value)
_REPLY = aliased(Comment)  # built once: aliasing a mapped class per request costs a lot
# Built once and run on the driver's own connection: SQLAlchemy's statement building, session
# and result machinery were most of a cached thread read's cost.
_THREAD_VERSION = select(Article.id, Article.thread_version).where(
    Article.site_id == bindparam("site_id"), Article.external_id == bindparam("external_id")
)
_compiled: dict[str, Any] = {}


class BadCursor(DuyetError):
    status = 400
    code = "bad_cursor"


def encode_cursor(comment: Comment) -> str:
    return encode_position(comment.created_at, comment.id)


def encode_position(moment: datetime, comment_id: int) -> str:
    """A cursor after the row at (moment, id) of a list ordered by them."""
    raw = f"{moment.isoformat()}|{comment_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, comment_id = raw.split("|")
        when = datetime.fromisoformat(moment)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("cursor is not one this API gave out") from exc
    # A crafted cursor's id may be one no row can have, too large for the database's bigint.
    found = parse_id(comment_id)
    if found is None:
        raise BadCursor("cursor is not one this API gave out")
    return when, found


def _keyset(query: Any, cursor: str | None, newest_first: bool) -> Any:
    return keyset(query, Comment.created_at, cursor, newest_first)


def keyset(query: Any, moment: Any, cursor: str | None, newest_first: bool) -> Any:
    """Order a query on comments by (moment, id), after the cursor's row if one is given."""
    key = tuple_(moment, Comment.id)
    if cursor:
        when, comment_id = decode_cursor(cursor)
        query = query.where(key < (when, comment_id) if newest_first else key > (when, comment_id))
    if newest_first:
        return query.order_by(moment.desc(), Comment.id.desc())
    return query.order_by(moment, Comment.id)


def thread_version(db: Database, site_id: int, external_id: str) -> tuple[int, int]:
    """Return a site's article id and thread version, or raise NotFound."""
    dialect = db.engine.dialect
    compiled = _compiled.get(dialect.name) or _compiled.setdefault(
        dialect.name, _THREAD_VERSION.compile(dialect=dialect)
    )
    params = compiled.construct_params({"site_id": site_id, "external_id": external_id})
    if compiled.positiontup is not None:  # qmark and format drivers take a sequence
        params = [params[name] for name in compiled.positiontup]
    conn = db.engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute(compiled.string, params)
        found = cursor.fetchone()
        cursor.close()
    finally:
        conn.close()  # back to the pool, which rolls the read back
    if found is None:
        raise NotFound("article not found")
    return found[0], found[1]


def thread_versions(
    db: Database, site_id: int, external_ids: Iterable[str]
) -> dict[str, tuple[int, int]]:
    """Return the article id and thread version of each of a site's articles that exists;
    an id no article has yet is left out."""
    query = select(Article.external_id, Article.id, Article.thread_version).where(
        Article.site_id == site_id, Article.external_id.in_(list(external_ids))
    )
    with db.transaction() as s:
        return {external_id: (id_, version) for external_id, id_, version in s.execute(query)}


@dataclass
class ThreadNode:
    comment: Comment
    replies: list[ThreadNode] = field(default_factory=list)


@dataclass(frozen=True)
class ThreadPage:
    roots: list[ThreadNode]
    next_cursor: str | None


def published_thread(
    db: Database, article: Article, newest_first: bool, limit: int, cursor: str | None
) -> ThreadPage:
    """Return a page of top-level published comments, each with its published replies."""
    with db.transaction() as s:
        roots = _page_of_roots(s, article.id, newest_first, limit, cursor)
        page, more = roots[:limit], len(roots) > limit
        replies = _replies_of(s, [c.id for c in page])
    nodes = _build_tree(page, replies)
    return ThreadPage(nodes, encode_cursor(page[-1]) if more and page else None)


def _page_of_roots(
    s: Session, article_id: int, newest_first: bool, limit: int, cursor: str | None
) -> list[Comment]:
    # A deleted comment stays in the thread only as a tombstone over published replies.
    has_replies = exists().where(
        _REPLY.root_id == Comment.id, _REPLY.status == Status.APPROVED.value
    )
    roots = select(Comment).where(Comment.article_id == article_id, Comment.parent_id.is_(None))
    # One query per status, each walking the (article, status, created_at) index in order:
    # an OR of the two would sort every published comment of the article on every page.
    found = [
        *s.scalars(
            _keyset(
                roots.where(Comment.status == Status.APPROVED.value), cursor, newest_first
            ).limit(limit + 1)
        ),
        *s.scalars(
            _keyset(
                roots.where(Comment.status == Status.DELETED.value, has_replies),
                cursor,
                newest_first,
            ).limit(limit + 1)
        ),
    ]
    found.sort(key=lambda c: (c.created_at, c.id), reverse=newest_first)
    return found[: limit + 1]


def _replies_of(s: Session, root_ids: list[int]) -> list[Comment]:
    if not root_ids:
        return []
    query = (
        select(Comment)
        .where(Comment.root_id.in_(root_ids), Comment.status.in_(VISIBLE))
        .order_by(Comment.created_at, Comment.id)
    )
    return list(s.scalars(query))


def _build_tree(roots: list[Comment], replies: list[Comment]) -> list[ThreadNode]:
    nodes = {c.id: ThreadNode(c) for c in [*roots, *replies]}
    for reply in replies:
        # A reply whose parent is not published hangs under the nearest thing that is: its root.
        parent = nodes.get(reply.parent_id or -1) or nodes.get(reply.root_id or -1)
        if parent is not None:
            parent.replies.append(nodes[reply.id])
    return [nodes[c.id] for c in roots]


@dataclass(frozen=True)
class QueueItem:
    comment: Comment
    article: Article
    decision: Decision | None
    parent: Comment | None


QUEUE_STATUSES = ("held", "reported", "pending", "approved", "spam", "rejected")


def moderation_queue(
    db: Database,
    status: str = "held",
    site_ids: tuple[int, ...] | None = None,
    article_external_id: str | None = None,
    newest_first: bool = False,
    limit: int = 50,
    cursor: str | None = None,
    section: str | None = None,
    scope: Scope = EVERYTHING,
) -> tuple[list[QueueItem], str | None]:
    """Return a page of comments in the moderator's scope, each with its article and
    latest decision."""
    query = select(Comment, Article).join(Article, Article.id == Comment.article_id)
    if status == "reported":
        query = query.where(Comment.report_count > 0, Comment.status.in_(["approved", "held"]))
    else:
        query = query.where(Comment.status == status)
    if site_ids is not None:
        query = query.where(Comment.site_id.in_(site_ids))
    if article_external_id:
        query = query.where(Article.external_id == article_external_id)
    query = query.where(*comment_conditions(scope, section, site_ids))
    with db.transaction() as s:
        rows: list[Any] = list(s.execute(_keyset(query, cursor, newest_first).limit(limit + 1)))
        page, more = rows[:limit], len(rows) > limit
        decisions = _latest_decisions(s, [c.id for c, _ in page])
        parents = _parents(s, [c.parent_id for c, _ in page if c.parent_id])
    items = [QueueItem(c, a, decisions.get(c.id), parents.get(c.parent_id or -1)) for c, a in page]
    return items, encode_cursor(page[-1][0]) if more and page else None


def comment_notice(db: Database, comment_id: int, status: str, body: str | None) -> dict[str, Any]:
    """What the site can tell the comment's author (service/notices.py); reads the latest
    decision only for a comment kept out, the one case whose words depend on it."""
    if not needs_decision(status):
        return notice(status, body, None)
    with db.transaction() as s:
        return notice(status, body, _latest_decisions(s, [comment_id]).get(comment_id))


def _latest_decisions(s: Session, comment_ids: list[int]) -> dict[int, Decision]:
    if not comment_ids:
        return {}
    rows = s.scalars(
        select(Decision).where(Decision.comment_id.in_(comment_ids)).order_by(Decision.id)
    )
    return {d.comment_id: d for d in rows}  # later rows win: the latest decision per comment


def _parents(s: Session, parent_ids: list[int]) -> dict[int, Comment]:
    if not parent_ids:
        return {}
    return {c.id: c for c in s.scalars(select(Comment).where(Comment.id.in_(parent_ids)))}


def comment_history(
    db: Database, comment_id: int, scope: Scope = EVERYTHING
) -> tuple[Comment, list[Decision], list[AuditEntry]]:
    """Return a comment with every decision and audit entry about it, oldest first; a
    comment out of the moderator's scope is not found."""
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        if comment is None or not comment_in_scope(s, comment, scope):
            raise NotFound("comment not found")
        decisions = list(
            s.scalars(
                select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id)
            )
        )
        entries = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.comment_id == comment_id)
                .order_by(AuditEntry.id)
            )
        )
        return comment, decisions, entries
