"""The optional Akismet plugin: its opinion joins the reasons; its outage never blocks a comment."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from service.store.reading import comment_history
from tests.integration.conftest import submit
from workers import runtime

CLEAN = "Cảm ơn báo đã đưa tin kịp thời về lịch cắt điện tuần này."


class _Akismet(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("X-akismet-pro-tip", "discard")
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def akismet_says_spam():
    server = HTTPServer(("127.0.0.1", 0), _Akismet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _use_akismet(monkeypatch, url: str) -> None:
    monkeypatch.setenv("DUYET_AKISMET_KEY", "test-key")
    monkeypatch.setenv("DUYET_AKISMET_BLOG", "https://baotinh.example.vn")
    monkeypatch.setenv("DUYET_AKISMET_URL", url)
    runtime.reset()


def test_akismet_blatant_spam_marks_the_comment_spam(
    app, client, site, work, monkeypatch, akismet_says_spam
):
    _use_akismet(monkeypatch, akismet_says_spam)
    accepted = submit(client, site, CLEAN)
    work()
    _, decisions, _ = comment_history(app.extensions["duyet"].db, accepted["id"])
    assert decisions[0].verdict == "spam"
    assert "akismet_spam" in [reason["code"] for reason in decisions[0].reasons]


def test_akismet_unreachable_still_decides_the_comment(app, client, site, work, monkeypatch):
    _use_akismet(monkeypatch, "http://127.0.0.1:9")  # nothing listens on the discard port
    accepted = submit(client, site, CLEAN)
    work()
    _, decisions, _ = comment_history(app.extensions["duyet"].db, accepted["id"])
    assert decisions[0].verdict == "approve"
