"""The intake writer process: an API process's group commit, run beside it with its own GIL.

Every API process starts one (`duyet serve` does, through gunicorn's post_worker_init; see
Settings.intake_writer_process). The API process still gathers the comments arriving at the
same moment into one batch (service/intake.py); its writer thread sends the batch here and
waits, and this process counts the batch's rate limits, stores it in one transaction,
queues its jobs, and answers each comment's outcome.

Why a process: in a storm the writer thread shared its process's GIL with 16 request
threads, and each of its ~10 waits a batch (Redis, the database, the commit) ended in a
queue for the GIL behind them. A batch of five took 3.0 ms to store and queue inside the API
process against 0.6 ms alone, the API processes sat 20% idle for it, and more request threads
only made the batches slower. Here the batch's steps run back to back, and the API process
keeps only the parsing and the answering.

The guarantee does not move: a request is answered 202 only after this process has
committed its comment and handed its job to Redis (or Redis refused it and the sweep will
queue it). When this process dies or stops answering, the batch in flight is answered 503
(its comments may have been stored: a retry with the same Idempotency-Key finds them, and the
sweep queues any job that was not sent), and the next batch starts a new process.

Protocol, over a socket pair with multiprocessing's framing (pickle; both ends are this
code): the first message is the Settings; then each message is a batch of
`(site_id, NewComment, idempotency_key, request_id, Deferred | None)` and its answer is
`[(outcome, bulk), ...]` in the same order, an outcome being `(StoredComment, created)` or a
DuyetError.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from dataclasses import fields
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from service.errors import DuyetError, Unavailable
from service.store.comments import StoredComment

if TYPE_CHECKING:
    from service.intake import Submission
    from service.queue import JobQueue
    from service.settings import Settings
    from service.store import Database

log = logging.getLogger("duyet.intake")

# A batch takes milliseconds; one that takes this long means the process is stuck (a lost
# database connection with no timeout, say): it is replaced, and the batch answered 503.
ANSWER_TIMEOUT_SECONDS = 30.0
START_TIMEOUT_SECONDS = 60.0
RESTARTING = "Intake is restarting; retry shortly."
STORE_FAILED = "The database is unavailable; retry shortly."

Record = tuple[Any, ...]  # one Submission's fields, as the process receives them
Answer = tuple[Any, bool]  # (outcome, bulk)


class WriterProcess:
    """The API side: start the process, hand it batches, restart it when it is gone."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._pid = 0  # the API process that started it (a fork must start its own)

    def start(self) -> None:
        """Start the process unless it runs; wait until it is ready to store."""
        if self._conn is not None and self._pid == os.getpid() and self._alive():
            return
        self.stop()
        ours, theirs = socket.socketpair()
        with theirs:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "service.intake_writer", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
            )
        self._conn, self._pid = Connection(ours.detach()), os.getpid()
        self._conn.send(self.settings)
        if not self._conn.poll(START_TIMEOUT_SECONDS) or self._conn.recv() != "ready":
            self.stop()
            raise RuntimeError("the intake writer process did not start")

    def store_and_queue(self, batch: list[Submission]) -> None:
        """Have the process store and queue the batch; give each submission its outcome."""
        try:
            self.start()
            assert self._conn is not None
            self._conn.send([_record(sub) for sub in batch])
            if not self._conn.poll(ANSWER_TIMEOUT_SECONDS):
                raise TimeoutError(f"no answer in {ANSWER_TIMEOUT_SECONDS:.0f} s")
            answers: list[Answer] = self._conn.recv()
        except Exception as exc:  # gone, stuck or never started: replace it next batch
            log.error("intake writer process failed (%s: %s); restarting", type(exc).__name__, exc)
            self.stop(kill=True)  # a stuck one would not notice its connection closing
            for sub in batch:
                sub.outcome = Unavailable(RESTARTING)
            return
        for sub, (outcome, bulk) in zip(batch, answers, strict=True):
            sub.outcome, sub.bulk = outcome, bulk

    def stop(self, kill: bool = False) -> None:
        """Close the connection (the process exits at its end) and reap the process."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None and self._pid == os.getpid():
            if kill:
                self._process.kill()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def _alive(self) -> bool:
        return self._process is not None and self._process.poll() is None


def _record(sub: Submission) -> Record:
    return (sub.site_id, sub.new, sub.idempotency_key, sub.request_id, sub.limits)


# ----- the process itself -------------------------------------------------------------
def serve(conn: Connection) -> None:
    """Store and queue batches until the API process closes its end."""
    from service.intake import Intake, Submission
    from service.logging import configure_logging

    settings: Settings = conn.recv()
    configure_logging(settings)
    intake = Intake(*_store_and_queue_services(settings))
    conn.send("ready")
    while True:
        try:
            records: list[Record] = conn.recv()
        except EOFError:  # the API process closed it, or exited
            return
        batch = [Submission(*record) for record in records]
        intake.store(batch)
        intake.queue_jobs(batch)
        conn.send([(_portable(sub.outcome), sub.bulk) for sub in batch])


def _store_and_queue_services(settings: Settings) -> tuple[Database, JobQueue]:
    from redis import Redis

    from service.queue import JobQueue
    from service.store import Database
    from service.thread_versions import ThreadVersions

    redis = Redis.from_url(settings.redis_url_or_local, socket_timeout=2, socket_connect_timeout=2)
    db = Database(settings.database_url)
    db.on_thread_versions = ThreadVersions(redis).publish
    return db, JobQueue(redis, settings)


_STORED_FIELDS = tuple(f.name for f in fields(StoredComment))


def _portable(outcome: object) -> object:
    """The outcome as the API process can read it: plain attributes, or an error it answers."""
    if isinstance(outcome, tuple):
        comment, created = outcome
        if not isinstance(comment, StoredComment):  # an idempotent replay's ORM Comment
            comment = StoredComment(**{name: getattr(comment, name) for name in _STORED_FIELDS})
        return comment, created
    if isinstance(outcome, DuyetError):
        return outcome
    log.error("intake could not store a comment: %s: %s", type(outcome).__name__, outcome)
    return Unavailable(STORE_FAILED)


def main() -> None:
    # Ctrl-C in a terminal reaches the whole process group: let the API process decide
    # when to stop; this process ends when its connection closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(Connection(int(sys.argv[1])))


if __name__ == "__main__":
    main()
