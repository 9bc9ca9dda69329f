"""The app against real Redis and a real database, and a way to run the workers in-process."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from flask import Flask, request, request_started
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue
from werkzeug.test import Client

from service.auth import clear_caches
from service.settings import Settings
from service.store import accounts
from workers.process import ModerationWorker
from workers.wsgi import create

T = TypeVar("T")

MOD_PASSWORD = "mật-khẩu-thử-123"


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
    accounts.create_moderator(app.extensions["duyet"].db, "bientap", MOD_PASSWORD)
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
