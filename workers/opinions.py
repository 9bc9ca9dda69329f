"""Outside opinions for the engine: Akismet asked per comment, the remote classifier per
batch. Both plugins are off unless configured and never raise: a timeout or an open
circuit breaker is no opinion, so no comment is held up or lost because a service is down.
"""

from __future__ import annotations

from workers import runtime
from workers.engine.types import CommentInput, Context, Reason


def akismet(comment: CommentInput) -> tuple[Reason, ...]:
    """Akismet's reason when it calls the comment spam; none otherwise."""
    client = runtime.akismet()
    result = client.check(comment) if client else None
    reason = result.reason() if result else None
    return (reason,) if reason else ()


def remote(batch: list[tuple[CommentInput, Context]]) -> list[tuple[Reason, ...]]:
    """The remote classifier's reasons for each comment, asked once for the whole batch
    and judged by each comment's site thresholds; none when it is off or does not answer."""
    client = runtime.remote_classifier()
    scores = client.score_many([c.body for c, _ in batch]) if client and batch else None
    if scores is None:
        return [()] * len(batch)
    pairs = zip(scores, batch, strict=True)
    return [score.reasons(context.rules.thresholds) for score, (_, context) in pairs]
