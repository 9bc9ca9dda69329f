"""A moderator's decision and what follows it, shared by the moderation API and the desk."""

from __future__ import annotations

from service.context import Services
from service.store.decisions import Outcome, moderator_decide


def decide_as_moderator(
    svc: Services,
    comment_id: int,
    action: str,
    moderator: str,
    note: str = "",
    expected_status: str | None = None,
) -> Outcome:
    """Record approve / reject / spam, tell the site's webhook, and teach the engine."""
    outcome = moderator_decide(
        svc.db, comment_id, action, moderator, note, expected_status=expected_status
    )
    if not outcome.decided:  # the same action again: nothing new to tell or to learn
        return outcome
    if outcome.webhook_event is not None:  # written with the decision; the sweep re-queues
        svc.queue.webhook(outcome.webhook_event)  # it if this enqueue is lost
    svc.queue.learn(comment_id, action)
    return outcome
