"""RQ jobs: thin functions that load, call the engine, save, and hand on. Each takes ids only.

Every job is safe to run twice: the store moves a comment out of `pending` once, and a
second run finds nothing pending and stops.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from rq import get_current_job
from rq.exceptions import StopRequested
from rq.timeouts import JobTimeoutException

from service.metrics import observe_decision
from service.store.decisions import Outcome
from service.store.delivery import load_target
from service.store.moderation_input import ModerationInput, load_many_for_moderation
from service.store.outbox import add_event_now
from service.store.system_decisions import SystemDecision
from service.store.system_decisions import record_system_decisions as record_many
from workers import attempts, batch, behaviour, opinions, runtime, webhooks
from workers.attempts import MAX_ATTEMPTS
from workers.engine import ScoringModel, classifier_text, evaluate
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
SCORE_TOGETHER_FROM = 48  # texts in a batch; measured crossover of probabilities_many
FAILED = "failed"  # statuses decide_many answers for comments it left pending
REQUEUED = "requeued"
TIMED_OUT = "timed_out"  # the job's time is spent: it must not go on draining
# An author editing their comment again and again while it is checked costs a job this
# many more checks at most; the sweep takes it from there.
RECHECKS_AFTER_AN_EDIT = 2
# Set by the worker around a job: true once it is asked to stop (SIGTERM). The batch then
# stops after the comment being checked, and queues the rest again.
STOP_REQUESTED: ContextVar[Callable[[], bool] | None] = ContextVar("stop_requested", default=None)


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
    if not _cut_short(statuses):
        _drain(redis, queue_name)
    return statuses.get(comment_id, "skipped")


def _decide_claimed(
    request_ids: dict[int, str | None], claimed: dict[int, str | None]
) -> dict[int, str]:
    try:
        return decide_many(list(request_ids), request_ids)
    except BaseException:  # a failure, a stop request (StopRequested) or a cold shutdown
        if claimed:  # they were taken off the queue: give them jobs of their own again
            runtime.job_queue().moderate(list(claimed))
        raise


def _drain(redis: Redis, queue_name: str | None) -> None:
    """Decide what queues up meanwhile, batch after batch, until empty or DRAIN_SECONDS.

    The job's own comment is decided by then, so a failing later batch does not fail it:
    that batch is queued again (or, with Redis away, found by the sweep) and draining stops.
    """
    deadline = time.monotonic() + batch.DRAIN_SECONDS
    while time.monotonic() < deadline and not _stop_requested():
        claimed = batch.claim_neighbours(redis, queue_name, batch.BATCH_SIZE)
        if not claimed:
            return
        try:
            statuses = _decide_claimed(claimed, claimed)
        except Exception:
            log.exception("a drained batch of %d failed; queued again", len(claimed))
            return
        if _cut_short(statuses):
            return


def _cut_short(statuses: dict[int, str]) -> bool:
    """Whether a timeout or a stop request ended the batch: then no more is drained."""
    return bool({REQUEUED, TIMED_OUT} & set(statuses.values())) or _stop_requested()


def _stop_requested() -> bool:
    check = STOP_REQUESTED.get()
    return check is not None and check()


def decide_many(
    comment_ids: list[int],
    request_ids: dict[int, str | None] | None = None,
    rechecks: int = RECHECKS_AFTER_AN_EDIT,
) -> dict[int, str]:
    """Decide the pending ones of many comments: one load, one Redis trip, one transaction.

    A comment whose own check fails does not fail the others: they are decided, and it is
    left pending for the sweep, or held for a human once it has failed MAX_ATTEMPTS times.
    A comment its author edited while it was checked is checked again at once, its new
    text read afresh (up to `rechecks` times; then the sweep does it).
    Returns each comment's new status, FAILED, or REQUEUED for those a timeout or a stop
    request kept from being checked (they are queued again).
    """
    loaded = load_many_for_moderation(runtime.database(), comment_ids)
    if not loaded:
        return {}
    inputs = [_comment_input(item) for item in loaded]
    observed = behaviour.observe_many(
        runtime.redis(), [_observation(item, c) for item, c in zip(loaded, inputs, strict=True)]
    )
    run = _evaluate_each(loaded, inputs, observed)
    decided = [(item, _system_decision(item, d)) for item, d in run.decided]
    outcomes = _record(decided, run.failed)
    outcomes += _give_up_on(run.failed)
    if run.unreached:
        runtime.job_queue().moderate([item.comment.id for item in run.unreached])
    statuses = {item.comment.id: FAILED for item in run.failed}
    statuses |= {item.comment.id: REQUEUED for item in run.unreached}
    for outcome, item, d in outcomes:
        observe_decision(d.verdict, d.reasons, item.comment.created_at, d.engine_version)
        _announce(outcome, (request_ids or {}).get(item.comment.id))
        statuses[outcome.comment.id] = outcome.status.value
    if run.timed_out is not None:  # even if now held: the job's time is spent
        statuses[run.timed_out] = TIMED_OUT
    elif rechecks > 0:
        statuses |= _recheck_edited(decided, outcomes, request_ids, rechecks - 1)
    return statuses


def _recheck_edited(
    decided: list[tuple[ModerationInput, SystemDecision]],
    outcomes: list[_Recorded],
    request_ids: dict[int, str | None] | None,
    rechecks: int,
) -> dict[int, str]:
    """Decide again the comments whose decision the store refused and that are still pending.

    The store refuses a decision when the comment left pending (another run or a moderator
    decided it: the reload finds nothing) or when an edit moved it to a new revision. The
    edit queued no job of its own, since this one held the comment, so without this the new
    text would wait for the sweep.
    """
    recorded = {outcome.comment.id for outcome, _, _ in outcomes}
    refused = [item.comment.id for item, _ in decided if item.comment.id not in recorded]
    return decide_many(refused, request_ids, rechecks) if refused else {}


@dataclass
class _Run:
    """A batch after the engine: decided, failed (each counts an attempt), never reached."""

    decided: list[tuple[ModerationInput, Decision]] = field(default_factory=list)
    failed: list[ModerationInput] = field(default_factory=list)
    unreached: list[ModerationInput] = field(default_factory=list)
    timed_out: int | None = None  # the comment the job's timeout struck (also in failed)


def _evaluate_each(
    loaded: list[ModerationInput], inputs: list[CommentInput], observed: list[behaviour.Observed]
) -> _Run:
    run = _Run()
    contexts: list[Context | None] = []
    texts: list[str] = []
    for item, c, seen in zip(loaded, inputs, observed, strict=True):
        try:
            context = _context(item, seen)
            texts.append(classifier_text(c, context))
            contexts.append(context)
        except Exception:  # this comment's data: the others go on
            log.exception("could not prepare comment %s for the engine", item.comment.id)
            contexts.append(None)
    ready = [(i, c, x) for i, c, x in zip(loaded, inputs, contexts, strict=True) if x is not None]
    run.failed += [item for item, x in zip(loaded, contexts, strict=True) if x is None]
    models = _models_by_site([item.site.id for item, _, _ in ready], texts)
    remote = opinions.remote([(c, context) for _, c, context in ready])
    for n, (item, c, context) in enumerate(ready):
        if _stop_requested():  # the worker is asked to stop: the rest wait for the next one
            run.unreached += [later for later, _, _ in ready[n:]]
            break
        try:
            model = models[item.site.id]
            outside = opinions.akismet(c) + remote[n]
            run.decided.append((item, evaluate(c, context, model, outside=outside)))
        except StopRequested:
            raise
        except JobTimeoutException:  # the job's time is spent on this one: queue the rest
            log.warning("checking comment %s timed out", item.comment.id)
            run.failed.append(item)
            run.timed_out = item.comment.id
            run.unreached += [later for later, _, _ in ready[n + 1 :]]
            break
        except Exception:
            log.exception("checking comment %s failed", item.comment.id)
            run.failed.append(item)
    return run


def _system_decision(item: ModerationInput, d: Decision) -> SystemDecision:
    return SystemDecision(
        item.comment, d.verdict.value, d.scores, d.reasons_as_dicts(), d.engine_version
    )


_Recorded = tuple[Outcome, ModerationInput, SystemDecision]


def _record(
    decided: list[tuple[ModerationInput, SystemDecision]], failed: list[ModerationInput]
) -> list[_Recorded]:
    """Record the decisions in one transaction; if it fails, one by one (adding to failed)."""
    if not decided:
        return []
    try:
        return _recorded(decided, record_many(runtime.database(), [d for _, d in decided]))
    except Exception:
        if len(decided) == 1:
            raise
        log.exception("recording %d decisions failed; recording them one by one", len(decided))
    done: list[_Recorded] = []
    for item, d in decided:
        try:
            done += _recorded([(item, d)], record_many(runtime.database(), [d]))
        except Exception:
            log.exception("recording the decision on comment %s failed", item.comment.id)
            failed.append(item)
    if not done:  # every one failed alone too: the database, not a comment; fail the batch
        raise RuntimeError("no decision of the batch could be recorded")
    return done


def _recorded(
    decided: list[tuple[ModerationInput, SystemDecision]], outcomes: list[Outcome]
) -> list[_Recorded]:
    by_id = {item.comment.id: (item, d) for item, d in decided}
    return [(o, *by_id[o.comment.id]) for o in outcomes]


def _give_up_on(failed: list[ModerationInput]) -> list[_Recorded]:
    """Count a failed attempt per comment; hold for a human those at MAX_ATTEMPTS."""
    if not failed:
        return []
    try:
        counts = attempts.count_failures(runtime.redis(), [item.comment.id for item in failed])
        give_up = [item for item, n in zip(failed, counts, strict=True) if n >= MAX_ATTEMPTS]
        if not give_up:
            return []
        held = [(item, attempts.held_for_a_human(item)) for item in give_up]
        return _recorded(held, record_many(runtime.database(), [d for _, d in held]))
    except Exception:  # Redis or the database away: the comments stay pending, for the sweep
        log.exception("could not count or hold failed comments %s", [i.comment.id for i in failed])
        return []


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


def _announce(outcome: Outcome, request_id: str | None) -> None:
    if outcome.webhook_event is not None:  # written with the decision: the sweep re-queues
        runtime.job_queue().webhook(outcome.webhook_event)  # it if this enqueue is lost
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


def send_webhook(event_id: int) -> str:
    """Make one attempt to deliver a webhook event; its row says when to try again."""
    return webhooks.deliver(event_id)


def deliver_webhook(comment_id: int, event: str) -> str:
    """The job queued before the outbox (migration 0011): a job still in Redis from then
    writes its event now and sends it, so an upgrade loses none. The event's id is kept in
    the job, so a re-run (RQ's retry) sends the same event, not a second one. Remove in a
    later release."""
    job = get_current_job()
    event_id = job.meta.get("event_id") if job is not None else None
    if event_id is None:
        event_id = add_event_now(runtime.database(), comment_id, event)
        if job is not None and event_id is not None:
            job.meta["event_id"] = event_id
            job.save_meta()
    return webhooks.deliver(event_id) if event_id is not None else "no-webhook"
