"""The API's gunicorn worker class takes its share of new connections, and no more.

Real gunicorn processes on loopback: one worker is kept busy while a client opens 32
keep-alive connections at once, the moment that split them 6/26 under plain gthread.
"""

from __future__ import annotations

import collections
import http.client
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service import fair_worker
from workers.embedded_redis import free_port

ROOT = Path(__file__).resolve().parents[2]
APP = """
import os, time

def app(environ, start_response):
    if environ["PATH_INFO"] == "/busy":  # hold this worker's interpreter for a while
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Length", str(len(body)))])
    return [body]
"""


def test_a_worker_accepts_while_it_holds_no_more_than_the_least_loaded_other() -> None:
    mine, other, gone = 13, 14, 15
    fair_worker.publish(other, 5)
    assert fair_worker.may_accept(mine, 5)
    assert not fair_worker.may_accept(mine, 6)
    fair_worker.publish(gone, 0)
    assert not fair_worker.may_accept(mine, 5)
    fair_worker._published[gone] -= fair_worker.STALE_SECONDS  # it stopped publishing
    assert fair_worker.may_accept(mine, 5)
    fair_worker._published[other] -= fair_worker.STALE_SECONDS
    assert fair_worker.may_accept(mine, 100)  # alone: every connection is its share


def _ask(port: int, path: str = "/") -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    return conn.getresponse().read().decode()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    """The API's gunicorn flags (2 workers x 16 threads, 32 connections each) on a tiny app."""
    (tmp_path / "pidapp.py").write_text(APP)
    port = free_port()
    argv = [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "16"]
    argv += ["--worker-class", "service.fair_worker.FairThreadWorker"]
    argv += ["--worker-connections", "32", "--bind", f"127.0.0.1:{port}"]
    argv += ["--chdir", str(tmp_path), "pidapp:app"]
    server = subprocess.Popen(argv, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        answered: set[str] = set()
        deadline = time.monotonic() + 30
        while len(answered) < 2 and time.monotonic() < deadline:  # both workers serving
            try:
                answered.add(_ask(port))
            except OSError:
                time.sleep(0.05)
        assert len(answered) == 2
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_keep_alive_connections_opened_at_once_are_shared_out(served: int) -> None:
    first_answers: list[str] = []
    lock = threading.Lock()
    start, all_connected = threading.Barrier(32), threading.Barrier(32)

    def client() -> None:
        # As wrk and a backend's pool do: every connection stays open while the others
        # open (a client that finished early would free its worker's share for another).
        start.wait()
        conn = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
        conn.request("GET", "/")
        first = conn.getresponse().read().decode()
        all_connected.wait()
        with lock:
            first_answers.append(first)

    time.sleep(1.2)  # both workers idle past gthread's 1 s wait: neither may look dead
    busy = threading.Thread(target=_ask, args=(served, "/busy"))
    busy.start()
    time.sleep(0.05)
    clients = [threading.Thread(target=client) for _ in range(32)]
    for thread in clients:
        thread.start()
    for thread in [*clients, busy]:
        thread.join()
    split = sorted(collections.Counter(first_answers).values())
    assert len(split) == 2 and split[0] >= 12, split  # plain gthread: 6-9 of 32
