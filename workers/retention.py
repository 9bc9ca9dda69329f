"""Forget readers' IP addresses and user agents once a site has kept them long enough.

They serve the engine and moderators for a while (flood and rate checks, IP bans, one
person behind many names), not for ever: Decree 13/2023/ND-CP and the GDPR both ask that
personal data be kept no longer than needed. Each site says how many days
(forget_reader_network_after_days, 90 by default); the sweep clears both columns on the
site's comments posted before then.

A site is swept once an hour, by one worker between them all (a Redis key, as the alerts
take turns). A run clears at most BATCHES_PER_RUN batches of BATCH_ROWS, each in a
transaction of its own, so neither database holds a long transaction nor keeps workers'
decisions waiting; a run that stopped at its limit leaves the site's turn to the next
sweep rather than the next hour, so a large backlog (the first run after an upgrade)
drains in minutes. Without Redis nothing is swept: no turn-taking, no run.
"""

from __future__ import annotations

import logging

from redis import Redis
from redis.exceptions import RedisError

from service.metrics import READER_NETWORK_FORGOTTEN
from service.settings import Settings
from service.store import Database
from service.store.retention import KeptFor, forget_batch, kept_for, record_forgotten

log = logging.getLogger("duyet.retention")

BATCH_ROWS = 5_000
BATCHES_PER_RUN = 4
PERIOD_SECONDS = 3600
TURN_KEY = "duyet:retention:site:{site_id}"


def sweep_retention(db: Database, redis: Redis, settings: Settings) -> int:
    """Forget what each site keeps no longer, where it is this worker's turn; return how
    many comments were cleared."""
    forgotten = 0
    for kept in kept_for(db):
        if _take_turn(redis, kept.site_id):
            forgotten += _run(db, redis, settings, kept)
    return forgotten


def _run(db: Database, redis: Redis, settings: Settings, kept: KeptFor) -> int:
    count = 0
    for _ in range(BATCHES_PER_RUN):
        cleared = forget_batch(db, kept.site_id, kept.cutoff, BATCH_ROWS)
        count += cleared
        if cleared < BATCH_ROWS:
            break
    else:  # every batch was full: more are waiting
        _next_sweep_goes_on(redis, kept.site_id, settings.sweep_interval)
    if count:
        record_forgotten(db, kept, count)
        READER_NETWORK_FORGOTTEN.inc(count)
        log.info("forgot the IP and user agent of %d comments of site %d", count, kept.site_id)
    return count


def _take_turn(redis: Redis, site_id: int) -> bool:
    """Take the site's turn: false if another worker swept it within the period."""
    try:
        return bool(redis.set(TURN_KEY.format(site_id=site_id), "1", nx=True, ex=PERIOD_SECONDS))
    except RedisError:
        return False  # without turn-taking every worker would run: this round, none does


def _next_sweep_goes_on(redis: Redis, site_id: int, sweep_interval: int) -> None:
    # Half an interval: gone by the next sweep of any worker, while this run's is over.
    try:
        redis.set(TURN_KEY.format(site_id=site_id), "1", ex=max(1, sweep_interval // 2))
    except RedisError:
        log.warning("site %d: its next retention run waits the hour (Redis away)", site_id)
