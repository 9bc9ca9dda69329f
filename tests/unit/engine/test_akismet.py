"""The Akismet plugin against a real HTTP server on 127.0.0.1: answers, timeouts, breaker."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from workers.engine.plugins.akismet import AkismetClient, CircuitBreaker
from workers.engine.types import CommentInput, Verdict


class FakeAkismet(ThreadingHTTPServer):
    """A tiny Akismet speaking its documented contract; behaviour is set per test."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.delay = 0.0
        self.status = 200

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that timed out hangs up mid-answer: expected here


class Handler(BaseHTTPRequestHandler):
    server: FakeAkismet

    def do_POST(self) -> None:
        size = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(size).decode())
        self.server.requests.append((self.path, form))
        time.sleep(self.server.delay)
        body, headers = self._answer(form)
        self.send_response(self.server.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, form: dict[str, list[str]]) -> tuple[bytes, dict[str, str]]:
        if form.get("api_key") != ["good-key"]:
            return b"invalid", {"X-akismet-debug-help": "bad key"}
        if self.path != "/1.1/comment-check":
            return b"Thanks for making the web a better place.", {}
        if form.get("comment_author") == ["viagra-test-123"]:
            return b"true", {"X-akismet-pro-tip": "discard", "X-akismet-guid": "g-1"}
        spam = "casino" in form.get("comment_content", [""])[0]
        return (b"true" if spam else b"false"), {}

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[FakeAkismet]:
    srv = FakeAkismet()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _client(server: FakeAkismet, key: str = "good-key", **kw: object) -> AkismetClient:
    url = f"http://127.0.0.1:{server.server_address[1]}"
    return AkismetClient(key, "https://baotinh.vn", url, **kw)  # type: ignore[arg-type]


COMMENT = CommentInput("Bài viết hay", author_name="An", ip="203.0.113.9", user_agent="UA")


def test_off_without_a_key() -> None:
    assert AkismetClient.from_settings(None, "https://baotinh.vn") is None
    assert AkismetClient.from_settings("", "https://baotinh.vn") is None
    assert AkismetClient.from_settings("k", "https://baotinh.vn") is not None


def test_ham_and_spam_answers(server: FakeAkismet) -> None:
    client = _client(server)
    ham = client.check(COMMENT)
    assert ham is not None and ham.spam is False and ham.reason() is None
    spam = client.check(CommentInput("best casino bonus", ip="203.0.113.9"))
    assert spam is not None and spam.spam is True
    reason = spam.reason()
    assert reason is not None and reason.verdict is Verdict.HOLD
    path, form = server.requests[0]
    assert path == "/1.1/comment-check"
    assert form["blog"] == ["https://baotinh.vn"] and form["user_ip"] == ["203.0.113.9"]
    assert form["comment_content"] == ["Bài viết hay"] and form["comment_type"] == ["comment"]


def test_discard_tip_makes_it_spam(server: FakeAkismet) -> None:
    result = _client(server).check(CommentInput("hi", author_name="viagra-test-123"))
    assert result is not None and result.discard and result.guid == "g-1"
    reason = result.reason()
    assert reason is not None and reason.verdict is Verdict.SPAM


def test_submit_spam_and_ham(server: FakeAkismet) -> None:
    client = _client(server)
    assert client.submit_spam(COMMENT) and client.submit_ham(COMMENT)
    assert [path for path, _ in server.requests] == ["/1.1/submit-spam", "/1.1/submit-ham"]


def test_invalid_key_is_no_opinion(server: FakeAkismet) -> None:
    assert _client(server, key="bad").check(COMMENT) is None


def test_slow_server_trips_the_timeout(server: FakeAkismet) -> None:
    # The answer would take 3 s; the client gives up after 0.2 s. The bound leaves room for
    # a stalled virtual machine (CI once measured 1.13 s against a bound of 0.8 s).
    server.delay = 3.0
    started = time.monotonic()
    assert _client(server, timeout=0.2).check(COMMENT) is None
    assert time.monotonic() - started < 2.0


def test_server_error_is_no_opinion(server: FakeAkismet) -> None:
    server.status = 503
    assert _client(server).check(COMMENT) is None


def test_repeated_failures_open_the_breaker_then_a_probe_closes_it(server: FakeAkismet) -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=2, cooldown=30.0, clock=lambda: now[0])
    client = _client(server, breaker=breaker)
    server.status = 500
    assert client.check(COMMENT) is None and client.check(COMMENT) is None
    assert breaker.state == "open"
    assert client.check(COMMENT) is None
    assert len(server.requests) == 2  # the open breaker sent nothing
    server.status = 200
    now[0] = 31.0
    assert breaker.state == "half-open"
    assert client.check(COMMENT) is not None
    assert breaker.state == "closed" and len(server.requests) == 3


def test_failed_probe_reopens_the_breaker(server: FakeAkismet) -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=1, cooldown=10.0, clock=lambda: now[0])
    client = _client(server, breaker=breaker)
    server.status = 500
    assert client.check(COMMENT) is None
    now[0] = 11.0
    assert client.check(COMMENT) is None  # the probe fails
    assert breaker.state == "open"


def test_unreachable_server_is_no_opinion() -> None:
    client = AkismetClient("good-key", "https://baotinh.vn", "http://127.0.0.1:9", timeout=0.5)
    assert client.check(COMMENT) is None
