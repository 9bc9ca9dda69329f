"""The bans in force, newest first: the moderators' API lists them by site and kind."""

from __future__ import annotations

from sqlalchemy import or_, select

from service.models import Ban, utcnow
from service.store.db import Database


def bans_in_force(
    db: Database,
    site_ids: tuple[int, ...] | None,
    kind: str | None = None,
    limit: int = 50,
    before_id: int | None = None,
) -> tuple[list[Ban], int | None]:
    """A page of the bans in force on these sites (None: every site), newest first, and the
    id the next page starts before (None: this was the last). A site's bans are few (one per
    banned detail), so this reads them without an index of its own."""
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
