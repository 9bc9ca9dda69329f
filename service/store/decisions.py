"""Decisions on comments: the worker's, the moderators', and what both need to make them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Float,
    Integer,
    String,
    bindparam,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from service.errors import Conflict, NotFound
from service.models import (
    Article,
    AuditEntry,
    Ban,
    Comment,
    Decision,
    Report,
    Site,
    Status,
    TrainingExample,
    table_of,
    utcnow,
)
from service.scopes import EVERYTHING, Scope, comment_in_scope
from service.site_config import site_config
from service.store import outbox, search_index
from service.store.db import Database
from service.store.records import audit, note_thread_versions, touch_thread, transition
from service.store.standing import active_bans, author_histories

VERDICT_STATUS = {
    "approve": Status.APPROVED,
    "hold": Status.HELD,
    "spam": Status.SPAM,
    "reject": Status.REJECTED,
}
# A moderator may overrule any decided state; pending belongs to the worker, deleted is final.
MODERATABLE = (Status.HELD, Status.APPROVED, Status.SPAM, Status.REJECTED)
TRAINING_LABEL = {"approve": "ham", "spam": "spam", "reject": "abuse"}


@dataclass(frozen=True)
class ModerationInput:
    """Everything the worker needs from the database to decide one pending comment."""

    comment: Comment
    article: Article
    site: Site
    config: dict[str, Any]
    author_approved: int
    author_rejected: int
    banned: tuple[str, ...]


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


def load_for_moderation(db: Database, comment_id: int) -> ModerationInput | None:
    """Load a pending comment with its article, site and author history; None if not pending."""
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        if comment is None or comment.status != Status.PENDING.value:
            return None
        article = s.get(Article, comment.article_id)
        site = s.get(Site, comment.site_id)
        assert article is not None and site is not None
        approved, rejected = _author_history(s, comment)
        return ModerationInput(
            comment=comment,
            article=article,
            site=site,
            config=site_config(site.config),
            author_approved=approved,
            author_rejected=rejected,
            banned=_active_bans(s, comment),
        )


def author_standing(
    db: Database, site_id: int, email: str | None, author_id: str | None, ip: str | None
) -> tuple[int, int, tuple[str, ...]]:
    """Return an author's approved and rejected counts and active bans, for an unstored comment."""
    # A transient row (id 0, never added) lets the same queries answer as for a stored one.
    probe = Comment(id=0, site_id=site_id, author_email=email, author_id=author_id, ip=ip)
    with db.transaction() as s:
        approved, rejected = _author_history(s, probe)
        return approved, rejected, _active_bans(s, probe)


def _author_history(s: Session, comment: Comment) -> tuple[int, int]:
    return author_histories(s, [comment]).get(comment.id, (0, 0))


def _active_bans(s: Session, comment: Comment) -> tuple[str, ...]:
    return active_bans(s, [comment]).get(comment.id, ())


# The worker's statements are built once: for a batch of one, building them again for
# every job cost more CPU than SQLite took to run them.
_IDS: BindParameter[int] = bindparam("ids", expanding=True)
# The pending comments with their articles and sites: one statement, one round trip.
_PENDING = (
    select(Comment, Article, Site)
    .join(Article, Article.id == Comment.article_id)
    .join(Site, Site.id == Comment.site_id)
    .where(Comment.id.in_(_IDS), Comment.status == Status.PENDING.value)
)


def record_system_decision(
    db: Database,
    comment_id: int,
    verdict: str,
    scores: dict[str, float],
    reasons: list[dict[str, Any]],
    engine_version: str,
) -> Outcome | None:
    """Record the worker's decision if the comment is still pending; None if it was not."""
    status = VERDICT_STATUS[verdict]
    with db.transaction() as s:
        comment = s.get(Comment, comment_id)
        moved = comment is not None and transition(
            s, comment_id, (Status.PENDING,), status, risk=risk_of(scores)
        )
        if comment is None or not moved:
            return None  # decided already (a retried or duplicated job): decide nothing twice
        s.add(
            Decision(
                comment_id=comment_id,
                verdict=verdict,
                scores=scores,
                reasons=reasons,
                engine_version=engine_version,
                decided_by="system",
            )
        )
        search_index.store_texts(s.connection(), [comment])
        audit(s, comment, "system", "decide", status, {"engine_version": engine_version})
        if status == Status.APPROVED:
            touch_thread(s, comment.article_id)
        event = outbox.add_event(s, comment, outbox.SYSTEM_EVENTS.get(status))
        s.refresh(comment)
        return Outcome(comment, True, status, status == Status.APPROVED, webhook_event=event)


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


def stranded_comment_ids(db: Database, min_age: timedelta, limit: int = 500) -> list[int]:
    """Find pending comments whose job may be lost and mark them as re-queued now."""
    cutoff = utcnow() - min_age
    with db.transaction() as s:
        ids = list(
            s.scalars(
                select(Comment.id)
                .where(
                    Comment.status == Status.PENDING.value,
                    Comment.created_at < cutoff,
                    or_(Comment.enqueued_at.is_(None), Comment.enqueued_at < cutoff),
                )
                .order_by(Comment.created_at)
                .limit(limit)
            )
        )
        if ids:
            s.execute(
                update(Comment)
                .where(Comment.id.in_(ids))
                .values(enqueued_at=utcnow())
                .execution_options(synchronize_session=False)
            )
        return ids


BAN_NEW, BAN_EXTENDED, BAN_KEPT = "new", "extended", "kept"


@dataclass(frozen=True)
class BanOutcome:
    """What banning did: a new ban, an active one extended, or an active one left (kept)."""

    ban: Ban
    done: str  # BAN_NEW, BAN_EXTENDED or BAN_KEPT
    until_before: datetime | None = None  # an extended ban's expiry before (None: it had none)


def add_ban(
    db: Database,
    site_id: int,
    kind: str,
    value: str,
    actor: str,
    reason: str = "",
    expires_in: timedelta | None = None,
) -> BanOutcome:
    """Ban an email, author id or IP on one site, for a while or for good.

    A detail banned already keeps its one ban: a later (or no) expiry extends it, an earlier
    one leaves it as it is.
    """
    now = utcnow()
    until = now + expires_in if expires_in else None
    with db.transaction() as s:
        _ban_one_at_a_time(s, site_id)
        active = _longest_active_ban(s, site_id, kind, value, now)
        if active is None:
            ban = Ban(site_id=site_id, kind=kind, value=value, reason=reason, created_by=actor)
            ban.expires_at = until
            s.add(ban)
            audit(s, None, actor, "ban", None, {"kind": kind, "value": value}, site_id=site_id)
            s.flush()
            return BanOutcome(ban, BAN_NEW)
        before = active.expires_at
        if before is None or (until is not None and until <= before):
            return BanOutcome(active, BAN_KEPT)
        active.expires_at = until
        detail = {"kind": kind, "value": value, "ban_id": active.id}
        detail |= {"until_before": before.isoformat(), "until": until and until.isoformat()}
        if reason:
            detail["note"] = reason
        audit(s, None, actor, "ban_extend", None, detail, site_id=site_id)
        return BanOutcome(active, BAN_EXTENDED, before)


def _ban_one_at_a_time(s: Session, site_id: int) -> None:
    """Take the site's row lock before reading its bans, so that two moderators banning the
    same author at once cannot both find no ban and add one each. As the transaction's first
    statement a write also takes SQLite's write lock (the second one waits its busy timeout
    instead of failing); on PostgreSQL it is a row lock that intake's foreign key checks on
    the site do not wait for."""
    s.execute(
        update(Site)
        .where(Site.id == site_id)
        .values(name=Site.name)
        .execution_options(synchronize_session=False)
    )


def _longest_active_ban(
    s: Session, site_id: int, kind: str, value: str, now: datetime
) -> Ban | None:
    """The detail's ban in force that lasts longest (one for good first), if any."""
    bans = s.scalars(
        select(Ban).where(
            Ban.site_id == site_id,
            Ban.kind == kind,
            Ban.value == value,
            or_(Ban.expires_at.is_(None), Ban.expires_at > now),
        )
    ).all()
    return max(bans, key=lambda b: (b.expires_at is None, b.expires_at or now), default=None)


def load_many_for_moderation(db: Database, comment_ids: list[int]) -> list[ModerationInput]:
    """Load the pending ones of many comments in one transaction, in the order given."""
    with db.transaction() as s:
        rows = s.execute(_PENDING, {"ids": comment_ids}).all()
        found = {comment.id: (comment, article, site) for comment, article, site in rows}
        comments = [found[i][0] for i in comment_ids if i in found]
        configs = {site.id: site_config(site.config) for _, _, site in found.values()}
        histories = author_histories(s, comments)
        bans = active_bans(s, comments)
        loaded = []
        for comment in comments:
            approved, rejected = histories.get(comment.id, (0, 0))
            loaded.append(
                ModerationInput(
                    comment=comment,
                    article=found[comment.id][1],
                    site=found[comment.id][2],
                    config=configs[comment.site_id],
                    author_approved=approved,
                    author_rejected=rejected,
                    banned=bans.get(comment.id, ()),
                )
            )
        return loaded


@dataclass(frozen=True)
class SystemDecision:
    """One worker decision to record (see record_system_decisions)."""

    comment: Comment
    verdict: str
    scores: dict[str, float]
    reasons: list[dict[str, Any]]
    engine_version: str


def record_system_decisions(db: Database, decisions: list[SystemDecision]) -> list[Outcome]:
    """Record many worker decisions in one transaction; each comment still leaves pending once.

    One conditional UPDATE ... RETURNING per verdict moves only the comments that are still
    pending; decision and audit rows are written for those alone, so a comment another
    worker decided meanwhile gets nothing twice.
    """
    now = utcnow()
    by_status: dict[Status, list[SystemDecision]] = {}
    for d in decisions:
        by_status.setdefault(VERDICT_STATUS[d.verdict], []).append(d)
    done: list[tuple[SystemDecision, Status]] = []
    with db.hot_writer(), db.transaction() as s:
        # Core statements on the session's connection: the ORM layer would add ~0.2 ms a
        # statement to a path that runs five per batch and needs none of its bookkeeping.
        conn = s.connection()
        for status, group in by_status.items():
            ids = [d.comment.id for d in group]
            risks = json.dumps({str(d.comment.id): risk_of(d.scores) for d in group})
            # Only edited comments are named: the rest were read at revision 0.
            read = json.dumps(
                {str(d.comment.id): d.comment.revision for d in group if d.comment.revision}
            )
            params = {
                "ids": ids,
                "new_status": status.value,
                "now": now,
                "risks": risks,
                "revisions": read,
            }
            moved = set(conn.execute(_DECIDE[conn.dialect.name], params).scalars())
            done += [(d, status) for d in group if d.comment.id in moved]
        _add_decision_rows(conn, done, now)
        search_index.store_texts(conn, [d.comment for d, _ in done])
        announced = [(d.comment, outbox.SYSTEM_EVENTS.get(status)) for d, status in done]
        events = outbox.add_events(conn, [(c, e) for c, e in announced if e])
        outcomes = [_outcome(d.comment, status, now, events) for d, status in done]
        _touch_threads(s, {o.comment.article_id for o in outcomes if o.status == Status.APPROVED})
    return outcomes


def _touch_threads(s: Session, article_ids: set[int]) -> None:
    """Bump the thread versions of many articles in one statement, locking them in id order.

    The ordered FOR UPDATE subquery (ignored by SQLite, which has one writer anyway) keeps
    two workers that publish on the same articles from deadlocking on PostgreSQL.
    """
    if article_ids:
        rows = s.connection().execute(_TOUCH_THREADS, {"ids": sorted(article_ids)})
        note_thread_versions(s, rows)


_COMMENTS, _ARTICLES = table_of(Comment), table_of(Article)
_INSERT_DECISIONS, _INSERT_AUDIT = insert(table_of(Decision)), insert(table_of(AuditEntry))


def _each_comments(dialect: str, name: str, sql_type: Any, default: float) -> ColumnElement[Any]:
    """Each comment's value, read from the batch's JSON object {"<comment id>": value} in
    the parameter `name`; `default` for a comment it does not name.

    One parameter for any batch, so the statement stays built once. A second UPDATE for the
    risk cost PostgreSQL a new version of every row and of all its index entries.
    """
    values = bindparam(name, type_=String)
    if dialect == "postgresql":
        found = func.jsonb_extract_path_text(cast(values, JSONB), cast(_COMMENTS.c.id, String))
        return func.coalesce(cast(found, sql_type), default)
    return func.coalesce(func.json_extract(values, func.printf('$."%d"', _COMMENTS.c.id)), default)


def _decide(dialect: str) -> Any:
    """Move the still-pending comments of one verdict, noting each one's risk (the desk's
    riskiest-first order); RETURNING says which moved. A comment edited since the worker
    read it keeps pending: its own job checks the new text (or the sweep queues one)."""
    return (
        update(_COMMENTS)
        .where(
            _COMMENTS.c.id.in_(_IDS),
            _COMMENTS.c.status == Status.PENDING.value,
            _COMMENTS.c.revision == _each_comments(dialect, "revisions", Integer, 0),
        )
        .values(
            status=bindparam("new_status"),
            updated_at=bindparam("now"),
            risk=_each_comments(dialect, "risks", Float, 0.0),
        )
        .returning(_COMMENTS.c.id)
    )


_DECIDE = {dialect: _decide(dialect) for dialect in ("sqlite", "postgresql")}
_TOUCH_THREADS = (
    update(_ARTICLES)
    .where(
        _ARTICLES.c.id.in_(
            select(_ARTICLES.c.id)
            .where(_ARTICLES.c.id.in_(_IDS))
            .order_by(_ARTICLES.c.id)
            .with_for_update()
            .scalar_subquery()
        )
    )
    .values(thread_version=_ARTICLES.c.thread_version + 1)
    .returning(_ARTICLES.c.id, _ARTICLES.c.thread_version)
)


def _add_decision_rows(
    conn: Connection, done: list[tuple[SystemDecision, Status]], now: datetime
) -> None:
    if not done:
        return
    conn.execute(
        _INSERT_DECISIONS,
        [
            {
                "comment_id": d.comment.id,
                "verdict": d.verdict,
                "scores": d.scores,
                "reasons": d.reasons,
                "engine_version": d.engine_version,
                "decided_by": "system",
                "note": "",
                "created_at": now,
            }
            for d, _ in done
        ],
    )
    conn.execute(
        _INSERT_AUDIT,
        [
            {
                "site_id": d.comment.site_id,
                "comment_id": d.comment.id,
                "actor": "system",
                "action": "decide",
                "from_status": Status.PENDING.value,
                "to_status": status.value,
                "detail": {"engine_version": d.engine_version},
                "created_at": now,
            }
            for d, status in done
        ],
    )


def risk_of(scores: dict[str, float]) -> float:
    """The engine's higher score, spam or abuse: what the desk's riskiest-first sorts by."""
    return max(float(scores.get("spam", 0.0)), float(scores.get("abuse", 0.0)))


def _outcome(comment: Comment, status: Status, now: datetime, events: dict[int, int]) -> Outcome:
    comment.status = status.value
    comment.updated_at = now
    event = events.get(comment.id)
    return Outcome(comment, True, status, status == Status.APPROVED, webhook_event=event)
