"""A site's webhook signing secret and its rotation with a grace period.

While a secret is rolled, each event is signed with the new secret and the one it replaced
(`X-Duyet-Signature: sha256=<new>, sha256=<old>`) until the grace ends, so the receiver can
switch at its own pace; afterwards with the new one only. Rotations and early ends are in
the site's audit log, with the grace's end, never with a secret.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Update, case, literal, select, update

from service.errors import DuyetError, NotFound
from service.models import Site, utcnow
from service.store.db import Database
from service.store.records import audit

DEFAULT_GRACE = timedelta(hours=24)
# Longer than a month is no grace but two live secrets; the grace can always be ended early.
MAX_GRACE = timedelta(days=30)
MAX_SECRET_LENGTH = 200  # sites.webhook_secret is String(200)
_UNTIL = Site.webhook_secret_previous_until


@dataclass(frozen=True)
class Rotation:
    """A site's new secret (shown once), and until when the one it replaced still signs."""

    secret: str
    previous_until: datetime | None


def new_secret() -> str:
    """Return a random secret for a receiver to store: 43 URL-safe characters."""
    return secrets.token_urlsafe(32)


def grace_from_hours(hours: float) -> timedelta:
    """Turn an operator's `--grace-hours` into a grace, refusing what is no grace."""
    if not (math.isfinite(hours) and 0 <= hours <= MAX_GRACE.total_seconds() / 3600):
        raise DuyetError(f"the grace is 0 to {MAX_GRACE.days * 24} hours, not {hours:g}")
    return timedelta(hours=hours)


def check_secret(secret: str) -> str:
    """Refuse a secret that is empty or longer than the column holds."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        raise DuyetError(f"a webhook secret has 1 to {MAX_SECRET_LENGTH} characters")
    return secret


def signing(site: Site, now: datetime | None = None) -> list[str]:
    """The secrets that sign the site's events now: the current one first, then the one it
    replaced while its grace runs. No secret in use, none at all: events go unsigned."""
    if not site.webhook_secret:
        return []
    found = [site.webhook_secret]
    if site.webhook_secret_previous and in_grace(site, now):
        found.append(site.webhook_secret_previous)
    return found


def in_grace(site: Site, now: datetime | None = None) -> bool:
    """Tell whether the secret the site's current one replaced still signs its events."""
    until = site.webhook_secret_previous_until
    return bool(site.webhook_secret_previous) and until is not None and (now or utcnow()) < until


def rotate(
    db: Database,
    site_id: int,
    actor: str,
    secret: str | None = None,
    grace: timedelta = DEFAULT_GRACE,
) -> Rotation:
    """Give the site a new secret (random unless given); the one it replaces keeps signing
    for `grace`, and a previous one still in its grace stops now."""
    secret = check_secret(secret) if secret is not None else new_secret()
    until = utcnow() + grace if grace > timedelta(0) else None
    with db.transaction() as s:
        site = s.get(Site, site_id)
        if site is None:
            raise NotFound("site not found")
        if site.webhook_secret == secret:  # saved again: no rotation, nothing to audit
            return Rotation(secret, site.webhook_secret_previous_until)
        previous_until = s.execute(_rotation(site_id, secret, until)).scalar_one()
        detail = {"grace_until": previous_until.isoformat() if previous_until else None}
        audit(s, None, actor, "webhook_secret_rotate", detail=detail, site_id=site_id)
    return Rotation(secret, previous_until)


def _rotation(site_id: int, secret: str, until: datetime | None) -> Update:
    """The update that puts `secret` in use, the replaced one signing until `until`.

    It reads the row as it writes it, so two admins rotating at once never leave the secret
    in use out of both: the later keeps the earlier's new secret as the previous one (and
    the same secret saved twice at once is one rotation).
    """
    same = Site.webhook_secret == secret
    replaced = Site.webhook_secret if until else None
    return (
        update(Site)
        .where(Site.id == site_id)
        .values(
            webhook_secret=secret,
            webhook_secret_previous=case((same, Site.webhook_secret_previous), else_=replaced),
            webhook_secret_previous_until=case(
                (same, _UNTIL),
                (Site.webhook_secret.is_(None), None),
                else_=literal(until, _UNTIL.type),
            ),
        )
        .returning(_UNTIL)
        .execution_options(synchronize_session=False)
    )


def end_grace(db: Database, site_id: int, actor: str) -> bool:
    """Stop signing with the replaced secret now (it leaked); False if none was signing."""
    kept = (Site.id == site_id, Site.webhook_secret_previous.is_not(None))
    now = utcnow()
    with db.transaction() as s:
        until = s.scalar(select(_UNTIL).where(*kept))
        # Only the first of two admins ending it at once drops it (the other finds none):
        # one audit entry. A previous secret whose grace is over is dropped unaudited.
        drop = (
            update(Site)
            .where(*kept)
            .values(webhook_secret_previous=None, webhook_secret_previous_until=None)
        )
        dropped = s.execute(drop).rowcount  # type: ignore[attr-defined]
        if not dropped or until is None or until <= now:
            return False
        detail = {"grace_until": now.isoformat(), "was_until": until.isoformat()}
        audit(s, None, actor, "webhook_secret_grace_end", detail=detail, site_id=site_id)
    return True


def remove(db: Database, site_id: int) -> None:
    """Take away the site's secret, and the replaced one with it: events go unsigned."""
    cleared = {
        "webhook_secret": None,
        "webhook_secret_previous": None,
        "webhook_secret_previous_until": None,
    }
    with db.transaction() as s:
        s.execute(update(Site).where(Site.id == site_id).values(**cleared))
