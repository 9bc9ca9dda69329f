"""Each site's own model, as a worker (or an API process answering checks) scores with it.

Moderators' labels teach the engine in two ways. At once, a label is remembered for the
text's fingerprint, so a near-identical comment is scored with it (workers/behaviour.py).
And every `Settings.site_retrain_every` labels, the site's own model is retrained on the
seed corpus and the site's labels together (workers/site_training.py), so that what the
moderators taught reaches comments that look nothing alike. Here: which model a site's
comments are scored with. Light on purpose: an API process imports it, and scikit-learn
loads (~90 MB) only when a site has a model to read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.store import Database
from service.store.site_models import StoredModel, load_site_model, newest_model_id
from workers.engine import ScoringModel

if TYPE_CHECKING:
    from workers.engine.classifier import TextModel

log = logging.getLogger("duyet.site_models")

# How long a worker scores with a site's model before it looks for a newer one.
CHECK_SECONDS = 30.0


@dataclass
class _Loaded:
    model_id: int | None
    model: TextModel | None
    checked: float


class SiteModels:
    """The worker's view of site models: each site's newest, looked for every CHECK_SECONDS."""

    def __init__(
        self, db: Database, fallback: Callable[[], ScoringModel | None], kept_loaded: int
    ) -> None:
        self.db = db
        self.fallback = fallback  # the shipped model, or the operator's DUYET_MODEL_PATH one
        self.kept_loaded = max(kept_loaded, 1)  # Settings.site_models_loaded
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
        """Keep at most kept_loaded models; a site without one costs nothing to remember."""
        holding = [site for site, entry in self._loaded.items() if entry.model is not None]
        for site in holding[: -self.kept_loaded]:  # oldest first: the least recently used
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
    from workers.engine.classifier import TextModel  # scikit-learn: only once a site has one

    try:
        return TextModel.from_bytes(stored.blob)
    except Exception:
        log.exception("site %d: model %s cannot be read", stored.site_id, stored.version)
        return None
