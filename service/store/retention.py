"""Forgetting readers' IP addresses and user agents after the days each site keeps them.

The statements behind workers/retention.py, and what the desk needs to say an old comment's
address is gone rather than never given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from service.models import AuditEntry, Comment, Site, utcnow
from service.site_config import site_config
from service.store.db import Database
from service.store.records import audit

FORGOTTEN = "reader_network_forgotten"  # the audit action of a sweep's run


@dataclass(frozen=True)
class KeptFor:
    """How long a site keeps its readers' network details, and the cutoff that makes now."""

    site_id: int
    days: int
    cutoff: datetime


def kept_for(db: Database, site_ids: Iterable[int] | None = None) -> list[KeptFor]:
    """Each site's days and cutoff (every site, or the ones named; a handful: read in Python)."""
    query = select(Site.id, Site.config).order_by(Site.id)
    if site_ids is not None:
        query = query.where(Site.id.in_(set(site_ids)))
    with db.transaction() as s:
        rows = s.execute(query).all()
    now = utcnow()
    found = []
    for site_id, config in rows:
        days = int(site_config(config)["forget_reader_network_after_days"])
        found.append(KeptFor(site_id, days, now - timedelta(days=days)))
    return found


def ip_forgotten_after(db: Database, comments: Iterable[Comment]) -> dict[int, int]:
    """The days after which each comment's IP address was forgotten, by comment id, for the
    comments that have none and are older than their site keeps one (which a comment sent
    without an address also is: the desk then says none is kept, which is as true)."""
    comments = list(comments)
    if not comments:
        return {}
    sites = {kept.site_id: kept for kept in kept_for(db, {c.site_id for c in comments})}
    return {
        c.id: sites[c.site_id].days
        for c in comments
        if c.ip is None and c.site_id in sites and c.created_at < sites[c.site_id].cutoff
    }


def forget_batch(db: Database, site_id: int, cutoff: datetime, limit: int) -> int:
    """Clear the IP and user agent of at most `limit` of a site's comments posted before the
    cutoff, oldest first, in a transaction of its own; return how many. The rows are found
    through ix_comments_site_network, whose condition the query repeats so both databases
    take it."""
    still_kept = (
        select(Comment.id)
        .where(Comment.site_id == site_id, Comment.created_at < cutoff)
        .where(or_(Comment.ip.is_not(None), Comment.user_agent.is_not(None)))  # NETWORK_KEPT
        # The index's order: PostgreSQL then walks it rather than scanning the table from its
        # start, where the rows cleared long ago lie, to fill the LIMIT. Oldest go first.
        .order_by(Comment.created_at)
        .limit(limit)
        .scalar_subquery()
    )
    # updated_at stays: it is when the comment changed, and readers see nothing new here.
    statement = (
        update(Comment)
        .where(Comment.id.in_(still_kept))
        .values(ip=None, user_agent=None)
        .execution_options(synchronize_session=False)
    )
    with db.transaction() as s:
        return int(s.execute(statement).rowcount)  # type: ignore[attr-defined]


def record_forgotten(db: Database, kept: KeptFor, count: int) -> None:
    """Note a run in the site's audit log: how many, and before when; no address in it."""
    detail = {"count": count, "days": kept.days, "cutoff": kept.cutoff.isoformat()}
    with db.transaction() as s:
        audit(s, None, "system", "reader_network_forgotten", None, detail, site_id=kept.site_id)


@dataclass(frozen=True)
class ForgottenRun:
    """A run of the sweep that cleared something: when, how many, posted before when."""

    at: datetime
    count: int
    cutoff: datetime


def last_forgotten(db: Database, site_id: int) -> ForgottenRun | None:
    """The site's latest run that forgot something, for its settings page."""
    query = (
        select(AuditEntry)
        # comment_id IS NULL: the site's own entries, found through ix_audit_log_comment_id.
        .where(AuditEntry.comment_id.is_(None), AuditEntry.site_id == site_id)
        .where(AuditEntry.action == FORGOTTEN)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    with db.transaction() as s:
        entry = s.scalar(query)
    if entry is None:
        return None
    detail = entry.detail or {}
    cutoff = datetime.fromisoformat(str(detail.get("cutoff")))
    return ForgottenRun(entry.created_at, int(detail.get("count", 0)), cutoff)
