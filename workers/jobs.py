"""RQ jobs: thin functions that load, call the engine, save, and hand on. Each takes ids only.

Every job is safe to run twice: the store moves a comment out of `pending` once, and a
second run finds nothing pending and stops.
"""

from __future__ import annotations

import logging
from typing import Any

from rq import get_current_job

from service.metrics import WEBHOOK_FAILURES, observe_decision
from service.store.decisions import ModerationInput, Outcome, load_for_moderation
from service.store.decisions import record_system_decision as record
from service.store.delivery import load_target
from workers import behaviour, runtime, webhooks
from workers.engine import evaluate
from workers.engine.fingerprint import fingerprint
from workers.engine.types import (
    Behaviour,
    CommentInput,
    Context,
    Decision,
    SiteRules,
    Thresholds,
)

log = logging.getLogger("duyet.jobs")
PUBLISH_EVENTS = {"approved": "comment.published", "rejected": "comment.rejected"}


def moderate_comment(comment_id: int) -> str:
    """Decide one pending comment; return the new status, or 'skipped' if already decided."""
    loaded = load_for_moderation(runtime.database(), comment_id)
    if loaded is None:
        return "skipped"
    comment = _comment_input(loaded)
    context = _context(loaded, comment)
    decision = evaluate(comment, context)
    outcome = _save(comment_id, decision)
    if outcome is None:
        return "skipped"
    observe_decision(
        decision.verdict.value,
        decision.reasons_as_dicts(),
        loaded.comment.created_at,
        decision.engine_version,
    )
    _announce(outcome)
    return outcome.status.value


def _save(comment_id: int, decision: Decision) -> Outcome | None:
    return record(
        runtime.database(),
        comment_id,
        decision.verdict.value,
        decision.scores,
        decision.reasons_as_dicts(),
        decision.engine_version,
    )


def _announce(outcome: Outcome) -> None:
    event = PUBLISH_EVENTS.get(outcome.status.value)
    if event:
        runtime.job_queue().webhook(outcome.comment.id, event)
    job = get_current_job()
    request_id = job.meta.get("request_id") if job else None
    log.info(
        "decided comment %s: %s",
        outcome.comment.id,
        outcome.status.value,
        extra={"request_id": request_id},
    )


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


def _site_rules(config: dict[str, Any]) -> SiteRules:
    return SiteRules(
        banned_words=tuple(config["banned_words"]),
        suspect_words=tuple(config["suspect_words"]),
        max_links=int(config["max_links"]),
        blocked_domains=tuple(config["blocked_domains"]),
        max_length=int(config["max_length"]),
        flood_per_minute=int(config["flood_per_minute"]),
        thresholds=Thresholds(**config["thresholds"]),
    )


def _context(loaded: ModerationInput, comment: CommentInput) -> Context:
    redis = runtime.redis()
    site_id = loaded.site.id
    rates = behaviour.posting_rates(
        redis,
        site_id,
        {"ip": comment.ip, "email": comment.author_email, "author": comment.author_id},
    )
    fp = fingerprint(comment.body)
    author = comment.author_id or comment.author_email or comment.ip or comment.author_name
    sighting = behaviour.Sighting(loaded.comment.id, fp, loaded.article.id, author)
    return Context(
        rules=_site_rules(loaded.config),
        article_closed=loaded.article.closed,
        article_premoderated=loaded.article.premoderated,
        behaviour=Behaviour(
            ip_rate=rates.get("ip", 0),
            email_rate=rates.get("email", 0),
            author_rate=rates.get("author", 0),
            duplicates=behaviour.count_duplicates(redis, site_id, sighting),
            author_approved=loaded.author_approved,
            author_rejected=loaded.author_rejected,
            banned=loaded.banned,
        ),
        feedback=behaviour.feedback_for(redis, site_id, fp),
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
