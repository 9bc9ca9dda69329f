"""The intake writer process: the group commit of a server's API processes, with its own GIL.

`duyet serve` runs one per server: the first API process to need it starts it (gunicorn's
post_worker_init), and every API process of the same gunicorn master connects to it over a
Unix socket (see Settings.intake_writer_process). Each API process still gathers the
comments arriving at the same moment into one batch (service/intake.py); its writer thread
sends the batch here and waits. This process takes every batch that is waiting, from any
of its API processes, counts their rate limits, stores them in one transaction, queues
their jobs, and answers each API process with its own comments' outcomes.

Why a process: in a storm the writer thread shared its process's GIL with 16 request
threads, and each of its ~10 waits a batch (Redis, the database, the commit) ended in a
queue for the GIL behind them. A batch of five took 3.0 ms to store and queue inside the API
process against 0.6 ms alone, the API processes sat 20% idle for it, and more request threads
only made the batches slower. Here the batch's steps run back to back, and the API process
keeps only the parsing and the answering.

Why one for the server rather than one per API process (until session 16): two writers
each paid a commit, two Redis round trips and the wake-ups between them for half the
comments, and took turns on SQLite's write lock. One writer taking both API processes'
batches together stores about twice the comments per commit; intake rose 15-24% in
alternating runs on both databases (docs/performance.md, session 16).

The guarantee does not move: a request is answered 202 only after this process has
committed its comment and handed its job to Redis (or Redis refused it and the sweep will
queue it). When this process dies or stops answering, the batches in flight are answered
503 (their comments may have been stored: a retry with the same Idempotency-Key finds them,
and the sweep queues any job that was not sent), and the next batch starts a new process.
A batch that could not even be sent (the process was already gone) is sent to a new one.

Protocol, over a Unix socket with multiprocessing's framing (pickle; both ends are this
code, and the socket lives in a directory only this user can open): an API process sends
its Settings and gets `("ready", pid)`; then each message is a batch of
`(site_id, NewComment, idempotency_key, request_id, Deferred | None)` and its answer is
`[(outcome, bulk), ...]` in the same order, an outcome being `(StoredComment, created)` or a
DuyetError. The process exits when its last API process has gone.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import fields
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.errors import DuyetError, Unavailable
from service.store.new_comments import StoredComment

if TYPE_CHECKING:
    from service.intake import Intake, Submission
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


def socket_dir() -> Path:
    """Where the writers' sockets live: a directory only this user may open.

    Anyone who can connect could send pickles, which run code in the writer, so the
    directory must be this user's own and closed to everyone else.
    """
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    path = Path(base) / f"duyet-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise RuntimeError(f"{path} must be a directory that only this user can open")
    return path


@contextmanager
def _starting(address: str) -> Iterator[None]:
    """Hold the start lock: one process at a time starts, joins or leaves a writer.

    The lock is the socket directory's own (a lock file per address would outlive it).
    """
    fd = os.open(os.path.dirname(address), os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _connect(address: str) -> socket.socket | None:
    """A connection to the writer listening at address; None if none listens there."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(address)
    except (FileNotFoundError, ConnectionRefusedError):
        sock.close()
        return None
    return sock


class WriterProcess:
    """The API side: join the server's writer process (starting it if needed), hand it batches.

    `group` names the processes that share one writer: `duyet serve` gives every worker of
    a gunicorn master the same one. Without a group (an app built in a test, say) this
    object gets a writer of its own.
    """

    def __init__(self, settings: Settings, group: str | None = None) -> None:
        self.settings = settings
        self.group = group
        self._conn: Connection | None = None
        self._pid = 0  # the API process that connected (a fork must connect anew)
        self._writer_pid: int | None = None
        self._started: subprocess.Popen[bytes] | None = None  # the writer this process started

    @property
    def address(self) -> str:
        group = self.group or f"{os.getpid()}-{id(self):x}"
        return str(socket_dir() / f"intake-{group}.sock")

    def start(self) -> None:
        """Connect to the group's writer, starting it unless it runs; wait until it is ready."""
        if self._conn is not None and self._pid == os.getpid():
            return
        self._conn = None  # a fork's copy of its parent's connection is not this process's
        address = self.address
        with _starting(address):
            sock = _connect(address) or self._start_writer(address)
        conn = Connection(sock.detach())
        try:
            conn.send(self.settings)
            if not conn.poll(START_TIMEOUT_SECONDS):
                raise RuntimeError("the intake writer process did not answer")
            ready, pid = conn.recv()
        except BaseException:
            conn.close()
            raise
        if ready != "ready":
            conn.close()
            raise RuntimeError(f"the intake writer process refused this process: {pid}")
        self._conn, self._pid, self._writer_pid = conn, os.getpid(), pid

    def _start_writer(self, address: str) -> socket.socket:
        """Start a writer at address (nobody listens there) and connect once it listens."""
        Path(address).unlink(missing_ok=True)  # a dead writer's socket
        self._reap()
        started = subprocess.Popen([sys.executable, "-m", "service.intake_writer", address])
        self._started = started
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline and started.poll() is None:
            if (sock := _connect(address)) is not None:
                return sock
            time.sleep(0.01)
        raise RuntimeError("the intake writer process did not start")

    def store_and_queue(self, batch: list[Submission]) -> None:
        """Have the process store and queue the batch; give each submission its outcome."""
        records = [_record(sub) for sub in batch]
        try:
            self._send(records)
            assert self._conn is not None
            if not self._conn.poll(ANSWER_TIMEOUT_SECONDS):
                raise TimeoutError(f"no answer in {ANSWER_TIMEOUT_SECONDS:.0f} s")
            answers: list[Answer] = self._conn.recv()
        except Exception as exc:  # gone, stuck or never started: replace it next batch
            log.error("intake writer process failed (%s: %s); restarting", type(exc).__name__, exc)
            self.stop(kill=True)  # a stuck one would not notice its connections closing
            for sub in batch:
                sub.outcome = Unavailable(RESTARTING)
            return
        for sub, (outcome, bulk) in zip(batch, answers, strict=True):
            sub.outcome, sub.bulk = outcome, bulk

    def _send(self, records: list[Record]) -> None:
        self.start()
        assert self._conn is not None
        try:
            self._conn.send(records)
        except (BrokenPipeError, ConnectionResetError):  # gone before it read a byte of it
            self.stop()
            self.start()
            assert self._conn is not None
            self._conn.send(records)

    def stop(self, kill: bool = False) -> None:
        """Leave the writer (it exits when its last API process has left), or kill it."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
        if kill and self._writer_pid is not None:
            with suppress(ProcessLookupError):
                os.kill(self._writer_pid, signal.SIGKILL)
        self._writer_pid = None
        if self._started is not None and (kill or self.group is None):
            self._reap(wait=True)  # a writer of our own leaves with us

    def _reap(self, wait: bool = False) -> None:
        """Collect the writer this process started, if it has exited (or once it does)."""
        started = self._started
        if started is None:
            return
        try:
            started.wait(timeout=5) if wait else started.poll()
        except subprocess.TimeoutExpired:
            started.kill()
            started.wait()
        if started.returncode is not None:
            self._started = None

    @property
    def pid(self) -> int | None:
        """The writer process's pid, once connected."""
        return self._writer_pid


def _record(sub: Submission) -> Record:
    return (sub.site_id, sub.new, sub.idempotency_key, sub.request_id, sub.limits)


# ----- the process itself -------------------------------------------------------------
class _Server:
    """Take the waiting batches of every connected API process; store and answer them as one."""

    def __init__(self, listener: socket.socket, address: str) -> None:
        self.listener = listener
        self.address = address
        self.inode = os.stat(address).st_ino  # to leave a newer writer's socket alone
        self.conns: list[Connection] = []
        self.settings: Settings | None = None
        self.intake: Intake | None = None
        self.stopping = False

    def run(self) -> None:
        joined_by = time.monotonic() + START_TIMEOUT_SECONDS  # the starter connects at once
        while not self.stopping:
            ready = wait([self.listener, *self.conns], timeout=1.0)
            if self.listener in ready:
                self._join(self.listener.accept()[0])
            batches = self._receive([c for c in ready if c is not self.listener])
            if batches:
                self._store_and_answer(batches)
            if not self.conns and (self.intake or time.monotonic() > joined_by) and self._leave():
                return
        with _starting(self.address):
            self._unlink()

    def stop_soon(self, *_: object) -> None:
        """SIGTERM: answer the batches in hand, then exit (the API processes start another)."""
        self.stopping = True

    def _unlink(self) -> None:
        with suppress(FileNotFoundError):
            if os.stat(self.address).st_ino == self.inode:
                os.unlink(self.address)

    def _join(self, sock: socket.socket) -> None:
        """Greet a connecting API process: the first one's Settings set this process up."""
        conn = Connection(sock.detach())
        try:
            if not conn.poll(START_TIMEOUT_SECONDS):
                raise EOFError("no settings")
            settings: Settings = conn.recv()
            if self.intake is None:
                self._set_up(settings)
            elif settings != self.settings:
                conn.send(("refused", "other settings than the processes already served"))
                raise EOFError("other settings")
            conn.send(("ready", os.getpid()))
        except (EOFError, OSError):
            conn.close()
            return
        self.conns.append(conn)

    def _set_up(self, settings: Settings) -> None:
        from service.intake import Intake
        from service.logging import configure_logging

        configure_logging(settings)
        self.settings = settings
        self.intake = Intake(*_store_and_queue_services(settings))

    def _receive(self, ready: list[Any]) -> list[tuple[Connection, list[Record]]]:
        batches = []
        for conn in ready:
            try:
                batches.append((conn, conn.recv()))
            except (EOFError, OSError):  # that API process has gone
                self._drop(conn)
        return batches

    def _store_and_answer(self, batches: list[tuple[Connection, list[Record]]]) -> None:
        from service.intake import Submission

        assert self.intake is not None
        batch = [Submission(*record) for _, records in batches for record in records]
        self.intake.store(batch)
        self.intake.queue_jobs(batch)
        answers = [(_portable(sub.outcome), sub.bulk) for sub in batch]
        for conn, records in batches:
            mine, answers = answers[: len(records)], answers[len(records) :]
            try:
                conn.send(mine)
            except OSError:  # gone while its batch was stored: it answers 503 itself
                self._drop(conn)

    def _drop(self, conn: Connection) -> None:
        conn.close()
        self.conns.remove(conn)

    def _leave(self) -> bool:
        """Exit unless an API process is joining right now (it holds the start lock too)."""
        with _starting(self.address):
            self.listener.setblocking(False)
            try:
                sock = self.listener.accept()[0]
            except BlockingIOError:
                self._unlink()
                return True
            finally:
                self.listener.setblocking(True)
        sock.setblocking(True)
        self._join(sock)
        return False


def serve(address: str) -> None:
    """Listen at address and serve API processes until the last one has gone."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    server = _Server(listener, address)
    signal.signal(signal.SIGTERM, server.stop_soon)
    server.run()


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
    # when to stop; this process ends when its last API process has gone.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(sys.argv[1])


if __name__ == "__main__":
    main()
