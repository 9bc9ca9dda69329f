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
from redis import Redis
from redis.exceptions import RedisError

from service import models
from service.context import services
from service.errors import Forbidden, Unauthorized, Unavailable
from service.limits import bearer_token
from service.store import Database, accounts, moderator_accounts

F = TypeVar("F", bound=Callable[..., Any])
# A verified credential is remembered briefly so a busy client does not pay for a password
# hash or a key lookup on every request; revocations take effect within this many seconds.
CACHE_SECONDS = 30.0
_site_cache: dict[str, tuple[float, int]] = {}
_moderator_cache: dict[str, tuple[float, Moderator]] = {}
# Failed sign-ins, counted in Redis over a window that starts at the first failure. The
# lock is per (account, client IP) so that strangers cannot lock a moderator out of every
# address; the per-IP limit, across usernames, stops one address from guessing many accounts.
FAILURES_PER_ACCOUNT_AND_IP = 5
FAILURES_PER_IP = 20
FAILURE_WINDOW_SECONDS = 15 * 60


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


def verify_login(username: str, password: str) -> models.Moderator | None:
    """Check a moderator's password unless this client failed too often; count a failure.

    The API's HTTP Basic and the desk's sign-in form both come here, so both follow the
    same rule (docs/security.md). A throttled attempt is refused without checking the
    password, even a right one. Without Redis nobody can be throttled: answer 503.
    """
    redis = services().redis
    ip = request.remote_addr or "-"
    keys = _failure_keys(username, ip)
    try:
        if _throttled(redis, *keys[:2]):
            return None
        account = moderator_accounts.verify_moderator(services().db, username, password)
        if account is None:
            _count_failure(redis, ip, *keys)
        else:
            redis.delete(keys[1])  # the right password clears this address's failures on it
    except RedisError as exc:
        raise Unavailable("signing in is unavailable for a moment; try again") from exc
    return account


def _account_hash(username: str) -> str:
    return hashlib.sha256(username.encode()).hexdigest()[:24]


def _failure_keys(username: str, ip: str) -> tuple[str, str, str]:
    """The per-IP and the per-(account, IP) counters, and the set of addresses the account
    failed from (what an admin's unlock clears); the username hashed, being anything."""
    account = _account_hash(username)
    return (
        f"duyet:login-failures:ip:{ip}",
        f"duyet:login-failures:account:{account}:{ip}",
        f"duyet:login-failures:addresses:{account}",
    )


def _throttled(redis: Redis, ip_key: str, account_key: str) -> bool:
    by_ip, by_account = (int(n or 0) for n in redis.mget(ip_key, account_key))
    return by_ip >= FAILURES_PER_IP or by_account >= FAILURES_PER_ACCOUNT_AND_IP


# Each counter's window opens at its first failure; atomic, so a counter never outlives it.
# The set of addresses lives as long as the newest of its counters.
_COUNT_FAILURE = """
for i = 1, 2 do
  redis.call('INCR', KEYS[i])
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[1]) end
end
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[1])
"""


def _count_failure(redis: Redis, ip: str, *keys: str) -> None:
    redis.eval(_COUNT_FAILURE, len(keys), *keys, FAILURE_WINDOW_SECONDS, ip)


def _addresses(redis: Redis, username: str) -> list[str]:
    members = redis.smembers(_failure_keys(username, "")[2])
    return sorted(m.decode() if isinstance(m, bytes) else str(m) for m in members)


def locked_out(redis: Redis, username: str) -> list[str]:
    """The addresses this account may not sign in from now (too many failures there)."""
    addresses = _addresses(redis, username)
    if not addresses:
        return []
    counts = redis.mget([_failure_keys(username, ip)[1] for ip in addresses])
    return [
        ip
        for ip, count in zip(addresses, counts, strict=True)
        if int(count or 0) >= FAILURES_PER_ACCOUNT_AND_IP
    ]


def unlock(redis: Redis, username: str) -> list[str]:
    """Forget the account's failures from every address; the addresses it was locked out of.

    The per-address limit across usernames stays: it is about the address, not the account.
    """
    locked = locked_out(redis, username)
    counters = [_failure_keys(username, ip)[1] for ip in _addresses(redis, username)]
    redis.delete(_failure_keys(username, "")[2], *counters)
    return locked


def _cached_moderator(username: str, password: str) -> Moderator | None:
    digest = hashlib.sha256(f"{username}\x00{password}".encode()).hexdigest()
    hit = _moderator_cache.get(digest)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    account = verify_login(username, password)
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
    """Let the request through only for a moderator; sets g.moderator and g.scope.

    The scope is read on every request (the credentials are remembered): a changed scope
    applies at once, and a removed account is refused at once."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.moderator = current_moderator()
        found = moderator_accounts.moderator_with_scope(services().db, g.moderator.id)
        if found is None:
            raise Unauthorized("wrong username or password, or the account is locked")
        g.scope = found[1]
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def clear_caches() -> None:
    """Forget remembered credentials (tests, key revocation in this process)."""
    _site_cache.clear()
    _moderator_cache.clear()
