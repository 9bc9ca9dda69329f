"""Published-comment counts for article lists, cached in Redis by thread version.

A count is a function of the thread's state, which the article's thread version names
(service/thread_versions.py), so a count filed under (article id, version) never goes
stale: a change that could alter it bumps the version, and the next ask looks under a new
key. The TTL only lets Redis forget the counts of articles nobody asks about. A repeated
ask costs two round trips, the versions' MGET and the counts' MGET, whatever the number
of articles (and one query for the versions whose 5 s copies lapsed); the counts Redis
lacks are read in one grouped query (service/store/counts.py). With Redis away every
count comes from that query: slower, never wrong.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence

from redis import Redis
from redis.exceptions import RedisError

from service.store import Database
from service.store.counts import published_counts

# As long as a rendered thread page is kept (service/api/threads.py PAGE_TTL).
TTL_SECONDS = 300

Versions = dict[str, tuple[int, int]]  # the site's article id -> (article id, thread version)


def _key(article_id: int, version: int) -> str:
    return f"duyet:comment-count:{article_id}:{version}"


def counts_etag(external_ids: Sequence[str], versions: Versions) -> str:
    """Name the counts of these articles at these versions (an unknown article: no version)."""
    named = [[external_id, *versions.get(external_id, ())] for external_id in external_ids]
    return hashlib.sha256(json.dumps(named).encode()).hexdigest()[:32]


def counts_of(redis: Redis, db: Database, site_id: int, versions: Versions) -> dict[str, int]:
    """Return the published-comment count of each article named in versions."""
    found = _cached(redis, versions)
    missing = {article_id for e, (article_id, _) in versions.items() if e not in found}
    if missing:
        counted = published_counts(db, site_id, missing)
        _keep(redis, counted)
        for external_id, (article_id, _) in versions.items():
            if external_id not in found:
                found[external_id] = counted.get(article_id, (0, 0))[1]
    return found


def _cached(redis: Redis, versions: Versions) -> dict[str, int]:
    if not versions:
        return {}
    try:
        copies = redis.mget([_key(*pair) for pair in versions.values()])
    except RedisError:
        return {}
    return {e: int(c) for e, c in zip(versions, copies, strict=True) if c is not None}


def _keep(redis: Redis, counted: dict[int, tuple[int, int]]) -> None:
    """File each count under the version the same query read it with."""
    with contextlib.suppress(RedisError), redis.pipeline(transaction=False) as pipe:
        for article_id, (version, count) in counted.items():
            pipe.set(_key(article_id, version), count, ex=TTL_SECONDS)
        pipe.execute()
