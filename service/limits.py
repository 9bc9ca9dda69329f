"""Rate limits per site key, caller address, comment IP and author, answered 429.

Fixed windows counted in Redis (service/limit_counts.py): one round trip per request,
whatever the number of limits. A busy caller far below
its limits is counted in the process and added to Redis in batches (see Tally); near a limit,
and for the comment IP and author limits, every request is counted in Redis. A comment's IP
and author limits are counted by the intake writer (service/intake.py), for all the comments
of its batch in one call. When Redis is unreachable the limits fail open for
a few seconds (the comment is still stored and answered 202): a limiter must never be the
reason a comment is lost.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, g, request

from service.context import Services, services
from service.limit_counts import (
    Counter,
    Deferred,
    TooManyRequests,
    breaker,
    count,
    too_many,
)
from service.settings import Settings

INTAKE_PATH = "/v1/comments"


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
    # The limits read the body before the schema does: a lone surrogate ("\udc00", valid
    # JSON) must count as itself, not raise. surrogatepass encodes every str, one to one.
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:24]


@dataclass(frozen=True)
class Caller:
    """What the limits read from a request: its address, its API key, the comment it sends.

    Built from Flask's request by the hook below, and from the WSGI environ by intake's
    fast path (service/api/fast_intake.py), so both count a request the same way.
    """

    address: str
    api_key: str | None
    comment: dict[str, Any] = field(default_factory=dict)  # a comment submission's body


def _author(data: dict[str, Any]) -> str | None:
    for name in ("author_id", "author_email"):
        value = data.get(name)
        if isinstance(value, str) and value:
            return f"{name}:{value}"
    return None


def counters(settings: Settings, caller: Caller) -> list[Counter]:
    """List the limits that apply to this request (a limit of 0 is switched off)."""
    found = [Counter("caller", caller.address, settings.rate_limit_caller_ip)]
    if caller.api_key:
        site = _digest(caller.api_key)
        found.append(Counter("key", site, settings.rate_limit_site_key))
        ip, author = caller.comment.get("ip"), _author(caller.comment)
        if isinstance(ip, str) and ip:
            found.append(Counter("ip", f"{site}:{_digest(ip)}", settings.rate_limit_comment_ip))
        if author:
            found.append(Counter("author", f"{site}:{_digest(author)}", settings.rate_limit_author))
    return [c for c in found if c.limit > 0]


def check(
    svc: Services, tally: Tally, caller: Caller
) -> tuple[TooManyRequests | None, Deferred | None]:
    """Count a request; return its 429 if it went over a limit, and what the writer counts.

    The comment IP and author counters are not counted here: they are returned for the
    intake writer, which counts them with its batch (service/intake.py).
    """
    settings = svc.settings
    if breaker.is_open():
        return None, None
    found = counters(settings, caller)
    if not found:
        return None, None
    window = settings.rate_limit_window
    slot = int(time.time() // window)
    keys = [f"duyet:limit:{c.kind}:{c.ident}:{slot}" for c in found]
    exact = [i for i, c in enumerate(found) if c.kind in EXACT_KINDS]
    deferred = None
    if exact:  # only a comment has them
        deferred = Deferred(
            [found[i] for i in exact], [keys[i] for i in exact], window, settings.flood_queue_after
        )
        found = [c for i, c in enumerate(found) if i not in exact]
        keys = [k for i, k in enumerate(keys) if i not in exact]
        if not found:
            return None, deferred
    if tally.hold(found, keys):
        return None, deferred
    counts = count(svc.redis, window, keys, tally.release(keys))
    if counts is None:
        return None, deferred
    tally.synced(slot, keys, counts)
    over = [c.kind for c, n in zip(found, counts, strict=True) if n > c.limit]
    return (too_many(over[0], window) if over else None), deferred


def bearer_token(authorization: str) -> str | None:
    """The API key of an 'Authorization: Bearer <key>' header, or None."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if token and scheme.lower() == "bearer" else None


def _comment_fields() -> dict[str, Any]:
    if request.method != "POST" or request.path != INTAKE_PATH:
        return {}
    try:
        data = request.get_json(silent=True)  # cached: the view's own parse reuses it
    except RecursionError:  # nested too deeply; service.security answers it
        return {}
    return data if isinstance(data, dict) else {}


def check_limits() -> Response | None:
    """Answer 429 with Retry-After when this request goes over one of its limits."""
    api_key = bearer_token(request.headers.get("Authorization", ""))
    caller = Caller(request.remote_addr or "-", api_key, _comment_fields() if api_key else {})
    over, deferred = check(services(), current_app.extensions["duyet.limits"], caller)
    if deferred:
        g.deferred_limits = deferred
    return over.response() if over else None


def deferred_limits() -> Deferred | None:
    """The comment IP and author counters this intake request left for the writer."""
    return g.get("deferred_limits")


def init_app(app: Flask) -> None:
    """Register the rate limits on an app."""
    app.extensions["duyet.limits"] = Tally()
    app.before_request(check_limits)
