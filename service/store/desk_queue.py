"""The desk's queue: which comments a tab shows (QueueFilter: the tab, sites, article, section,
the engine's reason and the moderator's scope), a page of them oldest, newest or riskiest
first, each tab's count, the oldest comment still waiting for the worker, and the sections
the section filter offers. A page reads its narrow sort keys first, then its cards
(desk_cards.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, cast, exists, func, literal_column, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Text

from service.errors import DuyetError
from service.models import Article, Comment, Decision, Report, Site, Status
from service.scopes import EVERYTHING, Scope, comment_conditions
from service.store.db import Database
from service.store.desk_cards import SYSTEM, DeskItem, load_items
from service.store.desk_paging import encode_desk_cursor, ordered

TABS = ("held", "reported", "pending", "approved", "spam", "rejected")
READ_ONLY_TABS = ("pending",)  # the worker decides these: no moderator action
ORDERS = ("oldest", "newest", "riskiest")
EVERY_STATUS = "all"  # not a tab: the search box's every status (service/store/fulltext.py)


@dataclass(frozen=True)
class QueueFilter:
    """Which comments a queue tab shows."""

    tab: str = "held"
    site_ids: tuple[int, ...] | None = None
    article: str | None = None  # the site's own article id
    reason: str | None = None  # a reason code of the system decision
    section: str | None = None  # the site's own section of the article
    scope: Scope = EVERYTHING  # what the moderator may see (service/scopes.py)


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
        items = load_items(s, [row[0] for row in page])
    next_cursor = None
    if more and page:
        last = page[-1]
        values: list[Any] = [last[1], last[0]]
        if riskiest:
            values.insert(0, float(last[2]))
        next_cursor = encode_desk_cursor(values)
    return items, next_cursor


def page_keys_query(f: QueueFilter, order: str, cursor: str | None) -> Any:
    """The sort keys of a page's comments, in order: read first, so only narrow rows are
    sorted or walked, and then the page's own rows by id."""
    columns = [Comment.id, Comment.created_at]
    if order == "riskiest":
        columns.append(Comment.risk)
    return ordered(queue_query(select(*columns), f), order, cursor)


def queue_query(query: Any, f: QueueFilter) -> Any:
    """Narrow a query on comments to a queue filter: its tab, sites, article, section,
    reason and the moderator's scope (also the full-text search's, store/fulltext.py)."""
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


def tab_counts(db: Database, f: QueueFilter, cap: int = 10_000) -> dict[str, int]:
    """Count each tab under the same filters, stopping at `cap` so huge tabs stay cheap."""
    counts: dict[str, int] = {}
    with db.transaction() as s:
        for tab in TABS:
            query = queue_query(select(Comment.id), _with_tab(f, tab))
            limited = query.limit(cap).subquery()
            counts[tab] = s.scalar(select(func.count()).select_from(limited)) or 0
    return counts


def oldest_pending(db: Database, f: QueueFilter) -> datetime | None:
    """When the oldest comment still waiting for the worker arrived, under the page's filters."""
    with db.transaction() as s:
        return s.scalar(queue_query(select(func.min(Comment.created_at)), _with_tab(f, "pending")))


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
