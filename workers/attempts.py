"""Failed checks, counted per comment, and the decision that ends them: held for a human.

A comment whose check raises or times out stays pending with no job, and the sweep queues it
again after sweep_min_age, which spaces the attempts out. So that a comment that fails for
ever does not stay pending for ever, its failures are counted in Redis (kept a week), and at
MAX_ATTEMPTS it is recorded as held with a reason that says why.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis import Redis

from service.store.moderation_input import ModerationInput
from service.store.system_decisions import SystemDecision
from workers.engine import ENGINE_VERSION
from workers.engine.rules.base import reason
from workers.engine.types import Verdict

MAX_ATTEMPTS = 3
ATTEMPTS_KEY = "duyet:attempts:{}"
ATTEMPTS_TTL = 7 * 24 * 3600
CHECK_FAILED = "check_failed"


def count_failures(redis: Redis, comment_ids: Sequence[int]) -> list[int]:
    """Count one more failed check for each comment; return each one's count so far."""
    pipe = redis.pipeline(transaction=False)
    for comment_id in comment_ids:
        pipe.incr(ATTEMPTS_KEY.format(comment_id))
        pipe.expire(ATTEMPTS_KEY.format(comment_id), ATTEMPTS_TTL)
    return [int(n) for n in pipe.execute()[::2]]


def held_for_a_human(item: ModerationInput) -> SystemDecision:
    """The decision for a comment whose check failed MAX_ATTEMPTS times."""
    why = reason(
        CHECK_FAILED,
        f"Kiểm tra tự động thất bại {MAX_ATTEMPTS} lần; cần người duyệt.",
        Verdict.HOLD,
        f"The automatic check failed {MAX_ATTEMPTS} times; a human must decide.",
        attempts=MAX_ATTEMPTS,
    )
    return SystemDecision(item.comment, Verdict.HOLD.value, {}, [why.to_dict()], ENGINE_VERSION)
