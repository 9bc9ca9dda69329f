"""The worker's short road: a moderation job is decided without RQ's per-job bookkeeping,
and handed to RQ's own road (retries, failed registry) when deciding fails."""

from __future__ import annotations

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import JobStatus

from service.queue import moderation_job_id
from tests.integration.conftest import submit
from workers import jobs
from workers.process import ModerationWorker

CLEAN = "Cảm ơn báo đã đưa tin kịp thời về tình hình mưa lũ ở huyện mình."


def _status(client, site, comment_id: int) -> str:
    return client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"]


def _rq_keys(redis: Redis) -> list[str]:
    """RQ's bookkeeping keys a job leaves behind (the worker's own keys aside)."""
    keys = (k.decode() for k in redis.scan_iter("rq:*"))
    return sorted(k for k in keys if k.startswith(("rq:job:", "rq:execution", "rq:wip:")))


def _commands_to_decide_one(client, site, redis: Redis, queue: Queue, worker_class) -> int:
    accepted = submit(client, site, CLEAN)
    assert _rq_keys(redis) == [f"rq:job:{moderation_job_id(accepted['id'])}"]
    before = int(redis.info("stats")["total_commands_processed"])
    worker_class([queue], connection=redis).work(burst=True)
    spent = int(redis.info("stats")["total_commands_processed"]) - before
    assert _status(client, site, accepted["id"]) == "approved"
    assert _rq_keys(redis) == []
    assert queue.started_job_registry.get_job_ids() == []
    assert queue.failed_job_registry.get_job_ids() == []
    return spent


def test_a_moderation_job_is_decided_without_rq_bookkeeping(client, site, redis, settings):
    queue = Queue(settings.queue_name, connection=redis)
    on_rqs_road = _commands_to_decide_one(client, site, redis, queue, SimpleWorker)
    on_the_short_road = _commands_to_decide_one(client, site, redis, queue, ModerationWorker)
    # Same worker start and stop, same decision; RQ's registries and records are the rest.
    assert on_the_short_road <= on_rqs_road - 15, (on_the_short_road, on_rqs_road)


def test_other_jobs_still_take_rqs_road(client, site, redis, settings, moderator):
    decided = submit(client, site, CLEAN)
    queue = Queue(settings.queue_name, connection=redis)
    ModerationWorker([queue], connection=redis).work(burst=True)
    client.post(
        f"/v1/moderation/comments/{decided['id']}/decision",
        json={"action": "spam"},
        auth=moderator,
    )
    learn = queue.get_job_ids()
    assert len(learn) == 1 and not learn[0].startswith("moderate-")
    assert list(redis.scan_iter("duyet:fb:*")) == []
    ModerationWorker([queue], connection=redis).work(burst=True)
    assert queue.count == 0 and queue.failed_job_registry.get_job_ids() == []
    assert list(redis.scan_iter("duyet:fb:*")) != []  # the label was learned


def test_a_failed_decision_goes_to_rqs_retries(
    client, site, redis, settings, monkeypatch: pytest.MonkeyPatch
):
    accepted = submit(client, site, CLEAN)
    attempts = []

    def failing(comment_ids, request_ids=None):
        attempts.append(comment_ids)
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "decide_many", failing)
    queue = Queue(settings.queue_name, connection=redis)
    ModerationWorker([queue], connection=redis).work(burst=True)
    assert len(attempts) == 2  # the short road, then RQ's road
    job = queue.fetch_job(moderation_job_id(accepted["id"]))
    assert job is not None and job.get_status() == JobStatus.SCHEDULED  # retried in 1 s
    assert _status(client, site, accepted["id"]) == "pending"
