"""Rate limits per site key, caller address, comment IP and author, answered 429.

Fixed windows counted in Redis: one pipelined round trip of INCR+EXPIRE per request,
whatever the number of limits. When Redis is unreachable the limits fail open for a few
seconds (the comment is still stored and answered 202): a limiter must never be the reason
a comment is lost.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, request
from redis.exceptions import RedisError

from service.context import services
from service.errors import envelope
from service.settings import Settings

log = logging.getLogger("duyet.limits")
INTAKE_PATH = "/v1/comments"
# After Redis fails, skip limiting this long so intake does not pay a timeout per request.
FAIL_OPEN_SECONDS = 5.0


@dataclass(frozen=True)
class Counter:
    """One limit that applies to this request: what it counts and how many it allows."""

    kind: str
    ident: str
    limit: int


class _Breaker:
    """Remember a Redis failure for a short while, shared by the threads of one process."""

    def __init__(self) -> None:
        self._until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._until

    def trip(self) -> None:
        with self._lock:
            self._until = time.monotonic() + FAIL_OPEN_SECONDS

    def reset(self) -> None:
        with self._lock:
            self._until = 0.0


breaker = _Breaker()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def _bearer_digest() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return _digest(token.strip()) if scheme.lower() == "bearer" and token.strip() else None


def _comment_fields() -> dict[str, Any]:
    if request.method != "POST" or request.path != INTAKE_PATH:
        return {}
    try:
        data = request.get_json(silent=True)  # cached: the view's own parse reuses it
    except RecursionError:  # nested too deeply; service.security answers it
        return {}
    return data if isinstance(data, dict) else {}


def _author(data: dict[str, Any]) -> str | None:
    for name in ("author_id", "author_email"):
        value = data.get(name)
        if isinstance(value, str) and value:
            return f"{name}:{value}"
    return None


def counters(settings: Settings) -> list[Counter]:
    """List the limits that apply to this request (a limit of 0 is switched off)."""
    site = _bearer_digest()
    found = [Counter("caller", request.remote_addr or "-", settings.rate_limit_caller_ip)]
    if site:
        found.append(Counter("key", site, settings.rate_limit_site_key))
        data = _comment_fields()
        ip, author = data.get("ip"), _author(data)
        if isinstance(ip, str) and ip:
            found.append(Counter("ip", f"{site}:{_digest(ip)}", settings.rate_limit_comment_ip))
        if author:
            found.append(Counter("author", f"{site}:{_digest(author)}", settings.rate_limit_author))
    return [c for c in found if c.limit > 0]


def _count(settings: Settings, found: list[Counter]) -> list[int] | None:
    window = settings.rate_limit_window
    slot = int(time.time() // window)
    pipe = services().redis.pipeline(transaction=False)
    for counter in found:
        key = f"duyet:limit:{counter.kind}:{counter.ident}:{slot}"
        pipe.incr(key)
        pipe.expire(key, window + 1)
    try:
        return [int(n) for n in pipe.execute()[::2]]
    except RedisError as exc:
        breaker.trip()
        log.warning("rate limits skipped, Redis unavailable: %s", exc.__class__.__name__)
        return None


def _retry_after(window: int) -> str:
    return str(max(1, int(window - time.time() % window + 0.999)))


def check_limits() -> Response | None:
    """Answer 429 with Retry-After when this request goes over one of its limits."""
    settings = services().settings
    if breaker.is_open():
        return None
    found = counters(settings)
    counts = _count(settings, found) if found else None
    if counts is None:
        return None
    flood_after = settings.flood_queue_after
    g.suspected_flood = flood_after > 0 and any(
        n > flood_after for c, n in zip(found, counts, strict=True) if c.kind in ("ip", "author")
    )
    over = [c.kind for c, n in zip(found, counts, strict=True) if n > c.limit]
    if not over:
        return None
    response = envelope(429, "rate_limited", f"Too many requests ({over[0]} limit); retry later.")
    response.headers["Retry-After"] = _retry_after(settings.rate_limit_window)
    return response


def suspected_flood() -> bool:
    """Tell the intake whether this comment's IP or author is posting above the flood mark."""
    return bool(g.get("suspected_flood", False))


def init_app(app: Flask) -> None:
    """Register the rate limits on an app."""
    app.before_request(check_limits)
