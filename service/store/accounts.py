"""Sites, their API keys, and the audit log of an admin's changes to them (moderator accounts:
service/store/moderator_accounts.py)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from service.errors import Conflict, DuyetError, NotFound
from service.ids import parse_id
from service.models import ApiKey, AuditEntry, Site, utcnow
from service.store.db import Database
from service.store.records import audit, load_row

KEY_PREFIX = "dy_"
# A slug goes into URLs (/v1/integrations/coral/<site>) and scripts: 1 to 64 characters.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


@dataclass(frozen=True)
class NewKey:
    """A freshly created API key; the secret exists only here and is never stored."""

    id: int
    site_id: int
    prefix: str
    secret: str


def _hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_site(db: Database, slug: str, name: str, config: dict[str, Any] | None = None) -> Site:
    """Create a site; the slug must be unused, and lower-case letters, digits and hyphens."""
    if not SLUG.fullmatch(slug):
        raise DuyetError(
            "a site's slug is 1 to 64 lower-case letters, digits and hyphens, starting with a"
            f" letter or digit; not {slug!r}"
        )
    with db.transaction() as s:
        if s.scalar(select(Site.id).where(Site.slug == slug)) is not None:
            raise Conflict(f"site '{slug}' already exists")
        site = Site(slug=slug, name=name, config=config or {})
        s.add(site)
        s.flush()
        return site


def get_site(db: Database, site_id: int) -> Site:
    """Load a site or raise NotFound."""
    return load_row(db, Site, site_id)


def find_site(db: Database, slug_or_id: str) -> Site:
    """Find a site by its slug, or by its id; else raise NotFound.

    An id is what service/ids.py says: "١" (an Arabic-Indic 1) is no id, and twenty digits
    would overflow the database. No slug holds a NUL, and PostgreSQL refuses one in a query.
    """
    if "\x00" in slug_or_id:
        raise NotFound("site not found")
    site_id = parse_id(slug_or_id)
    with db.transaction() as s:
        site = s.scalar(select(Site).where(Site.slug == slug_or_id))
        if site is None and site_id is not None:
            site = s.get(Site, site_id)
        if site is None:
            raise NotFound(f"site '{slug_or_id}' not found")
        return site


def list_sites(db: Database) -> list[Site]:
    """List every site, oldest first."""
    with db.transaction() as s:
        return list(s.scalars(select(Site).order_by(Site.id)))


def update_site(db: Database, site_id: int, **changes: Any) -> Site:
    """Change a site's name, webhook or rule configuration."""
    with db.transaction() as s:
        site = s.get(Site, site_id)
        if site is None:
            raise NotFound("site not found")
        for name, value in changes.items():
            setattr(site, name, value)
        return site


def create_api_key(db: Database, site_id: int, label: str = "") -> NewKey:
    """Create a key for a site and return its secret once."""
    prefix = secrets.token_hex(6)
    secret = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
    with db.transaction() as s:
        if s.get(Site, site_id) is None:
            raise NotFound("site not found")
        key = ApiKey(site_id=site_id, prefix=prefix, key_hash=_hash_key(secret), label=label)
        s.add(key)
        s.flush()
        return NewKey(id=key.id, site_id=site_id, prefix=prefix, secret=secret)


def site_for_key(db: Database, secret: str) -> int | None:
    """Return the site id a live key belongs to, comparing hashes in constant time."""
    parts = secret.split("_")
    if len(parts) < 3 or not secret.startswith(KEY_PREFIX):
        return None
    with db.transaction() as s:
        key = s.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.key_hash, _hash_key(secret)):
        return None
    return key.site_id


def revoke_api_key(db: Database, site_id: int, key_id: int) -> None:
    """Revoke a key of a site; requests with it fail from now on."""
    with db.transaction() as s:
        key = s.get(ApiKey, key_id)
        if key is None or key.site_id != site_id:
            raise NotFound("key not found")
        key.revoked_at = utcnow()


def list_api_keys(db: Database, site_id: int) -> list[ApiKey]:
    """List a site's keys (prefixes only)."""
    with db.transaction() as s:
        return list(s.scalars(select(ApiKey).where(ApiKey.site_id == site_id)))


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
