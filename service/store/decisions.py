"""What every decision on a comment shares, whoever makes it: the status each verdict moves the
comment to, and the Outcome that recording a decision answers with. The deciders have modules
of their own: the worker's in system_decisions.py (what it reads first: moderation_input.py),
the moderators' in moderator_decisions.py."""

from __future__ import annotations

from dataclasses import dataclass

from service.models import Comment, Status

VERDICT_STATUS = {
    "approve": Status.APPROVED,
    "hold": Status.HELD,
    "spam": Status.SPAM,
    "reject": Status.REJECTED,
}


@dataclass(frozen=True)
class Outcome:
    """What a recorded decision changed, for the caller's follow-up (webhook, learning)."""

    comment: Comment
    decided: bool
    status: Status
    published_changed: bool
    # Rejected already, so the site was told (the engine's reject sends comment.rejected; its
    # spam sends nothing): a moderator confirming it, or calling it spam, has nothing new.
    kept_out_before: bool = False
    # The webhook event written with the decision (service/store/outbox.py), for the caller
    # to queue after the commit; None if it announces nothing or the site has no webhook.
    webhook_event: int | None = None
