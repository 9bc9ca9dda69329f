"""Every Prometheus metric duyet exports, the /metrics view, and the hooks that move them.

The API and the workers increment the same definitions. Under gunicorn (and in docker
compose, where API and workers share a volume) PROMETHEUS_MULTIPROC_DIR is set and each
process writes its values to files there, which /metrics adds up on every scrape. Queue
depth and job age are not counted by anyone: they are read from Redis when scraped, and the
webhook events still waiting from the database.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy.exc import SQLAlchemyError

from service.context import services
from service.store import Database, outbox

MULTIPROCESS = values.ValueClass is not values.MutexValue


def process_identifier(pid: int | None = None) -> str:
    """Name this process's metric files; host-qualified, since containers all have small pids."""
    return f"{socket.gethostname()}-{os.getpid() if pid is None else pid}"


if MULTIPROCESS:
    # Must be chosen before the first metric below is built.
    values.ValueClass = values.MultiProcessValue(process_identifier=process_identifier)

COMMENTS_RECEIVED = Counter(
    "duyet_comments_received", "Comments accepted by POST /v1/comments, by site id", ["site"]
)
DECISIONS = Counter(
    "duyet_decisions",
    "Worker decisions, by verdict and by the code of the reason that decided it",
    ["verdict", "reason"],
)
DECISION_LATENCY = Histogram(
    "duyet_decision_latency_seconds",
    "Time from a comment's submission to the worker's decision",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600),
)
CHECKS = Counter(
    "duyet_checks",
    "Synchronous checks (Akismet comment-check, Coral external phase), by integration and verdict",
    ["integration", "verdict"],
)
CHECK_DURATION = Histogram(
    "duyet_check_duration_seconds",
    "Time to answer a synchronous check",
    ["integration"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
LABELS_LEARNED = Counter(
    "duyet_labels_learned",
    "Labels fed to the learning loop, by integration and label",
    ["source", "label"],
)
WEBHOOK_FAILURES = Counter(
    "duyet_webhook_failures",
    "Webhook delivery attempts that failed (retried with backoff, refused addresses not)",
    ["event"],
)
WEBHOOK_GIVEN_UP = Counter(
    "duyet_webhook_given_up",
    "Webhook events never delivered: every attempt failed, or the address was refused",
    ["event"],
)
MODERATOR_ALERTS = Counter(
    "duyet_moderator_alerts",
    "Emails to moderators about held comments waiting too long (workers/alerts.py)",
    ["outcome"],  # sent or failed
)
READER_NETWORK_FORGOTTEN = Counter(
    "duyet_reader_network_forgotten",
    "Comments whose reader IP and user agent the sweep cleared, past their site's days"
    " (workers/retention.py)",
)
ENGINE_INFO = Gauge(
    "duyet_engine_info",
    "The engine (rules and model) version that made the latest decisions; value 1",
    ["version"],
    multiprocess_mode="livemax",
)

blp = Blueprint("metrics", __name__, description="Prometheus metrics for operators")


def deciding_reason(verdict: str, reasons: Sequence[dict[str, Any]]) -> str:
    """Return the code of the first reason that asked for the final verdict, or 'none'."""
    for reason in reasons:
        if reason.get("verdict") == verdict:
            return str(reason.get("code") or "none")
    return "none"


def _as_utc(moment: datetime) -> datetime:
    # RQ's timestamps may come without a zone; they are UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def observe_decision(
    verdict: str, reasons: Sequence[dict[str, Any]], submitted_at: datetime, engine_version: str
) -> None:
    """Count a worker decision and how long the comment waited for it."""
    DECISIONS.labels(verdict=verdict, reason=deciding_reason(verdict, reasons)).inc()
    waited = (datetime.now(UTC) - _as_utc(submitted_at)).total_seconds()
    DECISION_LATENCY.observe(max(waited, 0.0))
    note_engine_version(engine_version)


def note_engine_version(version: str) -> None:
    """Expose the engine version in use."""
    if version:
        ENGINE_INFO.labels(version=version).set(1)


def mark_process_dead(pid: int) -> None:
    """Forget a dead process's live gauges (gunicorn's child_exit calls this)."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(process_identifier(pid))


class QueueCollector(Collector):
    """Read queue depth, oldest job age, scheduled and failed jobs from Redis at scrape time."""

    def __init__(self, redis: Redis, queue_names: Iterable[str]) -> None:
        self.redis = redis
        self.queue_names = list(queue_names)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("duyet_redis_up", "1 if Redis answered this scrape")
        families = {
            "depth": GaugeMetricFamily(
                "duyet_queue_depth", "Jobs waiting in the queue", labels=["queue"]
            ),
            "age": GaugeMetricFamily(
                "duyet_queue_oldest_job_age_seconds",
                "Age of the job at the head of the queue (0 when empty)",
                labels=["queue"],
            ),
            "scheduled": GaugeMetricFamily(
                "duyet_queue_scheduled_jobs", "Jobs waiting for a retry", labels=["queue"]
            ),
            "failed": GaugeMetricFamily(
                "duyet_queue_failed_jobs", "Jobs that failed for good", labels=["queue"]
            ),
        }
        try:
            # The configured queues (shown even when empty) and any other duyet has used.
            used = {q.name for q in Queue.all(connection=self.redis)}
            for name in sorted(set(self.queue_names) | used):
                self._measure(Queue(name, connection=self.redis), families)
        except RedisError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families.values()

    def _measure(self, queue: Queue, families: dict[str, GaugeMetricFamily]) -> None:
        families["depth"].add_metric([queue.name], queue.count)
        families["age"].add_metric([queue.name], self._oldest_age(queue))
        families["scheduled"].add_metric([queue.name], queue.scheduled_job_registry.count)
        families["failed"].add_metric([queue.name], queue.failed_job_registry.count)

    @staticmethod
    def _oldest_age(queue: Queue) -> float:
        head = queue.get_job_ids(0, 1)
        job = queue.fetch_job(head[0]) if head else None
        if job is None or job.enqueued_at is None:
            return 0.0
        return max((datetime.now(UTC) - _as_utc(job.enqueued_at)).total_seconds(), 0.0)


class _Forward(Collector):
    """Hand on another registry's metrics (the process-wide one, outside multiprocess mode)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Any]:
        yield from self.registry.collect()


class OutboxCollector(Collector):
    """Read at scrape time whether the database answers, and the webhook events waiting
    in it (the outbox)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("duyet_database_up", "1 if the database answered this scrape")
        try:
            waiting, oldest = outbox.backlog(self.db)
        except SQLAlchemyError:
            up.add_metric([], 0)  # an alert on this, not on the outbox gauges gone missing
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily(
            "duyet_webhook_events_waiting",
            "Webhook events not delivered yet: queued, in flight or waiting for a retry",
            value=waiting,
        )
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "duyet_webhook_oldest_waiting_seconds",
            "Age of the oldest webhook event not delivered yet (0 when none)",
            value=max(age, 0.0),
        )


def exposition(redis: Redis, queue_names: Iterable[str], db: Database | None = None) -> bytes:
    """Render every metric in Prometheus text format."""
    registry = CollectorRegistry(auto_describe=False)
    if MULTIPROCESS:
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forward(REGISTRY))
    registry.register(QueueCollector(redis, queue_names))
    if db is not None:
        registry.register(OutboxCollector(db))
    return generate_latest(registry)


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.response(
        200,
        content_type="text/plain",
        description="Prometheus text exposition format (version 0.0.4)",
    )
    def get(self) -> Any:
        """Answer every metric in Prometheus text format; queue gauges are read from Redis now."""
        svc = services()
        settings = svc.settings
        names = (settings.queue_name, settings.webhook_queue_name, settings.bulk_queue_name)
        return Response(exposition(svc.redis, names, svc.db), content_type=CONTENT_TYPE_LATEST)


def _count_intake(response: Response) -> Response:
    if (
        request.endpoint == "site.Comments"
        and request.method == "POST"
        and response.status_code == 202
    ):
        count_accepted(g.get("site_id", ""))
    return response


_received_by_site: dict[int | str, Any] = {}  # labels() takes a lock; a dict read does not


def count_accepted(site_id: int | str) -> None:
    """Count a comment the API accepted (202), by site."""
    counter = _received_by_site.get(site_id)
    if counter is None:
        counter = _received_by_site[site_id] = COMMENTS_RECEIVED.labels(site=str(site_id))
    counter.inc()


def init_app(app: Flask) -> None:
    """Count accepted comments as the API answers them."""
    app.after_request(_count_intake)


class Timer:
    """Measure one synchronous check: `with Timer("akismet"): ...`."""

    def __init__(self, integration: str) -> None:
        self.integration = integration
        self.started = 0.0

    def __enter__(self) -> Timer:
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self.started
        CHECK_DURATION.labels(integration=self.integration).observe(elapsed)
