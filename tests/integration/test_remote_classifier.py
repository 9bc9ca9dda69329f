"""The optional remote classifier: one request per batch, its scores judged by the site's
thresholds; an outage, a slow answer or a broken answer never blocks a comment."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from service.store.reading import comment_history
from tests.integration.conftest import submit
from workers import runtime

CLEAN = "Cảm ơn báo đã đưa tin kịp thời về lịch cắt điện tuần này."
OTHER = "Mong chính quyền sớm sửa con đường này trước mùa mưa."
SCAM = "Chúc mọi người một ngày tốt lành, mời ghé trang của mình nhé."  # the remote knows


class _Remote(BaseHTTPRequestHandler):
    """Scores "mời ghé trang" as spam 0.97, everything else 0.01; `delay` and `answer`
    let a test make it slow or break the contract. Keeps every request it got."""

    requests: list[dict] = []
    delay = 0.0
    answer: object = None  # None: the real scores

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"auth": self.headers.get("Authorization"), **sent})
        time.sleep(type(self).delay)
        scores = [{"spam": 0.97 if "mời ghé trang" in t else 0.01} for t in sent["texts"]]
        body = json.dumps(type(self).answer or {"scores": scores}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def remote(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Remote]]:
    _Remote.requests, _Remote.delay, _Remote.answer = [], 0.0, None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Remote)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _use_remote(monkeypatch, f"http://127.0.0.1:{server.server_port}/score")
    yield _Remote
    server.shutdown()


def _use_remote(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DUYET_REMOTE_CLASSIFIER_URL", url)
    monkeypatch.setenv("DUYET_REMOTE_CLASSIFIER_TOKEN", "tok-123")
    monkeypatch.setenv("DUYET_REMOTE_CLASSIFIER_TIMEOUT", "0.5")
    runtime.reset()


def _decision(app, comment_id: int):
    _, decisions, _ = comment_history(app.extensions["duyet"].db, comment_id)
    return decisions[0]


def test_one_request_scores_the_batch_and_its_spam_score_keeps_a_comment_out(
    app, client, site, work, remote
):
    ids = [submit(client, site, body)["id"] for body in (CLEAN, SCAM, OTHER)]
    work()
    assert len(remote.requests) == 1  # the whole batch in one request
    assert remote.requests[0]["texts"] == [CLEAN, SCAM, OTHER]
    assert remote.requests[0]["auth"] == "Bearer tok-123"
    verdicts = [_decision(app, i).verdict for i in ids]
    assert verdicts == ["approve", "spam", "approve"]  # 0.97 >= the site's spam_reject 0.9
    (reason,) = [r for r in _decision(app, ids[1]).reasons if r["code"] == "remote_spam"]
    assert reason["verdict"] == "spam" and reason["detail"]["score"] == 0.97


def test_the_sites_thresholds_judge_the_remote_score(app, client, site, work, remote):
    db = app.extensions["duyet"].db
    from service.models import Site  # noqa: PLC0415 (one test edits the site's thresholds)

    with db.transaction() as s:
        row = s.get(Site, site.id)
        row.config = {**row.config, "thresholds": {"spam_hold": 0.5, "spam_reject": 0.99}}
    accepted = submit(client, site, SCAM)
    work()
    assert _decision(app, accepted["id"]).verdict == "hold"  # 0.97: over hold, under reject


@pytest.mark.parametrize(
    "trouble",
    [
        "down",
        "slow",
        "bad token",
        {"scores": []},
        {"scores": [{"spam": 7}]},
        {"scores": [{"spam": "high"}]},
    ],
)
def test_no_usable_answer_leaves_the_local_engine_to_decide(
    app, client, site, work, remote, monkeypatch, trouble
):
    if trouble == "down":
        _use_remote(monkeypatch, "http://127.0.0.1:9/score")  # nothing listens there
    elif trouble == "bad token":  # a header cannot carry it: the plugin is off, logged
        monkeypatch.setenv("DUYET_REMOTE_CLASSIFIER_TOKEN", "bí-mật")
        runtime.reset()
    elif trouble == "slow":
        remote.delay = 2.0  # past the 0.5 s timeout
    else:
        remote.answer = trouble
    accepted = submit(client, site, SCAM)
    started = time.monotonic()
    work()
    assert time.monotonic() - started < 5
    decision = _decision(app, accepted["id"])
    assert decision.verdict == "approve"  # what the local engine alone says of this text
    assert not [r for r in decision.reasons if r["code"].startswith("remote_")]
