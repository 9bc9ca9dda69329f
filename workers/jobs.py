"""RQ jobs: thin functions that load, call the engine, save, and hand on. Each takes ids only.

Every job is safe to run twice: the store moves a comment out of `pending` once, and a
second run finds nothing pending and stops.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from redis import Redis
from rq import get_current_job

from service.metrics import WEBHOOK_FAILURES, observe_decision
from service.store.decisions import (
    ModerationInput,
    Outcome,
    SystemDecision,
    load_many_for_moderation,
)
from service.store.decisions import record_system_decisions as record_many
from service.store.delivery import load_target
from workers import batch, behaviour, runtime, webhooks
from workers.engine import ScoringModel, classifier_text, evaluate
from workers.engine.fingerprint import fingerprint
from workers.engine.types import (
    Behaviour,
    CommentInput,
    Context,
    Reason,
    SiteRules,
    Thresholds,
)

log = logging.getLogger("duyet.jobs")
PUBLISH_EVENTS = {"approved": "comment.published", "rejected": "comment.rejected"}
SCORE_TOGETHER_FROM = 48  # texts in a batch; measured crossover of probabilities_many


def moderate_comment(comment_id: int) -> str:
    """Decide one pending comment (and the queued ones behind it); return its new status.

    Returns 'skipped' if it was decided already. If the batch fails, the claimed neighbours
    are queued again before RQ retries this job. While more jobs keep queuing up behind it,
    the job goes on deciding them (see workers/batch.py).
    """
    job = get_current_job()
    if job is None:  # called directly, outside any queue: decide this one alone
        return moderate(comment_id, None, None)
    return moderate(comment_id, job.meta.get("request_id"), job.origin)


def moderate(comment_id: int, request_id: str | None, queue_name: str | None) -> str:
    """moderate_comment's work, also called by the worker's short road (workers/process.py):
    decide the comment with the jobs queued behind it on queue_name, then drain that queue."""
    redis = runtime.redis()
    claimed = batch.claim_neighbours(redis, queue_name)
    claimed.pop(comment_id, None)
    statuses = _decide_claimed({comment_id: request_id, **claimed}, claimed)
    _drain(redis, queue_name)
    return statuses.get(comment_id, "skipped")


def _decide_claimed(
    request_ids: dict[int, str | None], claimed: dict[int, str | None]
) -> dict[int, str]:
    try:
        return decide_many(list(request_ids), request_ids)
    except Exception:
        if claimed:  # they were taken off the queue: give them jobs of their own again
            runtime.job_queue().moderate(list(claimed))
        raise


def _drain(redis: Redis, queue_name: str | None) -> None:
    """Decide what queues up meanwhile, batch after batch, until empty or DRAIN_SECONDS.

    The job's own comment is decided by then, so a failing later batch does not fail it:
    that batch is queued again (or, with Redis away, found by the sweep) and draining stops.
    """
    deadline = time.monotonic() + batch.DRAIN_SECONDS
    while time.monotonic() < deadline:
        claimed = batch.claim_neighbours(redis, queue_name, batch.BATCH_SIZE)
        if not claimed:
            return
        try:
            _decide_claimed(claimed, claimed)
        except Exception:
            log.exception("a drained batch of %d failed; queued again", len(claimed))
            return


def decide_many(
    comment_ids: list[int], request_ids: dict[int, str | None] | None = None
) -> dict[int, str]:
    """Decide the pending ones of many comments: one load, one Redis trip, one transaction."""
    loaded = load_many_for_moderation(runtime.database(), comment_ids)
    if not loaded:
        return {}
    inputs = [_comment_input(item) for item in loaded]
    observed = behaviour.observe_many(
        runtime.redis(), [_observation(item, c) for item, c in zip(loaded, inputs, strict=True)]
    )
    contexts = [_context(item, o) for item, o in zip(loaded, observed, strict=True)]
    texts = [classifier_text(c, context) for c, context in zip(inputs, contexts, strict=True)]
    models = _models_by_site([item.site.id for item in loaded], texts)
    decided = [
        (item, evaluate(c, context, models[item.site.id], outside=_outside_opinion(c)))
        for item, c, context in zip(loaded, inputs, contexts, strict=True)
    ]
    outcomes = record_many(
        runtime.database(),
        [
            SystemDecision(
                item.comment,
                d.verdict.value,
                d.scores,
                d.reasons_as_dicts(),
                d.engine_version,
            )
            for item, d in decided
        ],
    )
    by_id = {item.comment.id: (item, d) for item, d in decided}
    for outcome in outcomes:
        item, d = by_id[outcome.comment.id]
        observe_decision(
            d.verdict.value, d.reasons_as_dicts(), item.comment.created_at, d.engine_version
        )
        _announce(outcome, bool(item.site.webhook_url), (request_ids or {}).get(item.comment.id))
    return {o.comment.id: o.status.value for o in outcomes}


def _models_by_site(site_ids: list[int], texts: list[str]) -> dict[int, ScoringModel | None]:
    """Each site's model (its own once it has one), with the batch's texts scored at once."""
    texts_of: dict[int, list[str]] = {}
    for site_id, text in zip(site_ids, texts, strict=True):
        texts_of.setdefault(site_id, []).append(text)
    return {
        site: _scored_at_once(runtime.model_for(site), group) for site, group in texts_of.items()
    }


@dataclass  # not frozen: ScoringModel's version is a plain attribute
class _Scored:
    """A batch's classifier answers, computed in one call, handed to evaluate as its model."""

    version: str
    answers: dict[str, dict[str, float]]

    def probabilities(self, text: str) -> dict[str, float]:
        return self.answers[text]


def _scored_at_once(model: ScoringModel | None, texts: list[str]) -> ScoringModel | None:
    # Scoring a full batch in one vectorized call gives the same probabilities (to 1e-15)
    # for ~15% less CPU; below ~40 texts sklearn's fixed cost per call makes it dearer than
    # scoring one by one. A model without it, or one that fails, is asked per comment by
    # evaluate, which holds only the comment it cannot score.
    many = getattr(model, "probabilities_many", None)
    if model is None or many is None or len(texts) < SCORE_TOGETHER_FROM:
        return model
    try:
        return _Scored(model.version, dict(zip(texts, many(texts), strict=True)))
    except Exception:
        log.exception("batch scoring failed; scoring comment by comment")
        return model


def _announce(outcome: Outcome, has_webhook: bool, request_id: str | None) -> None:
    event = PUBLISH_EVENTS.get(outcome.status.value)
    if event and has_webhook:  # a site without a webhook would get a job that does nothing
        runtime.job_queue().webhook(outcome.comment.id, event)
    log.info(
        "decided comment %s: %s",
        outcome.comment.id,
        outcome.status.value,
        extra={"request_id": request_id},
    )


def _outside_opinion(comment: CommentInput) -> tuple[Reason, ...]:
    # The plugin never raises and answers None on timeout or an open breaker: a comment is
    # never held up or lost because an outside service is down.
    client = runtime.akismet()
    result = client.check(comment) if client else None
    reason = result.reason() if result else None
    return (reason,) if reason else ()


def _comment_input(loaded: ModerationInput) -> CommentInput:
    c = loaded.comment
    return CommentInput(
        body=c.body,
        author_name=c.author_name,
        author_email=c.author_email,
        author_id=c.author_id,
        ip=c.ip,
        user_agent=c.user_agent,
        is_reply=c.parent_id is not None,
    )


def site_rules(config: dict[str, Any]) -> SiteRules:
    """Turn a site's effective configuration into the engine's rule settings."""
    return SiteRules(
        banned_words=tuple(config["banned_words"]),
        suspect_words=tuple(config["suspect_words"]),
        common_profanity=bool(config["common_profanity"]),
        profanity_allowed=tuple(config["profanity_allowed"]),
        max_links=int(config["max_links"]),
        blocked_domains=tuple(config["blocked_domains"]),
        max_length=int(config["max_length"]),
        flood_per_minute=int(config["flood_per_minute"]),
        thresholds=Thresholds(**config["thresholds"]),
    )


def _observation(
    loaded: ModerationInput, comment: CommentInput
) -> tuple[int, dict[str, str | None], behaviour.Sighting]:
    fp = fingerprint(comment.body)
    author = comment.author_id or comment.author_email or comment.ip or comment.author_name
    who = {"ip": comment.ip, "email": comment.author_email, "author": comment.author_id}
    return loaded.site.id, who, behaviour.Sighting(loaded.comment.id, fp, loaded.article.id, author)


def _context(loaded: ModerationInput, seen: behaviour.Observed) -> Context:
    return Context(
        rules=site_rules(loaded.config),
        article_closed=loaded.article.closed,
        article_premoderated=loaded.article.premoderated,
        page_urls=(loaded.article.url,) if loaded.article.url else (),
        behaviour=Behaviour(
            ip_rate=seen.rates.get("ip", 0),
            email_rate=seen.rates.get("email", 0),
            author_rate=seen.rates.get("author", 0),
            duplicates=seen.duplicates,
            author_approved=loaded.author_approved,
            author_rejected=loaded.author_rejected,
            banned=loaded.banned,
        ),
        feedback=seen.feedback,
    )


def learn_from_decision(comment_id: int, action: str) -> None:
    """Remember a moderator's label so near-identical comments are scored with it."""
    label = {"approve": "ham", "spam": "spam", "reject": "abuse"}[action]
    found = load_target(runtime.database(), comment_id)
    if found is None or not found.body:
        return
    behaviour.remember_label(runtime.redis(), found.site_id, fingerprint(found.body), label)


def deliver_webhook(comment_id: int, event: str) -> str:
    """POST the event to the site's webhook; raising makes RQ retry with backoff."""
    try:
        return webhooks.deliver(comment_id, event)
    except Exception:
        WEBHOOK_FAILURES.labels(event=event).inc()
        raise
