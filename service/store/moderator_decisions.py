"""A moderator's approve, reject or spam: audited, kept as the comment's one training label
(what the site's classifier learns from), and idempotent: a repeated click, a retried request
or a bulk action over decided comments adds nothing, and a decision made on a stale page is
refused (StaleStatus) rather than overturning another moderator's."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.errors import Conflict, NotFound
from service.models import Comment, Decision, Report, Status, TrainingExample
from service.scopes import EVERYTHING, Scope, comment_in_scope
from service.store import outbox
from service.store.db import Database
from service.store.decisions import VERDICT_STATUS, Outcome
from service.store.records import audit, touch_thread, transition

# A moderator may overrule any decided state; pending belongs to the worker, deleted is final.
MODERATABLE = (Status.HELD, Status.APPROVED, Status.SPAM, Status.REJECTED)
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
