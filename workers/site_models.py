"""Each site's own model in the worker: retrained as its moderators' labels pile up, and
the one its comments are scored with.

Moderators' labels teach the engine in two ways. At once, a label is remembered for the
text's fingerprint, so a near-identical comment is scored with it (workers/behaviour.py).
And every `Settings.site_retrain_every` labels, the site's own model is retrained on the
seed corpus and all of the site's labels together (seconds of CPU), so that what the
moderators taught reaches comments that look nothing alike. docs/engine.md shows what a
site's model learns from its first hundreds and thousands of labels.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from service.settings import Settings
from service.store import Database
from service.store.site_models import (
    StoredModel,
    load_site_model,
    new_examples_by_site,
    newest_model_id,
    save_site_model,
    site_examples,
)
from workers.engine import ScoringModel
from workers.engine.classifier import TextModel
from workers.engine.training import train_site_model

log = logging.getLogger("duyet.site_models")

# How long a worker scores with a site's model before it looks for a newer one.
CHECK_SECONDS = 30.0
# Site models a worker keeps loaded (10-20 MB each); the least recently used goes first.
KEPT_LOADED = 4
# One retrain check for all workers every this long; one retrain of a site at a time.
RETRAIN_CHECK_KEY, RETRAIN_CHECK_SECONDS = "duyet:site-models:checked", 300
RETRAIN_LOCK_KEY, RETRAIN_LOCK_SECONDS = "duyet:site-models:retraining:{}", 600
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
    """Retrain every site with site_retrain_every new labels since its model; the ids of
    those retrained. At most one check per RETRAIN_CHECK_SECONDS across workers, one
    retrain of a site at a time, each in a process of its own."""
    every = settings.site_retrain_every
    try:
        if every <= 0 or not redis.set(RETRAIN_CHECK_KEY, 1, nx=True, ex=RETRAIN_CHECK_SECONDS):
            return []
    except RedisError:
        return []
    done = []
    for site_id, new in sorted(new_examples_by_site(db).items()):
        lock = RETRAIN_LOCK_KEY.format(site_id)
        if new < every or not redis.set(lock, 1, nx=True, ex=RETRAIN_LOCK_SECONDS):
            continue
        try:
            if _retrain_in_a_child(site_id):
                done.append(site_id)
        finally:
            redis.delete(lock)
    return done


def _retrain_in_a_child(site_id: int) -> bool:
    """Retrain in a process of its own: training takes 70-170 MB (4,000 / 20,000 labels)
    that a worker would keep after it, and its CPU would compete with the worker's jobs
    for one GIL. The child reads the same settings from the environment."""
    argv = [sys.executable, "-m", "workers.site_models", str(site_id)]
    try:
        finished = subprocess.run(argv, timeout=RETRAIN_LOCK_SECONDS - 60, check=False)
    except subprocess.TimeoutExpired:
        log.error("site %d: retraining took too long; the site keeps its model", site_id)
        return False
    if finished.returncode != 0:
        log.error("site %d: retraining failed (exit %d)", site_id, finished.returncode)
    return finished.returncode == 0


def main(argv: list[str] | None = None) -> int:
    """`python -m workers.site_models SITE_ID`: retrain one site (what a worker starts)."""
    from service.logging import configure_logging

    settings = Settings.from_env()
    configure_logging(settings)
    [site_id] = argv if argv is not None else sys.argv[1:]
    retrain_site(Database(settings.database_url), int(site_id))
    return 0


@dataclass
class _Loaded:
    model_id: int | None
    model: TextModel | None
    checked: float


class SiteModels:
    """The worker's view of site models: each site's newest, looked for every CHECK_SECONDS."""

    def __init__(self, db: Database, fallback: Callable[[], ScoringModel | None]) -> None:
        self.db = db
        self.fallback = fallback  # the shipped model, or the operator's DUYET_MODEL_PATH one
        self._loaded: OrderedDict[int, _Loaded] = OrderedDict()
        self._lock = threading.Lock()

    def for_site(self, site_id: int) -> ScoringModel | None:
        """The model the site's comments are scored with now."""
        with self._lock:
            entry = self._loaded.get(site_id)
            if entry is None or time.monotonic() - entry.checked > CHECK_SECONDS:
                entry = self._refresh(site_id, entry)
            self._loaded[site_id] = entry
            self._loaded.move_to_end(site_id)
            self._unload_least_used()
        return entry.model or self.fallback()

    def _unload_least_used(self) -> None:
        """Keep at most KEPT_LOADED models; a site without one costs nothing to remember."""
        holding = [site for site, entry in self._loaded.items() if entry.model is not None]
        for site in holding[:-KEPT_LOADED]:  # oldest first: the least recently used
            del self._loaded[site]

    def _refresh(self, site_id: int, entry: _Loaded | None) -> _Loaded:
        now = time.monotonic()
        try:
            newest = newest_model_id(self.db, site_id)
            if entry is not None and newest == entry.model_id:
                return _Loaded(newest, entry.model, now)
            stored = load_site_model(self.db, newest) if newest is not None else None
        except Exception:  # the database is away: keep scoring with what we had
            log.warning("site %d: could not look for its newest model", site_id, exc_info=True)
            return entry or _Loaded(None, None, now)
        if stored is None:
            return _Loaded(None, None, now)
        return _Loaded(stored.id, _readable(stored), now)


def _readable(stored: StoredModel) -> TextModel | None:
    """The stored model, or None (the shipped model scores) if its blob cannot be read: it
    is not read again until a newer model is stored."""
    try:
        return TextModel.from_bytes(stored.blob)
    except Exception:
        log.exception("site %d: model %s cannot be read", stored.site_id, stored.version)
        return None


if __name__ == "__main__":
    sys.exit(main())
