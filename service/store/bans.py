"""Bans on an author's email, author id or IP on one site, as moderators make and see them:
adding one (a detail banned already keeps its one ban, extended by a later expiry rather
than doubled, and two moderators banning at once still make one), the bans in force on an
author, on a page of cards or all of them a page at a time, and lifting one. (The worker
reads the bans in force through standing.py.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.errors import NotFound
from service.models import Ban, Comment, Site, utcnow
from service.scopes import EVERYTHING, Scope
from service.store.db import Database
from service.store.records import audit

BAN_NEW, BAN_EXTENDED, BAN_KEPT = "new", "extended", "kept"


@dataclass(frozen=True)
class BanOutcome:
    """What banning did: a new ban, an active one extended, or an active one left (kept)."""

    ban: Ban
    done: str  # BAN_NEW, BAN_EXTENDED or BAN_KEPT
    until_before: datetime | None = None  # an extended ban's expiry before (None: it had none)


def add_ban(
    db: Database,
    site_id: int,
    kind: str,
    value: str,
    actor: str,
    reason: str = "",
    expires_in: timedelta | None = None,
) -> BanOutcome:
    """Ban an email, author id or IP on one site, for a while or for good.

    A detail banned already keeps its one ban: a later (or no) expiry extends it, an earlier
    one leaves it as it is.
    """
    now = utcnow()
    until = now + expires_in if expires_in else None
    with db.transaction() as s:
        _ban_one_at_a_time(s, site_id)
        active = _longest_active_ban(s, site_id, kind, value, now)
        if active is None:
            ban = Ban(site_id=site_id, kind=kind, value=value, reason=reason, created_by=actor)
            ban.expires_at = until
            s.add(ban)
            audit(s, None, actor, "ban", None, {"kind": kind, "value": value}, site_id=site_id)
            s.flush()
            return BanOutcome(ban, BAN_NEW)
        before = active.expires_at
        if before is None or (until is not None and until <= before):
            return BanOutcome(active, BAN_KEPT)
        active.expires_at = until
        detail = {"kind": kind, "value": value, "ban_id": active.id}
        detail |= {"until_before": before.isoformat(), "until": until and until.isoformat()}
        if reason:
            detail["note"] = reason
        audit(s, None, actor, "ban_extend", None, detail, site_id=site_id)
        return BanOutcome(active, BAN_EXTENDED, before)


def _ban_one_at_a_time(s: Session, site_id: int) -> None:
    """Take the site's row lock before reading its bans, so that two moderators banning the
    same author at once cannot both find no ban and add one each. As the transaction's first
    statement a write also takes SQLite's write lock (the second one waits its busy timeout
    instead of failing); on PostgreSQL it is a row lock that intake's foreign key checks on
    the site do not wait for."""
    s.execute(
        update(Site)
        .where(Site.id == site_id)
        .values(name=Site.name)
        .execution_options(synchronize_session=False)
    )


def _longest_active_ban(
    s: Session, site_id: int, kind: str, value: str, now: datetime
) -> Ban | None:
    """The detail's ban in force that lasts longest (one for good first), if any."""
    bans = s.scalars(
        select(Ban).where(
            Ban.site_id == site_id,
            Ban.kind == kind,
            Ban.value == value,
            or_(Ban.expires_at.is_(None), Ban.expires_at > now),
        )
    ).all()
    return max(bans, key=lambda b: (b.expires_at is None, b.expires_at or now), default=None)


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


def bans_in_force(
    db: Database,
    site_ids: tuple[int, ...] | None,
    kind: str | None = None,
    limit: int = 50,
    before_id: int | None = None,
) -> tuple[list[Ban], int | None]:
    """A page of the bans in force on these sites (None: every site), newest first, and the
    id the next page starts before (None: this was the last), for the desk's page of bans
    and the API. A site's bans are few (one per banned detail): no index of their own."""
    query = select(Ban).where(or_(Ban.expires_at.is_(None), Ban.expires_at > utcnow()))
    if site_ids is not None:
        query = query.where(Ban.site_id.in_(site_ids))
    if kind is not None:
        query = query.where(Ban.kind == kind)
    if before_id is not None:
        query = query.where(Ban.id < before_id)
    with db.transaction() as s:
        rows = list(s.scalars(query.order_by(Ban.id.desc()).limit(limit + 1)))
    page = rows[:limit]
    return page, page[-1].id if len(rows) > limit else None
