"""Each article's thread version, mirrored in Redis so a cached read needs no database.

The database is the record: every change that bumps a version (a publish, a delete, a
tombstone, a report, an article update) returns the new value, and after its transaction
commits the store hands the new versions here (Database.on_thread_versions), which
raise Redis's copy. A reader takes the copy, or on a miss reads the database and offers
what it read. Both write with one rule, "only if greater", so a reader that read just
before a publish cannot put the old version back over the new one. Copies live a few
seconds: if Redis missed a publish (it was away at that moment), readers fall back to
the database within TTL_SECONDS.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence

from redis import Redis
from redis.exceptions import RedisError

from service.store import Database
from service.store.reading import thread_version, thread_versions

log = logging.getLogger("duyet.thread_versions")
TTL_SECONDS = 5
MAX_ARTICLE_IDS = 100_000
# KEYS: version keys; ARGV: the versions, then the TTL. A key is set only to a higher value.
_RAISE = """
local ttl = ARGV[#ARGV]
for i, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  if not current or tonumber(current) < tonumber(ARGV[i]) then
    redis.call('SET', key, ARGV[i], 'EX', ttl)
  end
end
return 0
"""


def _key(article_id: int) -> str:
    return f"duyet:thread-version:{article_id}"


class ThreadVersions:
    """Thread versions read from Redis when it has them, from the database when not."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._raise = redis.register_script(_RAISE)
        # An article's id never changes once it exists, so (site, external id) -> id is kept.
        self._article_ids: dict[tuple[int, str], int] = {}

    def publish(self, versions: dict[int, int]) -> None:
        """Raise Redis's copies to the versions a transaction just committed."""
        try:
            keys = [_key(article_id) for article_id in versions]
            self._raise(keys=keys, args=[*versions.values(), TTL_SECONDS])
        except RedisError as exc:  # readers go back to the database within TTL_SECONDS
            log.warning("could not publish thread versions: %s", exc.__class__.__name__)

    def lookup(self, db: Database, site_id: int, external_id: str) -> tuple[int, int]:
        """Return a site's article id and thread version, or raise NotFound."""
        article_id = self._article_ids.get((site_id, external_id))
        if article_id is not None:
            with contextlib.suppress(RedisError):
                cached = self.redis.get(_key(article_id))
                if cached is not None:
                    return article_id, int(cached)  # type: ignore[arg-type]
        article_id, version = thread_version(db, site_id, external_id)
        self._remember(site_id, {external_id: (article_id, version)})
        return article_id, version

    def lookup_many(
        self, db: Database, site_id: int, external_ids: Sequence[str]
    ) -> dict[str, tuple[int, int]]:
        """Return the article id and thread version of each of a site's articles that
        exists (an id no article has yet is left out): one MGET, one query for the rest."""
        found = self._copies(site_id, external_ids)
        missing = [external_id for external_id in external_ids if external_id not in found]
        if missing:
            read = thread_versions(db, site_id, missing)
            self._remember(site_id, read)
            found.update(read)
        return found

    def _copies(self, site_id: int, external_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """The versions Redis has of the articles whose ids this process knows."""
        known = {e: self._article_ids.get((site_id, e)) for e in external_ids}
        ids = {e: article_id for e, article_id in known.items() if article_id is not None}
        if not ids:
            return {}
        try:
            copies = self.redis.mget([_key(article_id) for article_id in ids.values()])
        except RedisError:
            return {}  # the database answers, as it does for one article
        return {
            e: (article_id, int(copy))
            for (e, article_id), copy in zip(ids.items(), copies, strict=True)
            if copy is not None
        }

    def _remember(self, site_id: int, read: dict[str, tuple[int, int]]) -> None:
        """Keep the article ids read from the database, and offer Redis their versions."""
        if len(self._article_ids) + len(read) > MAX_ARTICLE_IDS:
            self._article_ids.clear()
        for external_id, (article_id, _) in read.items():
            self._article_ids[(site_id, external_id)] = article_id
        if read:
            self.publish(dict(read.values()))
