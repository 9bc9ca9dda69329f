"""/metrics in Prometheus format: counters move with real comments, jobs and webhooks;
queue gauges come from Redis; multiprocess mode adds up several processes; logs are JSON
and carry the request id from the API into the job."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from service.auth import clear_caches
from service.logging import JsonFormatter
from service.settings import Settings
from service.store import accounts
from tests.integration.conftest import SiteFixture, submit
from workers import runtime
from workers.wsgi import create

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: FlaskClient) -> Samples:
    """GET /metrics and parse it with prometheus-client's own text parser."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    return parse(response.get_data(as_text=True))


def parse(text: str) -> Samples:
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def total(samples: Samples, name: str, **labels: str) -> float:
    """Sum the samples of a name whose labels include the given ones."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= set(ls))


def test_counters_move_with_a_comment_and_its_decision(
    client: FlaskClient, site: SiteFixture, work: Callable[[], None]
) -> None:
    before = scrape(client)
    submit(client, site, "Bài viết hay, cảm ơn phóng viên đã đưa tin kịp thời.")
    work()
    after = scrape(client)

    site_label = {"site": str(site.id)}
    received = "duyet_comments_received_total"
    assert total(after, received, **site_label) == total(before, received, **site_label) + 1
    assert total(after, "duyet_decisions_total") == total(before, "duyet_decisions_total") + 1
    latency = "duyet_decision_latency_seconds_count"
    assert total(after, latency) == total(before, latency) + 1
    assert any(n == "duyet_engine_info" and v == 1 for (n, _), v in after.items())


def test_decisions_are_counted_by_verdict_and_deciding_reason(
    client: FlaskClient, site: SiteFixture, work: Callable[[], None]
) -> None:
    before = scrape(client)
    submit(client, site, "Liên hệ Zalo 0912 345 678 để nhận thưởng lớn hôm nay nhé")
    work()
    after = scrape(client)

    moved = {
        dict(labels)["reason"]: after[(n, labels)] - before.get((n, labels), 0.0)
        for (n, labels) in after
        if n == "duyet_decisions_total" and dict(labels)["verdict"] == "spam"
    }
    assert moved.get("contact_phone") == 1, moved


def test_queue_depth_and_oldest_job_age_are_read_from_redis(
    client: FlaskClient, site: SiteFixture, work: Callable[[], None]
) -> None:
    submit(client, site, "Bình luận thứ nhất")
    submit(client, site, "Bình luận thứ hai")
    waiting = scrape(client)
    assert total(waiting, "duyet_redis_up") == 1
    assert total(waiting, "duyet_database_up") == 1
    assert total(waiting, "duyet_queue_depth", queue="duyet") == 2
    # The flood queue is shown even when empty: its backlog is what an alert must see.
    assert total(waiting, "duyet_queue_depth", queue="duyet-bulk") == 0
    assert total(waiting, "duyet_queue_oldest_job_age_seconds", queue="duyet") >= 0

    work()
    drained = scrape(client)
    assert total(drained, "duyet_queue_depth", queue="duyet") == 0
    assert total(drained, "duyet_queue_oldest_job_age_seconds", queue="duyet") == 0


def test_a_failed_webhook_is_counted(
    client: FlaskClient,
    site: SiteFixture,
    work: Callable[[], None],
    app: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    svc = client.application.extensions["duyet"]
    monkeypatch.setenv("DUYET_WEBHOOK_ALLOW_PRIVATE", "true")  # else refused, never sent
    runtime.reset()
    # Port 9 (discard) refuses connections here: the delivery fails and is retried later.
    accounts.update_site(svc.db, site.id, webhook_url="http://127.0.0.1:9/hook")
    before = scrape(client)
    submit(client, site, "Bình luận sẽ được báo qua webhook")
    work()
    after = scrape(client)

    name = "duyet_webhook_failures_total"
    event = {"event": "comment.published"}
    assert total(after, name, **event) == total(before, name, **event) + 1
    # Its event waits in the database for a retry, and the operator can see it there.
    assert total(before, "duyet_webhook_events_waiting") == 0
    assert total(after, "duyet_webhook_events_waiting") == 1
    assert 0 < total(after, "duyet_webhook_oldest_waiting_seconds") < 60


def test_multiprocess_mode_adds_up_every_process(tmp_path: Path, settings: Settings) -> None:
    """Two processes count, a third renders /metrics' exposition: it shows the sum."""
    metrics_dir = tmp_path / "prometheus"  # tmp_path also holds this test's SQLite *.db
    metrics_dir.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    count = (
        "from service import metrics; assert metrics.MULTIPROCESS; "
        "metrics.COMMENTS_RECEIVED.labels(site='7').inc(); "
        "metrics.observe_decision('hold', [], __import__('datetime').datetime.now(), 'v-test')"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, check=True)
    show = (
        "import sys; from redis import Redis; from service import metrics; "
        f"sys.stdout.write(metrics.exposition(Redis.from_url({settings.redis_url!r}), ['duyet'])"
        ".decode())"
    )
    shown = subprocess.run([sys.executable, "-c", show], env=env, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout

    samples = parse(out)
    assert total(samples, "duyet_comments_received_total", site="7") == 2
    assert total(samples, "duyet_decisions_total", verdict="hold", reason="none") == 2
    assert total(samples, "duyet_engine_info", version="v-test") == 1
    assert total(samples, "duyet_redis_up") == 1


def test_the_request_id_follows_the_comment_into_its_job(
    client: FlaskClient,
    site: SiteFixture,
    work: Callable[[], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    payload = {"article_id": "bai-1", "body": "Cảm ơn tòa soạn", "author_name": "Lan"}
    headers = {**site.headers, "X-Request-Id": "req-theo-doi-42"}
    response = client.post("/v1/comments", json=payload, headers=headers)
    assert response.headers["X-Request-Id"] == "req-theo-doi-42"
    with caplog.at_level(logging.INFO, logger="duyet.jobs"):
        work()

    decided = [r for r in caplog.records if r.name == "duyet.jobs" and "decided" in r.message]
    assert decided, "the job logged no decision"
    line = json.loads(JsonFormatter().format(decided[0]))
    assert line["request_id"] == "req-theo-doi-42"
    assert line["level"] == "INFO" and line["logger"] == "duyet.jobs"
    assert line["message"].startswith(f"decided comment {response.json['id']}")


def test_the_grafana_dashboard_queries_only_metrics_that_exist(client: FlaskClient) -> None:
    dashboard = Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"
    queries = [
        target["expr"]
        for panel in json.loads(dashboard.read_text(encoding="utf-8"))["panels"]
        for target in panel["targets"]
    ]
    used = {
        re.sub(r"_(total|bucket|count|sum)$", "", name)
        for query in queries
        for name in re.findall(r"\bduyet_[a-z_]+", query)
    }
    text = client.get("/metrics").get_data(as_text=True)
    exported = {family.name for family in text_string_to_metric_families(text)}
    assert used and used <= exported, used - exported


def test_a_database_that_does_not_answer_shows_as_down(settings: Settings, tmp_path: Path) -> None:
    """The outbox's gauges vanish with the database: duyet_database_up says why."""
    clear_caches()
    missing = tmp_path / "no-such-dir" / "duyet.db"  # SQLite cannot open it
    app = create(settings.with_overrides(database_url=f"sqlite:///{missing}"))
    families = scrape(app.test_client())
    assert total(families, "duyet_database_up") == 0
    assert total(families, "duyet_redis_up") == 1
