"""Authors on the desk, always within the moderator's scope: how the desk names a comment's
author (the site's author id, else the email), the counts by status and latest comments shown
beside each card, an author's page of comments with every decision on them, and the sites
where an author detail was used."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from service.errors import DuyetError
from service.models import Article, Comment, Decision, Status
from service.scopes import EVERYTHING, Scope, comment_conditions
from service.store.db import Database
from service.store.desk_cards import decisions_of
from service.store.desk_paging import encode_desk_cursor, ordered

AUTHOR_KINDS = ("author", "email", "ip")
RECENT_PER_AUTHOR = 3


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
    query = ordered(query, "newest", cursor)
    with db.transaction() as s:
        rows = s.execute(query.limit(limit + 1)).all()
        page, more = rows[:limit], len(rows) > limit
        decisions = decisions_of(s, [row[0].id for row in page])
    entries = [AuthorEntry(row[0], row[1], decisions.get(row[0].id, [])) for row in page]
    last = page[-1][0] if more and page else None
    return entries, encode_desk_cursor([last.created_at, last.id]) if last else None
