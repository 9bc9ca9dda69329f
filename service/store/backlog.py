"""How long a site's held comments have waited: what moderator alerts are made of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from service.models import Comment, Site, Status
from service.site_config import site_config
from service.store.db import Database
from service.store.records import audit


@dataclass(frozen=True)
class AlertSite:
    """A site that asked for alerts: who to write to, and after how long."""

    id: int
    slug: str
    name: str
    emails: tuple[str, ...]
    after_minutes: int


@dataclass(frozen=True)
class Backlog:
    """A site's held comments: how many waited past the limit, how many in all, the oldest."""

    overdue: int
    held: int
    oldest: datetime | None


def alert_sites(db: Database) -> list[AlertSite]:
    """The sites with alert addresses in their settings (a handful: read in Python)."""
    with db.transaction() as s:
        sites = list(s.scalars(select(Site).order_by(Site.id)))
    found = []
    for site in sites:
        config = site_config(site.config)
        if config["alert_emails"]:
            emails = tuple(config["alert_emails"])
            found.append(
                AlertSite(site.id, site.slug, site.name, emails, config["alert_after_minutes"])
            )
    return found


def backlog(db: Database, site_id: int, cutoff: datetime) -> Backlog:
    """Count a site's held comments, and those posted before the cutoff (the site, status,
    created_at index answers both)."""
    held = (Comment.site_id == site_id) & (Comment.status == Status.HELD.value)
    overdue = func.count().filter(Comment.created_at <= cutoff)
    query = select(overdue, func.count(), func.min(Comment.created_at)).where(held)
    with db.transaction() as s:
        late, total, oldest = s.execute(query).one()
    return Backlog(int(late), int(total), oldest)


def record_alert(db: Database, site_id: int, action: str, detail: dict[str, object]) -> None:
    """Note an alert sent (or failed) in the site's audit log, where admins see it."""
    with db.transaction() as s:
        audit(s, None, "system", action, None, dict(detail), site_id=site_id)
