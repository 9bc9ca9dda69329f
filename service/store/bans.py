"""Bans on an author's email, author id or IP on one site, as moderators make them: a detail
banned already keeps its one ban, extended by a later expiry rather than doubled, and two
moderators banning at once still make one. (The worker reads the bans in force through
standing.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.models import Ban, Site, utcnow
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
