"""The app against real Redis and a real database, a way to run the workers in-process, and
a webhook receiver listening on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from flask import Flask, request, request_started
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue
from werkzeug.test import Client

from service.auth import clear_caches
from service.settings import Settings
from service.store import accounts, moderator_accounts
from workers.process import ModerationWorker
from workers.wsgi import create

T = TypeVar("T")

MOD_PASSWORD = "mật-khẩu-thử-123"
ANSWER = "HTTP/1.1 {status} Answer\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


@dataclass(frozen=True)
class SiteFixture:
    id: int
    slug: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    """The app as gunicorn serves it: workers.wsgi, with the engine as its synchronous checker."""
    clear_caches()
    app = create(settings)
    yield app
    app.extensions["duyet"].db.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def make_site(app: Flask, slug: str) -> SiteFixture:
    db = app.extensions["duyet"].db
    site = accounts.create_site(db, slug, slug.title())
    key = accounts.create_api_key(db, site.id, "test")
    return SiteFixture(site.id, slug, key.secret)


@pytest.fixture
def site(app: Flask) -> SiteFixture:
    return make_site(app, "baotinh")


@pytest.fixture
def moderator(app: Flask) -> tuple[str, str]:
    moderator_accounts.create_moderator(app.extensions["duyet"].db, "bientap", MOD_PASSWORD)
    return ("bientap", MOD_PASSWORD)


@pytest.fixture
def work(redis: Redis, settings: Settings) -> Callable[[], None]:
    """Run every queued job to completion in this process, as `duyet worker --burst` would."""

    def run() -> None:
        queues = [
            Queue(n, connection=redis) for n in (settings.queue_name, settings.webhook_queue_name)
        ]
        ModerationWorker(queues, connection=redis).work(burst=True)

    return run


def submit(client: FlaskClient, site: SiteFixture, body: str, **fields: object) -> dict:
    """POST a comment and return the 202 answer."""
    payload = {"article_id": "bai-1", "body": body, "author_name": "Lan", **fields}
    response = client.post("/v1/comments", json=payload, headers=site.headers)
    assert response.status_code == 202, response.json
    return response.json


def in_parallel(task: Callable[[int], T], count: int) -> list[T]:
    """Run task(0) ... task(count - 1) on as many threads at once; return their results."""
    results: list[T | None] = [None] * count

    def run(n: int) -> None:
        results[n] = task(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [result for result in results if result is not None]


def flask_only(app: Flask) -> Client:
    """A client straight into Flask: none of the short roads in front of it (service/api)."""
    return Client(lambda environ, start_response: Flask.wsgi_app(app, environ, start_response))


@pytest.fixture
def flask_requests(app: Flask) -> Iterator[list[str]]:
    """The paths Flask itself handled (a short road never starts a Flask request)."""
    seen: list[str] = []

    def note(sender: Flask, **_: Any) -> None:
        seen.append(request.path)

    request_started.connect(note, app)
    yield seen
    request_started.disconnect(note, app)


def same_wait(first: Any, second: Any) -> None:
    """Both answers say Retry-After, the later one by at most a second less (a second may
    tick between two requests); the header is taken out so the rest can be compared."""
    waits = int(first.headers.pop("Retry-After")), int(second.headers.pop("Retry-After"))
    assert waits[0] >= 1 and 0 <= waits[0] - waits[1] <= 1


@dataclass
class Listener:
    """A raw receiver on 127.0.0.1: counts connections, keeps what was POSTed, and answers
    `status` at once or one byte every `trickle` seconds."""

    trickle: float = 0.0
    status: int = 200
    connections: int = 0
    heads: list[bytes] = field(default_factory=list)
    raw_bodies: list[bytes] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)
    server: socket.socket = field(default_factory=socket.socket)

    @property
    def port(self) -> int:
        return int(self.server.getsockname()[1])

    def header(self, name: str, request: int = 0) -> str | None:
        """A header's value in one of the requests received, in order; None if absent."""
        for line in self.heads[request].decode().split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            while len(body) < length:
                body += conn.recv(65536)
            self.heads.append(head)
            self.raw_bodies.append(body)
            self.bodies.append(json.loads(body))
            answer = ANSWER.format(status=self.status).encode()
            try:
                if not self.trickle:
                    conn.sendall(answer)
                    return
                for byte in answer:
                    conn.sendall(bytes([byte]))
                    time.sleep(self.trickle)
            except OSError:
                pass  # the sender gave up


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    found.server.bind(("127.0.0.1", 0))
    found.server.listen()
    threading.Thread(target=found.serve, daemon=True).start()
    yield found
    found.server.close()
