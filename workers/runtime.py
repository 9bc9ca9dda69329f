"""The worker process's connections, opened once from Settings and shared by its jobs."""

from __future__ import annotations

from functools import lru_cache

from redis import Redis

from service.queue import JobQueue
from service.settings import Settings
from service.store import Database
from service.thread_versions import ThreadVersions
from workers.engine import ScoringModel, default_model
from workers.engine.plugins.akismet import AkismetClient
from workers.engine.plugins.remote import RemoteClassifier
from workers.site_models import SiteModels


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


@lru_cache(maxsize=1)
def database() -> Database:
    db = Database(settings().database_url)
    db.on_thread_versions = ThreadVersions(redis()).publish  # readers see a publish at once
    return db


@lru_cache(maxsize=1)
def redis() -> Redis:
    return Redis.from_url(settings().redis_url_or_local, socket_timeout=5)


@lru_cache(maxsize=1)
def model() -> ScoringModel | None:
    """The classifier this process scores with: DUYET_MODEL_PATH if set, else the shipped one."""
    path = settings().model_path
    if not path:
        return default_model()
    from workers.engine.classifier import TextModel

    try:
        return TextModel.load(path)  # a pickle: only a file the operator trained and trusts
    except OSError as exc:
        raise ValueError(f"DUYET_MODEL_PATH={path}: {exc.strerror or exc}") from None
    except Exception as exc:  # joblib and pickle fail in many ways on a file that is not one
        reason = f"{type(exc).__name__}: {exc}"
        raise ValueError(f"DUYET_MODEL_PATH={path}: not a model file ({reason})") from None


@lru_cache(maxsize=1)
def site_models() -> SiteModels:
    return SiteModels(database(), model, settings().site_models_loaded)


def model_for(site_id: int) -> ScoringModel | None:
    """The classifier a site's comments are scored with: its own model once it has one."""
    return site_models().for_site(site_id)


@lru_cache(maxsize=1)
def akismet() -> AkismetClient | None:
    """The optional Akismet plugin, or None when no key is configured."""
    config = settings()
    return AkismetClient.from_settings(
        config.akismet_key, config.akismet_blog, config.akismet_url or None
    )


@lru_cache(maxsize=1)
def remote_classifier() -> RemoteClassifier | None:
    """The optional remote classifier plugin, or None when no URL is configured."""
    config = settings()
    return RemoteClassifier.from_settings(
        config.remote_classifier_url,
        config.remote_classifier_token,
        config.remote_classifier_timeout,
    )


def job_queue() -> JobQueue:
    return JobQueue(redis(), settings())


def reset() -> None:
    """Forget cached connections (tests that change the environment)."""
    if database.cache_info().currsize:
        database().dispose()
    for cached in (settings, database, redis, model, site_models, akismet, remote_classifier):
        cached.cache_clear()
