"""What the job measures around a comment in Redis: posting rates, near-duplicates, feedback.

Fingerprints are 64-bit SimHashes split into four 16-bit bands; two texts within three
bits of each other share at least one band exactly (pigeonhole), so each band value is a
Redis bucket and a lookup is a handful of reads in one pipeline, whatever the volume.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from redis import Redis

from workers.engine.fingerprint import bands, similarity
from workers.engine.types import Feedback

RATE_WINDOW = 60
DUPLICATE_WINDOW = 3600
NEAR = 1 - 3 / 64  # three differing bits of 64
FEEDBACK_KEEP = 500  # labeled fingerprints kept per band bucket


@dataclass(frozen=True)
class Sighting:
    """One comment as the duplicate index remembers it."""

    comment_id: int
    fingerprint: int
    article_id: int
    author: str

    def encode(self) -> str:
        return f"{self.comment_id}:{self.fingerprint}:{self.article_id}:{self.author}"

    @classmethod
    def decode(cls, raw: bytes) -> Sighting:
        comment_id, fingerprint, article_id, author = raw.decode().split(":", 3)
        return cls(int(comment_id), int(fingerprint), int(article_id), author)


def posting_rates(redis: Redis, site_id: int, who: dict[str, str | None]) -> dict[str, int]:
    """Count this comment in per-minute windows per IP/email/author; return the counts."""
    minute = int(time.time() // RATE_WINDOW)
    present = {kind: value for kind, value in who.items() if value}
    pipe = redis.pipeline(transaction=False)
    for kind, value in present.items():
        key = f"duyet:rate:{site_id}:{kind}:{value}:{minute}"
        pipe.incr(key)
        pipe.expire(key, RATE_WINDOW * 2)
    counts = pipe.execute()[::2]
    return {kind: int(n) for kind, n in zip(present, counts, strict=True)}


def _band_keys(prefix: str, fingerprint: int) -> list[str]:
    return [f"{prefix}:{i}:{band}" for i, band in enumerate(bands(fingerprint))]


def count_duplicates(redis: Redis, site_id: int, sighting: Sighting) -> int:
    """Count near-identical texts posted recently on other articles or by other authors."""
    now = time.time()
    keys = _band_keys(f"duyet:nd:{site_id}", sighting.fingerprint)
    pipe = redis.pipeline(transaction=False)
    for key in keys:
        pipe.zrangebyscore(key, now - DUPLICATE_WINDOW, "+inf")
    seen = {Sighting.decode(raw) for members in pipe.execute() for raw in members}
    for key in keys:
        pipe.zadd(key, {sighting.encode(): now})
        pipe.zremrangebyscore(key, "-inf", now - DUPLICATE_WINDOW)
        pipe.expire(key, DUPLICATE_WINDOW)
    pipe.execute()
    return len({s.comment_id for s in seen if _is_other_copy(s, sighting)})


def _is_other_copy(seen: Sighting, this: Sighting) -> bool:
    if seen.comment_id == this.comment_id:
        return False
    if similarity(seen.fingerprint, this.fingerprint) < NEAR:
        return False
    return seen.article_id != this.article_id or seen.author != this.author


def remember_label(redis: Redis, site_id: int, fingerprint: int, label: str) -> None:
    """Keep a moderator's label for a text so near-identical ones are scored with it."""
    pipe = redis.pipeline(transaction=False)
    for key in _band_keys(f"duyet:fb:{site_id}", fingerprint):
        pipe.lpush(key, f"{fingerprint}:{label}")
        pipe.ltrim(key, 0, FEEDBACK_KEEP - 1)
    pipe.execute()


def feedback_for(redis: Redis, site_id: int, fingerprint: int) -> tuple[Feedback, ...]:
    """Return moderators' labels on near-identical texts, latest label per text."""
    pipe = redis.pipeline(transaction=False)
    for key in _band_keys(f"duyet:fb:{site_id}", fingerprint):
        pipe.lrange(key, 0, -1)
    latest: dict[int, str] = {}
    for members in pipe.execute():
        for raw in members:
            fp, label = raw.decode().split(":", 1)
            latest.setdefault(int(fp), label)  # lists are newest first
    found = ((similarity(fp, fingerprint), label) for fp, label in latest.items())
    return tuple(Feedback(label, sim) for sim, label in found if sim >= NEAR)


@dataclass(frozen=True)
class Observed:
    """What Redis knows around one comment: its posting rates, copies, moderators' labels."""

    rates: dict[str, int]
    duplicates: int
    feedback: tuple[Feedback, ...]


# One comment after another, inside Redis: count its posting rates, read the recent copies
# and the labels near its text, then add it to the copies the next comment will see.
# A comment is counted once: the rates it got are kept under its mark, and a second check
# of it (a retried job, a batch run again) reads them back instead of counting it again.
# KEYS per comment: its mark, its rate keys, four duplicate bands, four feedback bands.
# ARGV: now, cutoff, rate ttl, duplicate ttl, then per comment: rate key count, its sighting.
_OBSERVE = """
local now, cutoff = tonumber(ARGV[1]), tonumber(ARGV[2])
local rate_ttl, dup_ttl = tonumber(ARGV[3]), tonumber(ARGV[4])
local k, out = 1, {}
for i = 5, #ARGV, 2 do
  local rates, copies, labels = nil, {}, {}
  local mark, count = KEYS[k], tonumber(ARGV[i])
  local before = redis.call('GET', mark)
  k = k + 1
  if before then
    local kept = cjson.decode(before)
    if #kept == count then rates = kept end
  end
  if not rates then
    rates = {}
    for j = 1, count do
      rates[j] = redis.call('INCR', KEYS[k + j - 1])
      if rates[j] == 1 then redis.call('EXPIRE', KEYS[k + j - 1], rate_ttl) end
    end
    redis.call('SET', mark, cjson.encode(rates), 'EX', dup_ttl)
  end
  k = k + count
  for j = 0, 3 do
    copies[j + 1] = redis.call('ZRANGEBYSCORE', KEYS[k + j], cutoff, '+inf')
    labels[j + 1] = redis.call('LRANGE', KEYS[k + 4 + j], 0, -1)
  end
  for j = 0, 3 do
    redis.call('ZADD', KEYS[k + j], now, ARGV[i + 1])
    redis.call('ZREMRANGEBYSCORE', KEYS[k + j], '-inf', cutoff)
    redis.call('EXPIRE', KEYS[k + j], dup_ttl)
  end
  k = k + 8
  out[#out + 1] = {rates, copies, labels}
end
return out
"""


def observe_many(
    redis: Redis, items: list[tuple[int, dict[str, str | None], Sighting]]
) -> list[Observed]:
    """Do posting_rates, count_duplicates and feedback_for for many comments in one round trip.

    Items are (site_id, who, sighting) in submission order; the script takes them in turn,
    so each comment also sees the copies earlier in the same batch, and the answers equal
    those of one call per comment in turn.
    """
    if not items:
        return []
    now = time.time()
    minute = int(now // RATE_WINDOW)
    keys: list[str] = []
    args: list[str | float] = [now, now - DUPLICATE_WINDOW, RATE_WINDOW * 2, DUPLICATE_WINDOW]
    kinds = []
    for site_id, who, sighting in items:
        present = [(kind, value) for kind, value in who.items() if value]
        keys.append(f"duyet:counted:{sighting.comment_id}")
        keys += [f"duyet:rate:{site_id}:{kind}:{value}:{minute}" for kind, value in present]
        keys += _band_keys(f"duyet:nd:{site_id}", sighting.fingerprint)
        keys += _band_keys(f"duyet:fb:{site_id}", sighting.fingerprint)
        args += [len(present), sighting.encode()]
        kinds.append([kind for kind, _ in present])
    replies = redis.register_script(_OBSERVE)(keys, args)
    return [
        _observed(present, reply, sighting)
        for present, reply, (_, _, sighting) in zip(kinds, replies, items, strict=True)
    ]


def _observed(kinds: list[str], reply: list[Any], sighting: Sighting) -> Observed:
    rates, copies, labels = reply
    seen = {Sighting.decode(raw) for members in copies for raw in members}
    count = len({s.comment_id for s in seen if _is_other_copy(s, sighting)})
    return Observed(
        dict(zip(kinds, map(int, rates), strict=True)),
        count,
        _latest_labels(labels, sighting.fingerprint),
    )


def _latest_labels(lists: list[list[bytes]], fingerprint: int) -> tuple[Feedback, ...]:
    latest: dict[int, str] = {}
    for members in lists:
        for raw in members:
            fp, label = raw.decode().split(":", 1)
            latest.setdefault(int(fp), label)  # lists are newest first
    found = ((similarity(fp, fingerprint), label) for fp, label in latest.items())
    return tuple(Feedback(label, sim) for sim, label in found if sim >= NEAR)
