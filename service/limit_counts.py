"""Counting rate limits in Redis: fixed windows, one script call for any number of counters.

Used by the request hooks (service/limits.py) and by the intake writer (service/intake.py),
which counts a whole batch's comment IP and author counters in one call. No Flask here.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from redis import Redis
from redis.exceptions import NoScriptError, RedisError

from service.errors import DuyetError, envelope

if TYPE_CHECKING:
    from flask import Response

log = logging.getLogger("duyet.limits")
# After Redis fails, skip limiting this long so intake does not pay a timeout per request.
FAIL_OPEN_SECONDS = 5.0


@dataclass(frozen=True)
class Counter:
    """One limit that applies to this request: what it counts and how many it allows."""

    kind: str
    ident: str
    limit: int


@dataclass(frozen=True)
class Deferred:
    """A comment's IP and author counters, left for the intake writer to count with its batch."""

    counters: list[Counter]
    keys: list[str]
    window: int
    flood_after: int


@dataclass(frozen=True)
class Verdict:
    """What a comment's deferred counters say: the limit it went over, if any, and a flood."""

    over: str | None = None
    flood: bool = False


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


def count(redis: Redis, window: int, keys: list[str], added: list[int]) -> list[int] | None:
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


def retry_after_seconds(window: int) -> str:
    return str(max(1, int(window - time.time() % window + 0.999)))


class TooManyRequests(DuyetError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def response(self) -> Response:
        answer = envelope(self.status, self.code, self.message)
        answer.headers["Retry-After"] = self.retry_after
        return answer


def too_many(kind: str, window: int) -> TooManyRequests:
    """The 429 for a request over its `kind` limit, with the seconds left in the window."""
    message = f"Too many requests ({kind} limit); retry later."
    return TooManyRequests(message, retry_after_seconds(window))


def count_deferred(redis: Redis, batch: list[Deferred | None]) -> list[Verdict]:
    """Count the deferred counters of a batch of comments in one call; a verdict for each.

    The script adds to the counters in the batch's order, so two comments from one IP see
    counts one apart, exactly as two requests in a row would.
    """
    verdicts = [Verdict()] * len(batch)
    wanted = [(i, d) for i, d in enumerate(batch) if d is not None]
    if not wanted or breaker.is_open():
        return verdicts
    keys = [key for _, d in wanted for key in d.keys]
    counts = count(redis, wanted[0][1].window, keys, [1] * len(keys))
    if counts is None:
        return verdicts
    at = 0
    for i, d in wanted:
        mine, at = counts[at : at + len(d.keys)], at + len(d.keys)
        over = [c.kind for c, n in zip(d.counters, mine, strict=True) if n > c.limit]
        flood = d.flood_after > 0 and any(n > d.flood_after for n in mine)
        verdicts[i] = Verdict(over[0] if over else None, flood)
    return verdicts
