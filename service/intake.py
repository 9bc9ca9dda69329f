"""Group commit for intake: comments submitted at the same moment share one transaction.

A request thread hands its comment to the process's intake writer and waits. The writer
takes every submission waiting at that moment, stores them all in one transaction (one
multi-row INSERT), then hands the batch to the process's job queuer, which queues their
moderation jobs in one Redis script and wakes each request with its own outcome; meanwhile
the writer is already storing the next batch. When intake is quiet a batch holds one
comment and costs what a direct call would; in a storm the rate-limit count, the article
lookup, the commit and the job script are paid once per batch instead of once per comment,
and only one thread per process contends for the database's write lock. The guarantee is
unchanged: a request answers 202 only after the transaction holding its comment committed
and its job was handed to Redis (or Redis refused it, and the sweep will queue it).

Who stores a batch: under `duyet serve`, the server's intake writer process
(service/intake_writer.py, shared by its API processes), so that the commit and the round
trips do not wait for this process's GIL; without one (Settings.intake_writer_process off:
the tests' in-process apps), the writer thread here, with a queuer thread beside it.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from service.limit_counts import Deferred, count_deferred, too_many
from service.queue import JobQueue
from service.store import Database
from service.store.group_commit import submit_many
from service.store.new_comments import NewComment, Submitted

if TYPE_CHECKING:
    from service.intake_writer import WriterProcess

log = logging.getLogger("duyet.intake")

MAX_BATCH = 64
# A writer with nothing to do exits after this long; the next submission starts another.
# Idle processes (and the many apps a test run creates) then hold no thread.
IDLE_SECONDS = 2.0


def _wake(batch: list[Submission]) -> None:
    """Let each request of the batch go on with its outcome (set, or an error)."""
    for sub in batch:
        sub.done.release()


def _held_lock() -> threading.Lock:
    lock = threading.Lock()
    lock.acquire()
    return lock


@dataclass
class Submission:
    """One request's comment on its way through the writer, and what became of it."""

    site_id: int
    new: NewComment
    idempotency_key: str | None
    request_id: str | None
    limits: Deferred | None
    # Held until the writer has an outcome: a one-shot latch, cheaper than an Event's condition.
    done: threading.Lock = field(default_factory=_held_lock)
    outcome: Submitted | Exception | None = None
    bulk: bool = False  # its IP or author is flooding: its job goes to the bulk queue


class Intake:
    """The per-process intake writer; `submit` is what the API's POST /v1/comments calls."""

    def __init__(self, db: Database, jobs: JobQueue, process: WriterProcess | None = None) -> None:
        self.db = db
        self.jobs = jobs
        # Where batches are stored and queued: the intake writer process when there is one
        # (service/intake_writer.py: production), else this process's writer and queuer.
        self.process = process
        self._waiting: queue.SimpleQueue[Submission] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None
        self._writer_pid = 0

    def submit(
        self,
        site_id: int,
        new: NewComment,
        idempotency_key: str | None = None,
        request_id: str | None = None,
        limits: Deferred | None = None,
    ) -> Submitted:
        """Store a comment (with others arriving now) and queue its job; raise its error.

        `limits` are the comment's IP and author rate limits, counted here with the batch:
        over one, the comment is not stored and the error is a 429.
        """
        submission = Submission(site_id, new, idempotency_key, request_id, limits)
        self._waiting.put(submission)
        self._ensure_writer()
        submission.done.acquire()  # until the writer releases it
        if isinstance(submission.outcome, Exception):
            raise submission.outcome
        assert submission.outcome is not None
        return submission.outcome

    def start(self, writer_group: str | None = None) -> None:
        """Join (or start) the writer process now, so that the first comment does not wait.

        `writer_group` names the API processes that share one writer process (`duyet serve`:
        the workers of one gunicorn master). A process that cannot start now is not fatal:
        the first batch tries again, and answers 503 if it still cannot.
        """
        if self.process is None:
            return
        if writer_group is not None:
            self.process.group = writer_group
        try:
            self.process.start()
        except Exception as exc:
            log.warning("intake writer process did not start yet: %s", exc)

    def _ensure_writer(self) -> None:
        with self._lock:
            # After a fork the parent's thread does not exist in the child: start our own.
            alive = self._writer is not None and self._writer.is_alive()
            if alive and self._writer_pid == os.getpid():
                return
            self._writer = threading.Thread(target=self._write_forever, name="duyet-intake")
            self._writer.daemon = True
            self._writer_pid = os.getpid()
            self._writer.start()

    def _write_forever(self) -> None:
        if self.process is not None:
            self._hand_over_forever(self.process)
        else:
            self._write_here_forever()

    def _hand_over_forever(self, process: WriterProcess) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                process.store_and_queue(batch)
            finally:
                _wake(batch)

    def _write_here_forever(self) -> None:
        # Two stages: while this thread stores batch k+1 (the commit waits on the disk),
        # the queuer sends batch k's jobs to Redis and wakes its requests.
        stored: queue.SimpleQueue[list[Submission] | None] = queue.SimpleQueue()
        queuer = threading.Thread(target=self._queue_forever, args=(stored,), name="duyet-jobs")
        queuer.daemon = True
        queuer.start()
        try:
            while (batch := self._next_batch()) is not None:
                self.store(batch)
                stored.put(batch)
        finally:
            stored.put(None)  # the queuer finishes what it was handed, then exits

    def _queue_forever(self, stored: queue.SimpleQueue[list[Submission] | None]) -> None:
        while (batch := stored.get()) is not None:
            try:
                self.queue_jobs(batch)
            finally:
                _wake(batch)

    def _next_batch(self) -> list[Submission] | None:
        while True:
            try:
                first = self._waiting.get(timeout=IDLE_SECONDS)
                break
            except queue.Empty:
                with self._lock:  # a submitter starts a new writer once it sees none
                    if self._waiting.empty():
                        self._writer = None
                        return None
        # Every comment waiting now, and no more. Waiting a moment for the next ones (2 ms,
        # once, in a storm, until session 16) made batches larger when each API process had
        # a writer of its own; with one writer for the server, the next batches gather
        # while it stores this one, and the wait only cost time (docs/performance.md).
        batch = [first]
        while len(batch) < MAX_BATCH:
            try:
                batch.append(self._waiting.get_nowait())
            except queue.Empty:
                break
        return batch

    def store(self, batch: list[Submission]) -> None:
        """Count the batch's limits and store what is within them; each gets its outcome."""
        try:
            self._store(self._within_limits(batch))
        except Exception as exc:  # the database is down, say: every request gets the error
            for sub in batch:
                sub.outcome = sub.outcome or exc

    def _within_limits(self, batch: list[Submission]) -> list[Submission]:
        verdicts = count_deferred(self.jobs.redis, [sub.limits for sub in batch])
        accepted = []
        for sub, verdict in zip(batch, verdicts, strict=True):
            sub.bulk = verdict.flood
            if verdict.over and sub.limits:
                sub.outcome = too_many(verdict.over, sub.limits.window)
            else:
                accepted.append(sub)
        return accepted

    def _store(self, batch: list[Submission]) -> None:
        intakes = [(sub.site_id, sub.new, sub.idempotency_key) for sub in batch]
        for sub, outcome in zip(batch, submit_many(self.db, intakes), strict=True):
            sub.outcome = outcome

    def queue_jobs(self, batch: list[Submission]) -> None:
        """Queue the moderation jobs of the batch's new comments (after store)."""
        # Only comments created now get a job: an idempotent replay has one already, and a
        # refused or failed comment has none. Redis refusing is logged, never raised: the
        # comments are stored, and the sweep queues them.
        for bulk in (False, True):
            created = [
                (sub.outcome[0].id, sub.request_id)
                for sub in batch
                if sub.bulk is bulk and isinstance(sub.outcome, tuple) and sub.outcome[1]
            ]
            if created:
                self.jobs.moderate_requests(created, bulk=bulk)
