"""The per-process services an app uses (settings, database, Redis, queue) and their accessor."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from redis import Redis

from service.intake import Intake
from service.intake_writer import WriterProcess
from service.queue import JobQueue
from service.settings import Settings
from service.store import Database
from service.thread_versions import ThreadVersions


@dataclass
class Services:
    settings: Settings
    db: Database
    redis: Redis
    queue: JobQueue
    intake: Intake
    thread_versions: ThreadVersions

    @classmethod
    def connect(cls, settings: Settings) -> Services:
        """Open the database engine and a Redis client (connections are made lazily)."""
        redis = Redis.from_url(
            settings.redis_url_or_local, socket_timeout=2, socket_connect_timeout=2
        )
        db, queue = Database(settings.database_url), JobQueue(redis, settings)
        versions = ThreadVersions(redis)
        db.on_thread_versions = versions.publish
        process = WriterProcess(settings) if settings.intake_writer_process else None
        return cls(settings, db, redis, queue, Intake(db, queue, process), versions)


def services() -> Services:
    """Return the running app's services."""
    return current_app.extensions["duyet"]  # type: ignore[no-any-return]
