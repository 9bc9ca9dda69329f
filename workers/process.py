"""Long-running processes: the RQ worker (with the sweep beside it) and the API under gunicorn."""

from __future__ import annotations

import logging
import os
import sys
import threading
from types import ModuleType

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.exceptions import StopRequested
from rq.job import Job
from rq.timeouts import JobTimeoutException

from service import metrics
from service.heap import freeze_startup_objects
from service.logging import configure_logging
from service.queue import MODERATE_JOB
from service.settings import Settings
from service.store import Database
from workers import sweep

log = logging.getLogger("duyet.worker")


def _warm_up_engine() -> None:
    # Load the model before the first job, so the first comment is not the slow one.
    from workers import runtime
    from workers.engine import evaluate
    from workers.engine.types import CommentInput, Context

    evaluate(CommentInput(body="xin chào"), Context(), runtime.model())


class ModerationWorker(SimpleWorker):
    """RQ's in-process worker, with a short road for moderation jobs.

    Around each job RQ writes its bookkeeping: the started registry, an execution record,
    heartbeats, status changes and a finishing transaction, ~15 Redis round trips that cost
    as much as deciding the comment when the queue is quiet (one comment a job). A
    moderation job needs none of it: its comment's status in the database is the record.
    So the job's hash is deleted and the comment decided directly, the shape a comment
    claimed by another job's batch already has (workers/batch.py): if this process dies
    now, the comment is pending with no live job, and the sweep queues it again. Should
    deciding fail, the job is written back and run again on RQ's own road, whose retries
    and failed registry then apply. Every other job takes RQ's road from the start.
    A stop request (SIGTERM) during a moderation job ends its batch after the comment being
    checked; the rest are queued again and the worker stops (see _shutdown).
    """

    _on_short_road = False

    def execute_job(self, job: Job, queue: Queue) -> None:
        if job.func_name != MODERATE_JOB:
            super().execute_job(job, queue)
            return
        from workers import jobs  # the engine loads with the jobs, not at import

        (comment_id,) = job.args
        self._on_short_road = True  # from here a stop request waits for the job's end
        try:
            self._decide_on_short_road(jobs, job, queue, comment_id)
        finally:
            self._on_short_road = False

    def _decide_on_short_road(
        self, jobs: ModuleType, job: Job, queue: Queue, comment_id: int
    ) -> None:
        try:
            self.connection.delete(job.key)
        except RedisError:  # the job is still live in Redis's eyes: let RQ's road have it
            super().execute_job(job, queue)
            return
        request_id = job.meta.get("request_id")
        stop = jobs.STOP_REQUESTED.set(lambda: self._stop_requested)
        try:
            timeout = job.timeout or queue.DEFAULT_TIMEOUT
            with self.death_penalty_class(timeout, JobTimeoutException, job_id=job.id):
                jobs.moderate(comment_id, request_id, queue.name)
        except StopRequested:  # a stop, not a failure: the comment waits for the next worker
            self._queue_again(comment_id, request_id)
            raise
        except Exception:
            log.exception("moderation of comment %s failed; handing it to RQ", comment_id)
            self._hand_to_rq(job, queue)
        except BaseException:  # a cold shutdown (SystemExit) or Ctrl+C
            self._queue_again(comment_id, request_id)
            raise
        finally:
            jobs.STOP_REQUESTED.reset(stop)

    def _shutdown(self) -> None:
        # RQ raises StopRequested inside the job when the worker is not marked busy, which
        # the short road never does (a Redis write per job): mark the stop instead, so the
        # batch ends after the comment being checked and the worker after the job.
        if not self._on_short_road:
            super()._shutdown()
            return
        log.info("stop requested: stopping after the comment being checked")
        self._stop_requested = True
        self.set_shutdown_requested_date()
        if self.scheduler:
            self.stop_scheduler()

    def _queue_again(self, comment_id: int, request_id: str | None) -> None:
        from workers import runtime

        try:
            runtime.job_queue().moderate([comment_id], request_id)
        except Exception:  # it stays pending with no job: the sweep queues it
            log.warning("could not queue comment %s again; the sweep will", comment_id)

    def _hand_to_rq(self, job: Job, queue: Queue) -> None:
        try:
            job.save()
        except RedisError:  # Redis is away: the comment stays pending with no job, for the sweep
            log.warning("could not hand job %s back to RQ; the sweep will find it", job.id)
            return
        super().execute_job(job, queue)


def queue_names(settings: Settings, only: str | None = None) -> tuple[str, ...]:
    """The queues a worker takes jobs from, highest priority first: all of them, or those
    of one role (moderation: comments and floods; webhooks: deliveries)."""
    # A flood waiting on the bulk queue never delays a normal comment.
    by_role = {
        "moderation": (settings.queue_name, settings.bulk_queue_name),
        "webhooks": (settings.webhook_queue_name,),
    }
    if only is not None:
        return by_role[only]
    return (settings.queue_name, settings.webhook_queue_name, settings.bulk_queue_name)


def run_worker(burst: bool = False, only: str | None = None) -> int:
    """Work duyet's queues (or one role's, see queue_names) until stopped, or until empty
    with burst, sweeping on the side.

    SimpleWorker runs jobs in this process instead of forking one per job: a fork costs
    milliseconds and would reload nothing we need; the model stays loaded once. Moderation
    jobs skip RQ's per-job bookkeeping (ModerationWorker). A webhooks-only worker never
    loads the model: a slow receiver then holds up no comment's decision.
    """
    settings = Settings.from_env()
    configure_logging(settings)
    redis = Redis.from_url(settings.redis_url_or_local)
    if only != "webhooks":
        _warm_up_engine()
        freeze_startup_objects()  # the model's arrays and vocabulary, walked by every pass
    queues = [Queue(name, connection=redis) for name in queue_names(settings, only)]
    stop = threading.Event()
    sweeper = threading.Thread(
        target=sweep.run_forever,
        args=(Database(settings.database_url), redis, settings, stop, only != "webhooks"),
        name="duyet-sweep",
        daemon=True,
    )
    sweeper.start()
    try:
        _work_through_outages(queues, redis, settings, burst, stop)
    finally:
        stop.set()
        metrics.mark_process_dead(os.getpid())  # its gauges (engine version) go with it
    return 0


def _work_through_outages(
    queues: list[Queue], redis: Redis, settings: Settings, burst: bool, stop: threading.Event
) -> None:
    # RQ's work loop gives up when Redis goes away; a worker that exits then would leave
    # every comment accepted during the outage to wait for an operator. Keep trying instead;
    # but a burst run (cron's) is meant to end: it fails, so that cron hears of it (exit 2).
    while not stop.is_set():
        try:
            ModerationWorker(queues, connection=redis).work(
                burst=burst, with_scheduler=True, logging_level=settings.log_level
            )
            return
        except RedisConnectionError:
            if burst:
                raise
            log.warning("Redis is unreachable; the worker tries again in 1 s")
            stop.wait(1)


def run_api(host: str, port: int, workers: int, threads: int) -> int:
    """Replace this process with gunicorn serving the API."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:service.gunicorn_conf",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "service.fair_worker.FairThreadWorker",  # gthread that takes its share of clients
        "--threads",
        str(threads),
        "--worker-connections",  # see service/gunicorn_conf.py: spreads clients over workers
        str(2 * threads),
        "workers.wsgi:create()",
    ]
    os.execv(sys.executable, argv)
    return 0  # not reached
