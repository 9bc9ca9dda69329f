"""The only caller of Queue.enqueue: moderation and webhook jobs, by dotted name."""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Iterable
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from redis.typing import EncodableT
from rq import Queue, Retry
from rq.job import JobStatus
from rq.utils import now, utcformat

from service.settings import Settings

log = logging.getLogger("duyet.queue")

# The service never imports workers: jobs are named, and RQ imports them in the worker.
MODERATE_JOB = "workers.jobs.moderate_comment"
WEBHOOK_JOB = "workers.jobs.send_webhook"
LEARN_JOB = "workers.jobs.learn_from_decision"
# Sites an admin asked to retrain now; a worker's sweep takes them (workers/site_training.py).
RETRAIN_REQUESTS_KEY = "duyet:site-models:requested"
RETRAIN_LOCK_KEY = "duyet:site-models:retraining:{}"  # held while a worker retrains the site
# A delivery is bounded by DUYET_WEBHOOK_TIMEOUT in all; RQ stops a job stuck past this
# margin anyway (DNS, the database).
WEBHOOK_JOB_MARGIN = 30


# KEYS: the queues a moderation job can wait on; ARGV: job ids. Returns the ids without a
# live job. A "queued" hash counts only while its id is still on a queue: a worker pops the
# id (BLPOP) a moment before it deletes or marks the hash, and one killed in that moment
# leaves a "queued" hash that nothing will ever run. The queues are read once, and only
# when a candidate needs it.
_WITHOUT_LIVE_JOB = """
local live = {queued = true, started = true, deferred = true, scheduled = true}
local waiting = nil
local gone = {}
for _, id in ipairs(ARGV) do
  local state = redis.call('HGET', 'rq:job:' .. id, 'status')
  if state == 'queued' and not waiting then
    waiting = {}
    for _, key in ipairs(KEYS) do
      for _, queued in ipairs(redis.call('LRANGE', key, 0, -1)) do waiting[queued] = true end
    end
  end
  if not state or not live[state] or (state == 'queued' and not waiting[id]) then
    table.insert(gone, id)
  end
end
return gone
"""


JOB_PREFIX = "moderate-"
WEBHOOK_JOB_PREFIX = "webhook-"


def moderation_job_id(comment_id: int) -> str:
    """Name a comment's moderation job, so the sweep can tell whether one is still alive."""
    return f"{JOB_PREFIX}{comment_id}"


def webhook_job_id(event_id: int) -> str:
    """Name a webhook event's delivery job, for the same reason."""
    return f"{WEBHOOK_JOB_PREFIX}{event_id}"


# Writes a batch of moderation jobs atomically (a worker never pops an id without its hash):
# per job, RQ's fields (TEMPLATE, written into the script's text once per queue) plus what
# differs, then the id on the queue. The client sends only the time and three values a job.
_ENQUEUE = """
local fields = {TEMPLATE}
local at = #fields
local stamp = ARGV[1]
for i = 2, #ARGV, 3 do
  local comment_id, data, meta = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local job_id = JOB_PREFIX .. comment_id
  fields[at + 1] = 'created_at'; fields[at + 2] = stamp
  fields[at + 3] = 'enqueued_at'; fields[at + 4] = stamp
  fields[at + 5] = 'data'; fields[at + 6] = data
  fields[at + 7] = 'description'; fields[at + 8] = DESCRIPTION .. comment_id .. ')'
  local last = at + 8
  if meta ~= '' then
    fields[at + 9] = 'meta'; fields[at + 10] = meta
    last = at + 10
  end
  redis.call('HSET', 'rq:job:' .. job_id, unpack(fields, 1, last))
  redis.call('RPUSH', KEYS[1], job_id)
end
redis.call('SADD', KEYS[2], KEYS[1])
return 1
"""
VARYING_FIELDS = ("created_at", "enqueued_at", "data", "description", "meta")


def _lua_string(value: EncodableT) -> str:
    """A Lua string literal of value as redis-py would send it (printable ASCII as is)."""
    if isinstance(value, bytes):
        raw = value
    elif isinstance(value, str):
        raw = str.encode(value)  # an str enum (RQ's JobStatus) is its value, not its name
    else:
        raw = repr(value).encode()  # numbers, as redis-py's encoder writes them
    safe = (chr(b) if 32 <= b < 127 and b not in b'"\\' else f"\\{b:03d}" for b in raw)
    return '"' + "".join(safe) + '"'


class ModerationJobHashes:
    """Moderation jobs' Redis hashes exactly as RQ writes them, at a fraction of the cost.

    RQ's enqueue_many builds a Job object per comment and serializes some 25 fields; in a
    storm that was intake's largest cost after the insert. Here RQ builds one job, for a
    stand-in comment, and its own to_dict() is the template, written into a Lua script;
    per comment only what differs is sent: the call's data, the description, the
    timestamps and the request id. tests/integration/test_queue_format.py compares the
    result with RQ's hash field by field, so an RQ release that changes the format fails
    there, not in production.
    """

    def __init__(self, queue: Queue, settings: Settings) -> None:
        job = queue.create_job(MODERATE_JOB, args=(0,), **moderation_options(settings))
        job.origin = queue.name
        self._serializer = job.serializer
        template = [(k, v) for k, v in job.to_dict().items() if k not in VARYING_FIELDS]
        literals = ", ".join(_lua_string(item) for pair in template for item in pair)
        self.script = (
            _ENQUEUE.replace("{TEMPLATE}", "{" + literals + "}")
            .replace("JOB_PREFIX", _lua_string(JOB_PREFIX))
            .replace("DESCRIPTION", _lua_string(f"{MODERATE_JOB}("))
        )

    def varying(self, comment_id: int, request_id: str | None) -> tuple[int, bytes, bytes]:
        """Return what differs in comment_id's job: its id, its call's data and its meta."""
        call: tuple[str, None, tuple[int], dict[str, Any]]
        call = (MODERATE_JOB, None, (comment_id,), {})
        data = zlib.compress(self._serializer.dumps(call))
        meta = self._serializer.dumps({"request_id": request_id}) if request_id else b""
        return comment_id, data, meta


def moderation_options(settings: Settings) -> dict[str, Any]:
    """What every moderation job carries besides its comment id: RQ's enqueue options."""
    return {
        "timeout": settings.job_timeout,
        "result_ttl": 0,
        "failure_ttl": 7 * 24 * 3600,
        "retry": Retry(max=3, interval=[1, 5, 30]),
        "status": JobStatus.QUEUED,
    }


class JobQueue:
    """Enqueue duyet's jobs on Redis; failures are logged and reported, never raised."""

    def __init__(self, redis: Redis, settings: Settings) -> None:
        self.redis = redis
        self.settings = settings
        self.moderation = Queue(settings.queue_name, connection=redis)
        self.bulk = Queue(settings.bulk_queue_name, connection=redis)
        self.webhooks = Queue(settings.webhook_queue_name, connection=redis)
        self._job_hashes = {
            q.name: ModerationJobHashes(q, settings) for q in (self.moderation, self.bulk)
        }
        self._without_live_job = redis.register_script(_WITHOUT_LIVE_JOB)
        self._enqueue = {
            name: redis.register_script(jobs.script) for name, jobs in self._job_hashes.items()
        }

    def moderate(
        self, comment_ids: Iterable[int], request_id: str | None = None, bulk: bool = False
    ) -> bool:
        """Queue one moderation job per comment id; False if Redis refused (the sweep retries)."""
        return self.moderate_requests([(cid, request_id) for cid in comment_ids], bulk=bulk)

    def moderate_requests(
        self, requests: Iterable[tuple[int, str | None]], bulk: bool = False
    ) -> bool:
        """Queue the moderation jobs of (comment id, request id) pairs in one transaction.

        bulk=True puts suspected floods on the low-priority queue, which workers serve only
        when the main queue is empty, so a flood cannot delay a normal reader's comment.
        """
        queue = self.bulk if bulk else self.moderation
        jobs = self._job_hashes[queue.name]
        args: list[EncodableT] = [utcformat(now())]
        comment_ids = []
        for comment_id, request_id in requests:
            args.extend(jobs.varying(comment_id, request_id))
            comment_ids.append(comment_id)
        if not comment_ids:
            return True
        try:
            self._enqueue[queue.name](keys=[queue.key, Queue.redis_queues_keys], args=args)
        except RedisError as exc:
            log.warning("could not enqueue moderation of %s: %s", comment_ids, exc)
            return False
        return True

    def reclaim_abandoned(self) -> int:
        """Mark failed the moderation and webhook jobs started longer ago than their timeout
        (their worker died: a live one would have stopped them), so the sweep queues them
        again; return how many.

        RQ alone waits for the heartbeat to lapse (timeout + 60 s), for a worker's maintenance
        pass (every 10 min) and for the dead worker's scheduler lock; this costs one sweep.
        Re-running a job that was in fact alive is harmless: a comment leaves pending once.
        """
        # A started entry's score is its start + timeout + 60 s (SimpleWorker's heartbeat TTL).
        cutoff = time.time() + 60
        reclaimed = 0
        s = self.settings
        try:
            names = (s.queue_name, s.bulk_queue_name, s.webhook_queue_name)
            for name in names:
                key = Queue(name, connection=self.redis).started_job_registry.key
                entries: list[bytes] = self.redis.zrangebyscore(key, 0, cutoff)  # type: ignore[assignment]
                for entry in entries:
                    job_key = "rq:job:" + entry.decode().split(":", 1)[0]
                    pipe = self.redis.pipeline()
                    pipe.zrem(key, entry)
                    pipe.hset(job_key, "status", "failed")
                    pipe.execute()
                    reclaimed += 1
        except RedisError as exc:
            log.warning("could not reclaim abandoned jobs: %s", exc)
        if reclaimed:
            log.warning("reclaimed %d jobs abandoned by a dead worker", reclaimed)
        return reclaimed

    def webhook(self, event_id: int) -> bool:
        """Queue one attempt to deliver a webhook event (service/store/outbox.py); False if
        Redis refused. No RQ retry: the event's row says when to try again, and the sweep
        queues it then, so a retry survives Redis losing its data."""
        try:
            self.webhooks.enqueue(
                WEBHOOK_JOB,
                event_id,
                job_id=webhook_job_id(event_id),
                result_ttl=0,
                failure_ttl=7 * 24 * 3600,
                job_timeout=int(self.settings.webhook_timeout) + WEBHOOK_JOB_MARGIN,
            )
        except RedisError as exc:
            log.warning("could not enqueue webhook event %s: %s", event_id, exc)
            return False
        return True

    def learn(self, comment_id: int, action: str) -> bool:
        """Queue the engine's update from a moderator's decision."""
        try:
            self.moderation.enqueue(LEARN_JOB, comment_id, action, result_ttl=0)
        except RedisError as exc:
            log.warning("could not enqueue learning from %s: %s", comment_id, exc)
            return False
        return True

    def request_retrain(self, site_id: int) -> bool:
        """Ask the workers to retrain the site's own model at their next sweep."""
        try:
            self.redis.sadd(RETRAIN_REQUESTS_KEY, site_id)
        except RedisError as exc:
            log.warning("could not request a retrain of site %s: %s", site_id, exc)
            return False
        return True

    def retrain_state(self, site_id: int) -> str | None:
        """ "training" while a worker retrains the site, "requested" until one takes the
        request, else None (also when Redis does not answer: the page still shows)."""
        try:
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.exists(RETRAIN_LOCK_KEY.format(site_id))
                pipe.sismember(RETRAIN_REQUESTS_KEY, str(site_id))
                training, requested = pipe.execute()
        except RedisError:
            return None
        return "training" if training else "requested" if requested else None

    def without_live_job(self, comment_ids: list[int]) -> list[int]:
        """Keep the ids whose moderation job is gone, finished, failed, or lost in a worker."""
        return self._gone([self.moderation.key, self.bulk.key], JOB_PREFIX, comment_ids)

    def webhooks_without_live_job(self, event_ids: list[int]) -> list[int]:
        """Keep the webhook events whose delivery job is gone, finished, failed or lost."""
        return self._gone([self.webhooks.key], WEBHOOK_JOB_PREFIX, event_ids)

    def _gone(self, queue_keys: list[str], prefix: str, ids: list[int]) -> list[int]:
        job_ids = [f"{prefix}{n}" for n in ids]
        gone: list[bytes] = self._without_live_job(keys=queue_keys, args=job_ids)  # type: ignore[assignment]
        return [int(job_id.decode().removeprefix(prefix)) for job_id in gone]
