"""Rate limits per site key, caller address, comment IP and author, answered 429.

Fixed windows counted in Redis: one round trip per request, whatever the number of limits
(a script that adds to each counter and gives a new one its expiry). A busy caller far below
its limits is counted in the process and added to Redis in batches (see Tally); near a limit,
and for the comment IP and author limits, every request is counted in Redis. When Redis is
unreachable the limits fail open for a few seconds (the comment is still stored and answered
202): a limiter must never be the reason a comment is lost.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, request
from redis.exceptions import NoScriptError, RedisError

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
# KEYS: the counters of this request; ARGV[1]: their lifetime in seconds; ARGV[i + 1]: what
# to add to KEYS[i]. Returns the counts.
_COUNT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local added = tonumber(ARGV[i + 1])
  counts[i] = redis.call('INCRBY', key, added)
  if counts[i] == added then redis.call('EXPIRE', key, ARGV[1]) end
end
return counts
"""
_COUNT_SHA = hashlib.sha1(_COUNT.encode()).hexdigest()


# A counter is counted in the process only while Redis's count plus what this process holds
# back stays under half its limit, and for at most BATCH requests or SYNC_SECONDS.
BATCH = 32
SYNC_SECONDS = 1.0
MAX_TALLIED = 50_000
EXACT_KINDS = frozenset(("ip", "author"))  # they mark floods, so every comment is counted


class Tally:
    """One process's counts not yet in Redis, beside Redis's count at the last round trip.

    Whatever the processes hold back is at most BATCH each and only below half a limit, so
    the limit is decided on Redis's exact count unless half of it arrives within a second.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[int, int, float]] = {}  # key: count, held back, synced at
        self._slot = 0

    def hold(self, found: list[Counter], keys: list[str]) -> bool:
        """Count this request here if every one of its counters is far below its limit."""
        if any(c.kind in EXACT_KINDS for c in found):
            return False
        now = time.monotonic()
        with self._lock:
            seen = [self._seen.get(key) for key in keys]
            for counter, entry in zip(found, seen, strict=True):
                if entry is None or entry[1] + 1 >= BATCH or now - entry[2] > SYNC_SECONDS:
                    return False
                if entry[0] + entry[1] + BATCH > counter.limit // 2:
                    return False
            for key in keys:
                count, held, synced = self._seen[key]
                self._seen[key] = (count, held + 1, synced)
        return True

    def release(self, keys: list[str]) -> list[int]:
        """Hand over what is held back for these counters, plus this request."""
        with self._lock:
            held = [self._seen.get(key, (0, 0, 0.0)) for key in keys]
            for key, (count, _, synced) in zip(keys, held, strict=True):
                self._seen[key] = (count, 0, synced)
        return [entry[1] + 1 for entry in held]

    def synced(self, slot: int, keys: list[str], counts: list[int]) -> None:
        """Remember Redis's counts; requests held back meanwhile stay held."""
        now = time.monotonic()
        with self._lock:
            if slot != self._slot or len(self._seen) > MAX_TALLIED:
                self._seen.clear()  # a past window's counters, or too many callers to hold
                self._slot = slot
            for key, count in zip(keys, counts, strict=True):
                self._seen[key] = (count, self._seen.get(key, (0, 0, 0.0))[1], now)


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


def _count(window: int, keys: list[str], added: list[int]) -> list[int] | None:
    redis = services().redis
    try:
        try:
            counts = redis.evalsha(_COUNT_SHA, len(keys), *keys, window + 1, *added)
        except NoScriptError:  # a restarted Redis has forgotten the script
            counts = redis.eval(_COUNT, len(keys), *keys, window + 1, *added)
        return [int(n) for n in counts]  # type: ignore[union-attr]
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
    if not found:
        return None
    window = settings.rate_limit_window
    slot = int(time.time() // window)
    keys = [f"duyet:limit:{c.kind}:{c.ident}:{slot}" for c in found]
    tally: Tally = current_app.extensions["duyet.limits"]
    if tally.hold(found, keys):
        return None
    counts = _count(window, keys, tally.release(keys))
    if counts is None:
        return None
    tally.synced(slot, keys, counts)
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
    app.extensions["duyet.limits"] = Tally()
    app.before_request(check_limits)
