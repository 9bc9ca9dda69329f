"""Each site's own classifier: its moderators' labels to train on, and the models made of them.

A moderator's approve, spam or reject leaves a training example
(service/store/moderator_decisions.py); a retrain (workers/site_models.py) reads them here
and stores the model it made. The worker asks for the newest model's id now and then, and
loads the blob only when it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from service.models import SiteModel, TrainingExample
from service.store.db import Database

MODELS_KEPT = 3  # per site: the newest, and two to look back at


@dataclass(frozen=True)
class Examples:
    """A site's labelled texts, one per comment (its latest label), oldest first."""

    texts: list[str]
    labels: list[str]
    last_id: int  # the newest example read: later ones count towards the next retrain


@dataclass(frozen=True)
class StoredModel:
    id: int
    site_id: int
    version: str
    examples: int
    report: dict[str, Any] | None
    blob: bytes


def add_example(db: Database, site_id: int, text: str, label: str, source: str) -> None:
    """Keep a label given outside the desk (Akismet's submit-spam / submit-ham) for training."""
    with db.transaction() as s:
        s.add(TrainingExample(site_id=site_id, text=text, label=label, source=source))


def site_examples(db: Database, site_id: int, newest: int | None = None) -> Examples:
    """The site's labelled texts (the `newest` most recently labelled, if given). A comment
    labelled twice counts with its latest label, and so does a text labelled twice without
    a comment (Akismet's submits name none)."""
    query = (
        select(TrainingExample.id, TrainingExample.comment_id, TrainingExample.text,
               TrainingExample.label)
        .where(TrainingExample.site_id == site_id)
        .order_by(TrainingExample.id)
    )  # fmt: skip
    latest: dict[object, tuple[str, str]] = {}  # insertion order: when last labelled
    last_id = 0
    with db.transaction() as s:
        for example_id, comment_id, text, label in s.execute(query):
            key = comment_id if comment_id is not None else ("text", text)
            latest.pop(key, None)
            latest[key] = (text, label)
            last_id = example_id
    pairs = list(latest.values())[-newest:] if newest else list(latest.values())
    return Examples([t for t, _ in pairs], [lab for _, lab in pairs], last_id)


def new_examples_by_site(db: Database) -> dict[int, int]:
    """Per site, how many examples arrived after its newest model learned (all, if none)."""
    learned = (
        select(SiteModel.site_id, func.max(SiteModel.last_example_id).label("last"))
        .group_by(SiteModel.site_id)
        .subquery()
    )
    query = (
        select(TrainingExample.site_id, func.count())
        .outerjoin(learned, learned.c.site_id == TrainingExample.site_id)
        .where(TrainingExample.id > func.coalesce(learned.c.last, 0))
        .group_by(TrainingExample.site_id)
    )
    with db.transaction() as s:
        return {site_id: count for site_id, count in s.execute(query)}


def save_site_model(
    db: Database,
    site_id: int,
    version: str,
    blob: bytes,
    examples: Examples,
    report: dict[str, Any] | None,
) -> int:
    """Store a site's new model (it becomes the one its comments are scored with); its id."""
    with db.transaction() as s:
        row = SiteModel(
            site_id=site_id,
            version=version,
            last_example_id=examples.last_id,
            examples=len(examples.texts),
            report=report,
            blob=blob,
        )
        s.add(row)
        s.flush()
        kept = select(SiteModel.id).where(SiteModel.site_id == site_id)
        kept = kept.order_by(SiteModel.id.desc()).limit(MODELS_KEPT)
        s.execute(delete(SiteModel).where(SiteModel.site_id == site_id, SiteModel.id.not_in(kept)))
        return row.id


@dataclass(frozen=True)
class ModelStatus:
    """What the settings page says about a site's own model (no blob)."""

    version: str | None  # None: the shipped model scores the site's comments
    examples: int
    report: dict[str, Any] | None
    created_at: datetime | None
    new_labels: int  # labels since the newest model (all of them, if none yet)


def model_status(db: Database, site_id: int) -> ModelStatus:
    newest = (
        select(SiteModel.version, SiteModel.examples, SiteModel.report, SiteModel.created_at,
               SiteModel.last_example_id)
        .where(SiteModel.site_id == site_id)
        .order_by(SiteModel.id.desc())
        .limit(1)
    )  # fmt: skip
    with db.transaction() as s:
        row = s.execute(newest).first()
        after = row.last_example_id if row else 0
        new_labels = s.scalar(
            select(func.count())
            .select_from(TrainingExample)
            .where(TrainingExample.site_id == site_id, TrainingExample.id > after)
        )
    if row is None:
        return ModelStatus(None, 0, None, None, new_labels or 0)
    return ModelStatus(row.version, row.examples, row.report, row.created_at, new_labels or 0)


def newest_model_id(db: Database, site_id: int) -> int | None:
    """The id of the site's newest model, or None: a cheap look before loading a blob."""
    with db.transaction() as s:
        return s.scalar(select(func.max(SiteModel.id)).where(SiteModel.site_id == site_id))


def load_site_model(db: Database, model_id: int) -> StoredModel | None:
    with db.transaction() as s:
        row = s.get(SiteModel, model_id)
        if row is None:
            return None
        return StoredModel(row.id, row.site_id, row.version, row.examples, row.report, row.blob)


def drop_site_models(db: Database, site_id: int) -> int:
    """Forget the site's own models: its comments go back to the shipped one. How many."""
    with db.transaction() as s:
        result = s.execute(delete(SiteModel).where(SiteModel.site_id == site_id))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
