"""A moderator's decision and what follows it, shared by the moderation API and the desk."""

from __future__ import annotations

from service.context import Services
from service.store.decisions import Outcome, moderator_decide


def decide_as_moderator(
    svc: Services, comment_id: int, action: str, moderator: str, note: str = ""
) -> Outcome:
    """Record approve / reject / spam, tell the site's webhook, and teach the engine."""
    outcome = moderator_decide(svc.db, comment_id, action, moderator, note)
    if not outcome.decided:  # the same action again: nothing new to tell or to learn
        return outcome
    if action == "approve" and outcome.published_changed:
        svc.queue.webhook(comment_id, "comment.published")
    elif action != "approve" and not outcome.kept_out_before:
        svc.queue.webhook(comment_id, "comment.rejected")
    svc.queue.learn(comment_id, action)
    return outcome
