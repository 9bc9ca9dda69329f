"""The reference for decisions/s: RQ's default forking Worker running the same moderation job.

The engine's model is loaded once in the parent, so each forked work horse inherits it;
everything else (database connection, Redis) is what a plain `rq worker` does per job.
Batching is off: each job decides its own comment only, as RQ's model of one job per task
has it; a job that claimed its queued neighbours would make the reference our own batch.
"""

from __future__ import annotations

import sys

from redis import Redis
from rq import Queue, Worker

from workers import batch
from workers.process import _warm_up_engine


def main(redis_url: str, queue_name: str) -> int:
    """Work one queue with a forking worker until it is empty."""
    batch.BATCH_SIZE = 1  # inherited by every work horse
    _warm_up_engine()
    redis = Redis.from_url(redis_url)
    Worker([Queue(queue_name, connection=redis)], connection=redis).work(
        burst=True, logging_level="WARNING"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
