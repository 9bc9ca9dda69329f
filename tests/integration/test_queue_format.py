"""Intake writes moderation jobs itself (service.queue.ModerationJobHashes): RQ must read them
exactly as its own, and a worker must run them."""

from __future__ import annotations

from redis import Redis
from rq import Queue
from rq.job import Job

from service.queue import MODERATE_JOB, JobQueue, moderation_job_id, moderation_options
from service.settings import Settings

VARYING = {"created_at", "enqueued_at", "data", "description"}


def test_our_job_hash_is_the_hash_rq_writes(redis: Redis, settings: Settings):
    jobs = JobQueue(redis, settings)
    rq_queue = Queue(settings.queue_name, connection=redis)
    rq_queue.enqueue_many(
        [
            Queue.prepare_data(
                MODERATE_JOB,
                args=(7,),
                job_id=moderation_job_id(7),
                meta={"request_id": "r-1"},
                **{k: v for k, v in moderation_options(settings).items() if k != "status"},
            )
        ]
    )
    assert jobs.moderate_requests([(8, "r-1")])

    theirs = redis.hgetall(f"rq:job:{moderation_job_id(7)}")
    ours = redis.hgetall(f"rq:job:{moderation_job_id(8)}")
    assert set(ours) == set(theirs)
    assert {k: v for k, v in ours.items() if k.decode() not in VARYING} == {
        k: v for k, v in theirs.items() if k.decode() not in VARYING
    }
    job = Job.fetch(moderation_job_id(8), connection=redis)
    assert (job.func_name, job.args, job.kwargs) == (MODERATE_JOB, (8,), {})
    assert job.description == f"{MODERATE_JOB}(8)"
    assert job.meta == {"request_id": "r-1"} and job.get_status() == "queued"
    assert job.enqueued_at is not None and job.origin == settings.queue_name
    assert redis.lrange(f"rq:queue:{settings.queue_name}", 0, -1) == [
        moderation_job_id(7).encode(),
        moderation_job_id(8).encode(),
    ]
    assert rq_queue.key.encode() in redis.smembers("rq:queues")


def test_a_job_without_a_request_id_has_no_meta(redis: Redis, settings: Settings):
    assert JobQueue(redis, settings).moderate_requests([(9, None)], bulk=True)
    job = Job.fetch(moderation_job_id(9), connection=redis)
    assert job.meta == {} and job.origin == settings.bulk_queue_name
