"""Find pending comments whose job was lost (Redis down at intake, a crash) and queue them again."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from redis import Redis
from redis.exceptions import RedisError

from service.queue import JobQueue
from service.settings import Settings
from service.store import Database
from service.store.decisions import stranded_comment_ids
from workers.site_training import retrain_due_sites

log = logging.getLogger("duyet.sweep")
LOCK_KEY = "duyet:sweep:lock"


def sweep_once(db: Database, redis: Redis, settings: Settings) -> int:
    """Re-queue stranded comments once; return how many. One sweeper at a time, via a lock."""
    try:
        if not redis.set(LOCK_KEY, "1", nx=True, ex=max(5, settings.sweep_interval)):
            return 0
    except RedisError:
        return 0  # nothing can be queued while Redis is away; the next sweep tries again
    queue = JobQueue(redis, settings)
    queue.reclaim_abandoned()  # jobs of a worker that died mid-job become visible to the sweep
    candidates = stranded_comment_ids(db, timedelta(seconds=settings.sweep_min_age))
    try:
        ids = queue.without_live_job(candidates) if candidates else []
    except RedisError:
        return 0
    if ids and not queue.moderate(ids):
        return 0
    if ids:
        log.info("re-queued %d stranded comments", len(ids))
    return len(ids)


def run_forever(db: Database, redis: Redis, settings: Settings, stop: threading.Event) -> None:
    """Sweep every sweep_interval seconds until stop is set; retrain sites that are due."""
    while not stop.wait(settings.sweep_interval):
        try:
            sweep_once(db, redis, settings)
        except Exception:  # a sweep must never take its worker down
            log.exception("sweep failed")
        try:
            retrain_due_sites(db, redis, settings)
        except Exception:  # nor a retrain: the site keeps the model it had
            log.exception("site model retrain failed")
