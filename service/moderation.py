"""A moderator's decision or ban and what follows it, shared by the moderation API and the desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from service.context import Services
from service.errors import DuyetError, NotFound
from service.models import Comment, Status
from service.notices import moderator_note
from service.scopes import EVERYTHING, Scope, comment_in_scope
from service.store.bans import BanOutcome, add_ban
from service.store.decisions import Outcome
from service.store.moderator_decisions import StaleStatus, moderator_decide

BAN_KINDS = ("email", "author", "ip")
BAN_DAYS = (1, 7, 30, 0)  # 0: for good


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


@dataclass(frozen=True)
class Banned:
    """What banning a comment's author did, and the comment's status if it was rejected too."""

    outcome: BanOutcome
    rejected: str | None


@dataclass(frozen=True)
class BanRequest:
    """A moderator's ban of a comment's author: by which detail, how long, and how."""

    kind: str  # one of BAN_KINDS
    days: int = 0  # one of BAN_DAYS
    note: str = ""
    reject: bool = False  # reject the comment first, as the desk's "ban and reject" does
    expected_status: str | None = None  # what the moderator saw; another status refuses


def ban_author(
    svc: Services, comment_id: int, asked: BanRequest, moderator: str, scope: Scope = EVERYTHING
) -> Banned:
    """Ban a comment's author on its site by the detail asked for, the value taken from the
    comment (a moderator never types an address). A comment out of scope is not found, so
    a ban is only ever on a site in scope."""
    comment = _comment_in_scope(svc, comment_id, scope)
    value = {"email": comment.author_email, "author": comment.author_id, "ip": comment.ip}
    if not value.get(asked.kind):
        raise DuyetError("this comment has no such author detail", {"kind": ["Unavailable."]})
    rejected = _reject_first(svc, comment, asked, moderator, scope) if asked.reject else None
    expires = timedelta(days=asked.days) if asked.days else None
    actor = f"moderator:{moderator}"
    outcome = add_ban(
        svc.db, comment.site_id, asked.kind, str(value[asked.kind]), actor, asked.note, expires
    )
    return Banned(outcome, rejected)


def _comment_in_scope(svc: Services, comment_id: int, scope: Scope) -> Comment:
    with svc.db.transaction() as s:
        comment = s.get(Comment, comment_id)
        if comment is None or not comment_in_scope(s, comment, scope):
            raise NotFound("comment not found")
        return comment


def _reject_first(
    svc: Services, comment: Comment, asked: BanRequest, moderator: str, scope: Scope
) -> str | None:
    """Reject the comment before its author is banned, as a decision button would: if
    another moderator decided it meanwhile this raises the conflict, so no ban is recorded
    either and the moderator looks at the comment again."""
    if asked.expected_status is not None and comment.status != asked.expected_status:
        raise StaleStatus(comment.status)
    if comment.status == Status.REJECTED.value:
        return None
    note = moderator_note("rules", "")
    outcome = decide_as_moderator(
        svc, comment.id, "reject", moderator, note, asked.expected_status, scope
    )
    return str(outcome.comment.status)
