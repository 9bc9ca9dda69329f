"""A moderator's approve, reject or spam, and its undo: each audited, and kept as the comment's
one training label (what the site's classifier learns from). Deciding is idempotent (a
repeated click, a retried request or a bulk action over decided comments adds nothing) and
refuses a stale page (StaleStatus) rather than overturn another moderator; undo puts a
comment back only from the moderator's own latest, recent action (UndoRefused)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.errors import Conflict, NotFound
from service.models import AuditEntry, Comment, Decision, Report, Status, TrainingExample
from service.scopes import EVERYTHING, Scope, comment_in_scope
from service.store import outbox
from service.store.db import Database
from service.store.decisions import VERDICT_STATUS, Outcome
from service.store.picks import PICK_ACTIONS
from service.store.records import audit, touch_thread, transition

# A moderator may overrule any decided state; pending belongs to the worker, deleted is final.
MODERATABLE = (Status.HELD, Status.APPROVED, Status.SPAM, Status.REJECTED)
MODERATOR_ACTIONS = ("approve", "reject", "spam")
TRAINING_LABEL = {"approve": "ham", "spam": "spam", "reject": "abuse"}


def moderator_decide(
    db: Database,
    comment_id: int,
    action: str,
    moderator: str,
    note: str = "",
    scope: Scope = EVERYTHING,
    expected_status: str | None = None,
) -> Outcome:
    """Apply a moderator's approve / reject / spam, audit it, and keep it as a training label.

    What a moderator already decided changes nothing when decided again (Outcome.decided is
    False): a repeated click, a retried request or a bulk action over decided comments must
    not add decisions, audit rows or training labels, which count towards the site's
    retrain. Confirming the engine's decision is a moderator's first label, and confirming
    a comment readers reported since is the review that takes it off the reported tab.

    With `expected_status` (the status the moderator's page showed) a comment in any other
    status raises StaleStatus instead: another moderator decided it meanwhile.
    """
    status = VERDICT_STATUS[action]
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        if comment is None or not comment_in_scope(s, comment, scope):
            raise NotFound("comment not found")  # out of scope: as if missing
        before = comment.status
        _check_expected(comment, expected_status)
        confirming = before == status.value
        if confirming and _decided_so_already(s, comment, action):
            return Outcome(comment, False, status, False)
        sources = [status] if confirming else [st for st in MODERATABLE if st != status]
        if expected_status is not None:  # the UPDATE's WHERE keeps the check race-free
            sources = [st for st in sources if st.value == expected_status]
        if not transition(s, comment_id, sources, status):
            if expected_status is not None:
                s.refresh(comment)
                _check_expected(comment, expected_status)
            return _unmoved(s, comment, status)
        actor = f"moderator:{moderator}"
        s.add(Decision(comment_id=comment_id, verdict=action, decided_by=actor, note=note))
        audit(s, comment, actor, action, status, {"note": note} if note else None)
        relabel(s, comment, action, actor)
        changed = (before == Status.APPROVED.value) != (status == Status.APPROVED)
        if changed:
            touch_thread(s, comment.article_id)
        rejected_before = before == Status.REJECTED.value
        event = outbox.add_event(
            s, comment, outbox.moderator_event(action, changed, rejected_before)
        )
        s.refresh(comment)
        return Outcome(comment, True, status, changed, rejected_before, event)


class StaleStatus(Conflict):
    """The comment is no longer in the status the moderator saw."""

    def __init__(self, current: str) -> None:
        super().__init__(
            f"another moderator decided this comment meanwhile: it is now {current}",
            {"expected_status": [f"The comment is now {current}."]},
        )
        self.current = current


def _check_expected(comment: Comment, expected_status: str | None) -> None:
    if expected_status is not None and comment.status != expected_status:
        raise StaleStatus(comment.status)


def _decided_so_already(s: Session, comment: Comment, action: str) -> bool:
    """Tell whether a moderator's latest decision on the comment is this action, and no
    reader reported it since (a report asks for a review: the desk's reported tab)."""
    latest = s.execute(
        select(Decision.verdict, Decision.created_at)
        .where(Decision.comment_id == comment.id, Decision.decided_by != "system")
        .order_by(Decision.id.desc())
        .limit(1)
    ).first()
    if latest is None or latest.verdict != action:
        return False
    if not comment.report_count:
        return True
    reported = s.scalar(select(func.max(Report.created_at)).where(Report.comment_id == comment.id))
    return reported is None or latest.created_at >= reported


def _unmoved(s: Session, comment: Comment, status: Status) -> Outcome:
    """The transition found nothing to move: another moderator got there first, or the
    comment is pending or deleted."""
    s.refresh(comment)
    if comment.status == status.value:
        return Outcome(comment, False, status, False)
    raise Conflict(f"a comment that is {comment.status} cannot be moderated")


def relabel(s: Session, comment: Comment, action: str, actor: str) -> None:
    """Make this action the comment's one training label: a comment counts with its latest."""
    label = TRAINING_LABEL[action]
    query = select(TrainingExample.label).where(TrainingExample.comment_id == comment.id)
    if list(s.scalars(query)) == [label]:
        return  # taught already: a new row would only count towards the retrain again
    s.execute(
        delete(TrainingExample)
        .where(TrainingExample.comment_id == comment.id)
        .execution_options(synchronize_session=False)
    )
    s.add(_training_example(comment, action, actor))


def _training_example(comment: Comment, action: str, actor: str) -> TrainingExample:
    return TrainingExample(
        site_id=comment.site_id,
        comment_id=comment.id,
        text=comment.body,
        label=TRAINING_LABEL[action],
        source=actor,
    )


class UndoRefused(Conflict):
    """Undo cannot put this comment back; `why` names the reason for the desk's words."""

    def __init__(self, why: str, message: str) -> None:
        super().__init__(message)
        self.why = why  # not_latest, too_late or changed


@dataclass(frozen=True)
class Undone:
    comment: Comment
    restored: Status
    published_changed: bool
    webhook_event: int | None = None  # to queue after the commit (service/store/outbox.py)


def undo_decision(
    db: Database, comment_id: int, moderator: str, window: timedelta, scope: Scope = EVERYTHING
) -> Undone:
    """Put a comment back where it was before this moderator's latest action, if recent.

    A pick made since does not stand in the way (it changed no status): undoing an approval
    takes the comment out of the thread, and its pick with it."""
    actor = f"moderator:{moderator}"
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        last = s.scalar(
            select(AuditEntry)
            .where(AuditEntry.comment_id == comment_id, AuditEntry.action.not_in(PICK_ACTIONS))
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
        if comment is None or last is None or not comment_in_scope(s, comment, scope):
            raise NotFound("comment not found")
        if last.actor != actor or last.action not in MODERATOR_ACTIONS or not last.from_status:
            raise UndoRefused(
                "not_latest", "your last action on this comment is not the latest one"
            )
        if last.created_at < datetime.now(UTC) - window:
            raise UndoRefused("too_late", "too late to undo")
        restored = Status(last.from_status)
        if not transition(s, comment_id, (Status(comment.status),), restored):
            raise UndoRefused("changed", "the comment changed meanwhile")
        audit(s, comment, actor, "undo", restored, {"undid": last.action, "audit_id": last.id})
        _drop_decision(s, comment_id, last)
        _restore_label(s, comment, last)
        changed = (comment.status == Status.APPROVED.value) != (restored == Status.APPROVED)
        if changed:
            touch_thread(s, comment.article_id)
        event = outbox.add_event(s, comment, outbox.undo_event(changed, restored))
        s.refresh(comment)
        return Undone(comment, restored, changed, event)


def _drop_decision(s: Session, comment_id: int, undone: AuditEntry) -> None:
    """Take the undone action's decision away, so it no longer counts as the comment's latest
    (its card, the reported tab, a repeated click); the audit log keeps the action and the
    undo."""
    decision_id = s.scalar(
        select(Decision.id)
        .where(
            Decision.comment_id == comment_id,
            Decision.decided_by == undone.actor,
            Decision.verdict == undone.action,
        )
        .order_by(Decision.id.desc())
        .limit(1)
    )
    if decision_id is not None:
        s.execute(delete(Decision).where(Decision.id == decision_id))


def _restore_label(s: Session, comment: Comment, undone: AuditEntry) -> None:
    """Give the comment the training label of the moderator's action still standing before
    the undone one (a comment counts with its latest label), or none if there is none."""
    entries = s.scalars(
        select(AuditEntry).where(AuditEntry.comment_id == comment.id, AuditEntry.id < undone.id)
    ).all()
    taken_back = {e.detail.get("audit_id") for e in entries if e.action == "undo" and e.detail}
    standing = [
        e
        for e in entries
        if e.action in MODERATOR_ACTIONS
        and e.actor.startswith("moderator:")
        and e.id not in taken_back
    ]
    if standing:
        latest = max(standing, key=lambda e: e.id)
        relabel(s, comment, latest.action, latest.actor)
    else:
        s.execute(delete(TrainingExample).where(TrainingExample.comment_id == comment.id))
