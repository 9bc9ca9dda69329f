"""Group commit for intake: comments submitted at the same moment share one transaction.

A request thread hands its comment to the process's intake writer and waits. The writer
takes every submission waiting at that moment, stores them all in one transaction (one
multi-row INSERT), queues their moderation jobs in one Redis pipeline, and wakes each
request with its own outcome. When intake is quiet a batch holds one comment and costs what
a direct call would; in a storm the commit, the article lookup and the Redis round trip are
paid once per batch instead of once per comment, and only one thread per process contends
for the database's write lock. The guarantee is unchanged: a request answers 202 only after
the transaction holding its comment committed.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from dataclasses import dataclass, field

from service.queue import JobQueue
from service.store import Database
from service.store.comments import NewComment, Submitted, submit_many

log = logging.getLogger("duyet.intake")
MAX_BATCH = 64
# A writer with nothing to do exits after this long; the next submission starts another.
# Idle processes (and the many apps a test run creates) then hold no thread.
IDLE_SECONDS = 2.0


@dataclass
class Submission:
    """One request's comment on its way through the writer, and what became of it."""

    site_id: int
    new: NewComment
    idempotency_key: str | None
    request_id: str | None
    bulk: bool
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Submitted | Exception | None = None


class Intake:
    """The per-process intake writer; `submit` is what the API's POST /v1/comments calls."""

    def __init__(self, db: Database, jobs: JobQueue) -> None:
        self.db = db
        self.jobs = jobs
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
        bulk: bool = False,
    ) -> Submitted:
        """Store a comment (with others arriving now) and queue its job; raise its error."""
        submission = Submission(site_id, new, idempotency_key, request_id, bulk)
        self._waiting.put(submission)
        self._ensure_writer()
        submission.done.wait()
        if isinstance(submission.outcome, Exception):
            raise submission.outcome
        assert submission.outcome is not None
        return submission.outcome

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
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self._write(batch)

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
        batch = [first]
        while len(batch) < MAX_BATCH:
            try:
                batch.append(self._waiting.get_nowait())
            except queue.Empty:
                break
        return batch

    def _write(self, batch: list[Submission]) -> None:
        try:
            outcomes: list[Submitted | Exception] = list(
                submit_many(self.db, [(sub.site_id, sub.new, sub.idempotency_key) for sub in batch])
            )
        except Exception as exc:  # the database is down, say: every request gets the error
            outcomes = [exc] * len(batch)
        try:
            self._queue_jobs(batch, outcomes)
        finally:
            for sub, outcome in zip(batch, outcomes, strict=True):
                sub.outcome = outcome
                sub.done.set()

    def _queue_jobs(self, batch: list[Submission], outcomes: list[Submitted | Exception]) -> None:
        # Only comments created now get a job: an idempotent replay has one already.
        for bulk in (False, True):
            created = [
                (outcome[0].id, sub.request_id)
                for sub, outcome in zip(batch, outcomes, strict=True)
                if sub.bulk is bulk and not isinstance(outcome, Exception) and outcome[1]
            ]
            if created:
                self.jobs.moderate_requests(created, bulk=bulk)
