"""Retraining a site's own model from its moderators' labels (docs/engine.md).

Every `Settings.site_retrain_every` new labels a worker's sweep thread starts
`python -m workers.site_training SITE_ID`, which trains the seed corpus and the site's
newest labels together and stores the model; workers pick it up (workers/site_models.py).
An admin's "retrain now" on the desk's settings page is taken at the next sweep, whatever
the count; `duyet site retrain` calls `retrain_site` directly.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from service.queue import RETRAIN_LOCK_KEY, RETRAIN_REQUESTS_KEY
from service.settings import Settings
from service.store import Database
from service.store.site_models import new_examples_by_site, save_site_model, site_examples
from workers.engine.training import train_site_model

log = logging.getLogger("duyet.site_models")

# One retrain check for all workers every this long; one retrain of a site at a time.
RETRAIN_CHECK_KEY, RETRAIN_CHECK_SECONDS = "duyet:site-models:checked", 300
RETRAIN_LOCK_SECONDS = 600
REQUESTS_TAKEN_AT_ONCE = 100
# A site's model learns from its newest labels, at most this many (about a minute of training).
MAX_LABELS = 20_000


@dataclass(frozen=True)
class Retrained:
    site_id: int
    model_id: int
    version: str
    examples: int
    report: dict[str, Any] | None


def retrain_site(db: Database, site_id: int) -> Retrained | None:
    """Train and store the site's own model from its labels; None if it has none."""
    examples = site_examples(db, site_id, newest=MAX_LABELS)
    if not examples.texts:
        return None
    model, report = train_site_model(examples.texts, examples.labels, f"site{site_id}")
    model_id = save_site_model(db, site_id, model.version, model.to_bytes(), examples, report)
    log.info("site %d: model %s trained on %d labels", site_id, model.version, len(examples.texts))
    return Retrained(site_id, model_id, model.version, len(examples.texts), report)


def retrain_due_sites(db: Database, redis: Redis, settings: Settings) -> list[int]:
    """Retrain the sites an admin asked for (JobQueue.request_retrain), then every site with
    site_retrain_every new labels since its model; the ids of those retrained. At most one
    check of the counts per RETRAIN_CHECK_SECONDS across workers, one retrain of a site at
    a time, each in a process of its own."""
    try:
        requested = _requested_sites(redis)
        due = requested + _sites_with_new_labels(db, redis, settings)
    except RedisError:
        return []
    done = []
    for site_id in dict.fromkeys(due):
        lock = RETRAIN_LOCK_KEY.format(site_id)
        if not redis.set(lock, 1, nx=True, ex=RETRAIN_LOCK_SECONDS):
            if site_id in requested:  # a retrain is running: the admin's labels may be newer
                redis.sadd(RETRAIN_REQUESTS_KEY, site_id)
            continue
        try:
            if _retrain_in_a_child(site_id):
                done.append(site_id)
        finally:
            redis.delete(lock)
    return done


def _requested_sites(redis: Redis) -> list[int]:
    """Take the admins' requests: each is handed to one worker only."""
    taken: list[bytes] = redis.spop(RETRAIN_REQUESTS_KEY, REQUESTS_TAKEN_AT_ONCE)  # type: ignore[assignment]
    return sorted(int(site_id) for site_id in taken or [])


def _sites_with_new_labels(db: Database, redis: Redis, settings: Settings) -> list[int]:
    every = settings.site_retrain_every
    if every <= 0 or not redis.set(RETRAIN_CHECK_KEY, 1, nx=True, ex=RETRAIN_CHECK_SECONDS):
        return []
    return [site_id for site_id, new in sorted(new_examples_by_site(db).items()) if new >= every]


def _retrain_in_a_child(site_id: int) -> bool:
    """Retrain in a process of its own: training takes 70-170 MB (4,000 / 20,000 labels)
    that a worker would keep after it, and its CPU would compete with the worker's jobs
    for one GIL. The child reads the same settings from the environment."""
    argv = [sys.executable, "-m", "workers.site_training", str(site_id)]
    try:
        finished = subprocess.run(argv, timeout=RETRAIN_LOCK_SECONDS - 60, check=False)
    except subprocess.TimeoutExpired:
        log.error("site %d: retraining took too long; the site keeps its model", site_id)
        return False
    if finished.returncode != 0:
        log.error("site %d: retraining failed (exit %d)", site_id, finished.returncode)
    return finished.returncode == 0


def main(argv: list[str] | None = None) -> int:
    """`python -m workers.site_training SITE_ID`: retrain one site (what a worker starts)."""
    from service.logging import configure_logging

    settings = Settings.from_env()
    configure_logging(settings)
    [site_id] = argv if argv is not None else sys.argv[1:]
    retrain_site(Database(settings.database_url), int(site_id))
    return 0


if __name__ == "__main__":
    sys.exit(main())
