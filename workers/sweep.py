"""Find pending comments whose job was lost (Redis down at intake, a crash) and queue them
again; the same for webhook events, whose retries are queued here when their time comes."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from redis import Redis
from redis.exceptions import RedisError

from service.metrics import WEBHOOK_GIVEN_UP
from service.queue import JobQueue
from service.settings import Settings
from service.store import Database, outbox
from service.store.moderation_input import stranded_comment_ids
from workers.alerts import sweep_alerts
from workers.site_training import retrain_due_sites

log = logging.getLogger("duyet.sweep")
LOCK_KEY = "duyet:sweep:lock"
WEBHOOK_LOCK_KEY = "duyet:sweep:webhooks:lock"


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


def sweep_webhooks(db: Database, redis: Redis, settings: Settings) -> int:
    """Queue the webhook events that are due, retries whose backoff is over and first
    attempts whose job was lost, and forget events finished long ago; return how many
    were queued. One sweeper at a time, via its own lock."""
    queue = JobQueue(redis, settings)
    try:
        if not redis.set(WEBHOOK_LOCK_KEY, "1", nx=True, ex=max(5, settings.sweep_interval)):
            return 0
        age = timedelta(seconds=settings.sweep_min_age)
        due = outbox.due_event_ids(db, age, settings.webhook_retries)
        ids = queue.webhooks_without_live_job(due) if due else []
    except RedisError:
        return 0  # the events wait in the database for the next sweep
    queued = sum(queue.webhook(event_id) for event_id in ids)
    if queued:
        log.info("queued %d webhook events due for delivery", queued)
    for event in outbox.give_up_exhausted(db, settings.webhook_retries):
        WEBHOOK_GIVEN_UP.labels(event=event).inc()
        log.warning("a %s webhook event given up: its last attempt ended without an answer", event)
    outbox.prune_finished(db)
    return queued


def run_forever(
    db: Database, redis: Redis, settings: Settings, stop: threading.Event, retrain: bool = True
) -> None:
    """Sweep every sweep_interval seconds until stop is set; retrain sites that are due
    (unless retrain is off: a webhooks-only worker keeps no model in memory)."""
    while not stop.wait(settings.sweep_interval):
        try:
            sweep_once(db, redis, settings)
            sweep_webhooks(db, redis, settings)
            sweep_alerts(db, redis, settings)
        except Exception:  # a sweep must never take its worker down
            log.exception("sweep failed")
        if not retrain:
            continue
        try:
            retrain_due_sites(db, redis, settings)
        except Exception:  # nor a retrain: the site keeps the model it had
            log.exception("site model retrain failed")
