"""Who is calling: a site (Bearer API key) or a moderator (HTTP Basic); never both at once."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from service.context import services
from service.errors import Forbidden, Unauthorized
from service.limits import bearer_token
from service.store import Database, accounts

F = TypeVar("F", bound=Callable[..., Any])
# A verified credential is remembered briefly so a busy client does not pay for a password
# hash or a key lookup on every request; revocations take effect within this many seconds.
CACHE_SECONDS = 30.0
_site_cache: dict[str, tuple[float, int]] = {}
_moderator_cache: dict[str, tuple[float, Moderator]] = {}


@dataclass(frozen=True)
class Moderator:
    id: int
    username: str
    role: str


def site_for_key(db: Database, secret: str) -> int | None:
    """Return the site a live API key belongs to (remembered for CACHE_SECONDS), or None."""
    digest = hashlib.sha256(secret.encode()).hexdigest()
    hit = _site_cache.get(digest)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    site_id = accounts.site_for_key(db, secret)
    if site_id is not None:
        _site_cache[digest] = (time.monotonic() + CACHE_SECONDS, site_id)
    return site_id


def require_site(view: F) -> F:
    """Let the request through only with a live site key; sets g.site_id."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        secret = bearer_token(request.headers.get("Authorization", ""))
        if secret is None:
            raise Unauthorized("send the site's API key as 'Authorization: Bearer <key>'")
        site_id = site_for_key(services().db, secret)
        if site_id is None:
            raise Unauthorized("the API key is not valid")
        g.site_id = site_id
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _basic() -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, _, password = base64.b64decode(encoded.strip()).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (username, password) if username and password else None


def _cached_moderator(username: str, password: str) -> Moderator | None:
    digest = hashlib.sha256(f"{username}\x00{password}".encode()).hexdigest()
    hit = _moderator_cache.get(digest)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    account = accounts.verify_moderator(services().db, username, password)
    if account is None:
        return None
    moderator = Moderator(account.id, account.username, account.role)
    _moderator_cache[digest] = (time.monotonic() + CACHE_SECONDS, moderator)
    return moderator


def current_moderator() -> Moderator:
    """Return the moderator of this request, from HTTP Basic credentials."""
    credentials = _basic()
    if credentials is None:
        if bearer_token(request.headers.get("Authorization", "")) is not None:
            raise Forbidden("a site key cannot act as a moderator")
        raise Unauthorized("moderator credentials are required (HTTP Basic)")
    moderator = _cached_moderator(*credentials)
    if moderator is None:
        raise Unauthorized("wrong username or password, or the account is locked")
    return moderator


def require_moderator(view: F) -> F:
    """Let the request through only for a moderator; sets g.moderator."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.moderator = current_moderator()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def clear_caches() -> None:
    """Forget remembered credentials (tests, key revocation in this process)."""
    _site_cache.clear()
    _moderator_cache.clear()
