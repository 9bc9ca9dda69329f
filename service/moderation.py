"""A moderator's decision and what follows it, shared by the moderation API and the desk."""

from __future__ import annotations

from service.context import Services
from service.scopes import EVERYTHING, Scope
from service.store.decisions import Outcome
from service.store.moderator_decisions import moderator_decide


def decide_as_moderator(
    svc: Services,
    comment_id: int,
    action: str,
    moderator: str,
    note: str = "",
    expected_status: str | None = None,
    scope: Scope = EVERYTHING,
) -> Outcome:
    """Record approve / reject / spam, tell the site's webhook, and teach the engine; a
    comment out of the moderator's scope is not found."""
    outcome = moderator_decide(
        svc.db, comment_id, action, moderator, note, scope, expected_status=expected_status
    )
    if not outcome.decided:  # the same action again: nothing new to tell or to learn
        return outcome
    if outcome.webhook_event is not None:  # written with the decision; the sweep re-queues
        svc.queue.webhook(outcome.webhook_event)  # it if this enqueue is lost
    svc.queue.learn(comment_id, action)
    return outcome
