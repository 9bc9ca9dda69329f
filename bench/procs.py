"""The processes under test: gunicorn (API or ping), duyet workers, reference workers; RSS."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gunicorn_flags(threads: int) -> list[str]:
    """2 gthread workers as `duyet serve` runs them: each taking its share of new
    connections (service/fair_worker.py), at most 2 x threads."""
    return ["--workers", "2", "--worker-class", "service.fair_worker.FairThreadWorker",
            "--threads", str(threads), "--worker-connections", str(2 * threads)]  # fmt: skip


# As `duyet serve` runs by default: the API, and the ping reference beside it.
GUNICORN_FLAGS = gunicorn_flags(16)
# As issue 6 measured its bare limits (gthread 2x8): a second ping, for context.
ISSUE_FLAGS = gunicorn_flags(8)


class Proc:
    """One child process with its output in a log file; stopped by its own pid."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.log = (logs / f"{name}.log").open("ab")
        self.log_start = self.log.tell()  # a restarted process appends to its old log
        self.popen = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def children(self) -> list[int]:
        return children_of(self.pid)

    def stop(self, timeout: float = 20) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.log.close()


def children_of(pid: int) -> list[int]:
    """The process's children, whichever of its threads started them."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        return sorted(int(c) for task in tasks for c in (task / "children").read_text().split())
    except OSError:
        return []


def gunicorn(
    name: str,
    app: str,
    port: int,
    env: dict[str, str],
    logs: Path,
    conf: bool,
    flags: list[str] = GUNICORN_FLAGS,
) -> Proc:
    """Serve app under gunicorn (2 gthread workers) on loopback; wait until it answers."""
    argv = [sys.executable, "-m", "gunicorn", *flags, "--bind", f"127.0.0.1:{port}"]
    if conf:
        argv += ["--config", "python:service.gunicorn_conf"]
    proc = Proc(name, [*argv, app], env, logs)
    wait_http(f"http://127.0.0.1:{port}/{'healthz' if conf else 'ping'}", proc)
    if conf:
        wait_workers_serving(proc, workers=2)
    return proc


def wait_workers_serving(proc: Proc, workers: int, timeout: float = 60) -> None:
    """Wait until every worker has logged that its start-up is done (service.gunicorn_conf).

    gunicorn answers as soon as one worker serves, while another may still be starting its
    intake writer and opening its database connections (a second or more on a slow host).
    A phase started then gave most of wrk's 32 keep-alive connections to the first worker:
    intake splits of 31/1, 28/4 and 29/3 connections were seen, and were the slow runs.
    """
    from service.gunicorn_conf import WORKER_READY

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(proc.log.name, "rb") as log:
            log.seek(proc.log_start)
            logged = log.read().decode("utf-8", errors="replace")
        if logged.count(WORKER_READY) >= workers:
            return
        if proc.popen.poll() is not None:
            raise RuntimeError(f"{proc.name} exited; see its log")
        time.sleep(0.1)
    raise RuntimeError(f"{proc.name}: {workers} workers did not finish starting")


def wait_http(url: str, proc: Proc, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise RuntimeError(f"{proc.name} exited; see its log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200 and len(proc.children()) >= 2:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{proc.name} did not answer {url}")


def duyet_workers(count: int, env: dict[str, str], logs: Path) -> list[Proc]:
    """Start `duyet worker` processes (SimpleWorker with the sweep thread)."""
    argv = [sys.executable, "-m", "workers.cli", "worker"]
    return [Proc(f"worker{i}", argv, env, logs) for i in range(count)]


def wait_workers_ready(redis_url: str, count: int, timeout: float = 60) -> float:
    """Wait until count RQ workers have registered (model loaded, loop started); return seconds.

    A fixed sleep is not enough on a loaded machine: a worker can take several seconds to
    import and load the model, and comments sent before then would measure its start-up.
    """
    from redis import Redis
    from rq import Worker

    started = time.monotonic()
    redis = Redis.from_url(redis_url)
    try:
        while len(Worker.all(connection=redis)) < count:
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"{count} workers did not start in {timeout:.0f} s")
            time.sleep(0.05)
    finally:
        redis.close()
    return time.monotonic() - started


def reference_workers(count: int, queue: str, env: dict[str, str], logs: Path) -> list[Proc]:
    """Start RQ's default forking Worker on the reference queue."""
    argv = [sys.executable, "-m", "bench.ref_worker", env["REDIS_URL"], queue]
    return [Proc(f"refworker{i}", argv, env, logs) for i in range(count)]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler:
    """Record the largest RSS seen per role while a phase runs."""

    def __init__(self) -> None:
        self.peak: dict[str, float] = {}
        self._roles: dict[str, list[int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def watch(self, role: str, pids: Iterable[int]) -> None:
        self._roles[role] = list(pids)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for role, pids in list(self._roles.items()):
                for pid in pids:
                    self.peak[role] = max(self.peak.get(role, 0.0), rss_mb(pid))

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def child_env(database_url: str, redis_url: str) -> dict[str, str]:
    """Environment for the service's processes: this run's database and Redis, nothing else."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUYET_", "PROMETHEUS"))}
    env.update({"DATABASE_URL": database_url, "REDIS_URL": redis_url, "PYTHONPATH": str(ROOT)})
    env["DUYET_SECRET_KEY"] = secrets.token_urlsafe(32)  # gunicorn refuses the tests' key
    return env
