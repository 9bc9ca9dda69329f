"""What the engine and the moderators did over a period: the desk's overview page.

The honest account of the engine a newsroom asks for: of the comments that came in, how
many it published at once, held for a moderator, or kept out, and how often a moderator
who looked again disagreed. A held comment a moderator approved is a false alarm; a
published one a moderator removed, or a kept-out one a moderator approved, is the engine
overturned. Two grouped counts a period (decisions by time: `ix_decisions_created`,
migration 0005); `bench/queue_page.py` times the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, cast, distinct, func, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement

from service.models import Comment, Decision, Status
from service.scopes import EVERYTHING, Scope, comment_conditions
from service.store.db import Database
from service.store.desk_cards import SYSTEM

ENGINE_VERDICTS = ("approve", "hold", "spam", "reject")
KEPT_OUT_VERDICTS = ("spam", "reject")
KEPT_OUT_STATUSES = (Status.SPAM.value, Status.REJECTED.value)
StatusCounts = dict[str, int]  # a comment status now -> how many
# The overview counts waiting comments exactly up to here (the queue's tabs stop at 10,000).
WAITING_CAP = 100_000


@dataclass(frozen=True)
class Period:
    """One period's figures, for every site or one.

    The comments the engine decided in the period are followed to where they stand now,
    so a moderator's decision that was undone counts as nothing, and each share is of the
    same comments: of those the engine held, the share a moderator approved.
    """

    received: int  # comments submitted in the period
    # The engine's verdicts given in the period -> the comments' status now -> count.
    outcomes: dict[str, dict[str, int]]

    def decided(self, verdict: str) -> int:
        return sum(self.outcomes.get(verdict, {}).values())

    def now(self, verdicts: tuple[str, ...], statuses: tuple[str, ...]) -> int:
        return sum(self.outcomes.get(v, {}).get(s, 0) for v in verdicts for s in statuses)

    @property
    def decided_by_engine(self) -> int:
        return sum(self.decided(verdict) for verdict in ENGINE_VERDICTS)

    @property
    def kept_out(self) -> int:
        return sum(self.decided(verdict) for verdict in KEPT_OUT_VERDICTS)

    @property
    def held_then_approved(self) -> int:
        return self.now(("hold",), (Status.APPROVED.value,))

    @property
    def held_then_kept_out(self) -> int:
        return self.now(("hold",), KEPT_OUT_STATUSES)

    @property
    def published_then_removed(self) -> int:
        return self.now(("approve",), KEPT_OUT_STATUSES)

    @property
    def kept_out_then_approved(self) -> int:
        return self.now(KEPT_OUT_VERDICTS, (Status.APPROVED.value,))


@dataclass(frozen=True)
class HeldFor:
    """One reason the engine held comments for (or one word of a reason), and where those
    comments stand now."""

    key: str  # the reason's code, or the word its detail names
    held: int
    approved: int  # a moderator published them: the reason's false alarms
    kept_out: int  # a moderator rejected them or marked them spam (the rest still wait)


@dataclass(frozen=True)
class Waiting:
    """The held comments waiting for a moderator now."""

    count: int  # exact up to cap; past it, cap + 1
    oldest: datetime | None
    cap: int = WAITING_CAP

    @property
    def shown(self) -> str:
        """The count as the page says it: "100,000+" past the cap."""
        return f"{self.cap:,}+" if self.count > self.cap else f"{self.count:,}"


def period(
    db: Database, site_ids: list[int] | None, since: datetime, scope: Scope = EVERYTHING
) -> Period:
    """What came in since `since` and what became of what the engine decided, on these
    sites (None: every site), of the comments in the moderator's scope."""
    return Period(_received(db, site_ids, since, scope), _outcomes(db, site_ids, since, scope))


def held_for(
    db: Database, site_ids: list[int] | None, since: datetime, scope: Scope = EVERYTHING
) -> list[HeldFor]:
    """Each reason the engine held comments for since `since`, most held first.

    A comment held for two reasons counts under both: the table answers which rules cost
    the moderators' time and how often they agreed, not how many comments were held.
    """
    query = _held_reasons_query(db.engine.dialect.name, since, scope=scope)
    counts = _held_counts(db, site_ids, query)
    return _held_rows({code: statuses for (code,), statuses in counts.items()})


def held_for_words(
    db: Database, site_id: int, codes: tuple[str, ...], since: datetime
) -> dict[str, list[HeldFor]]:
    """For each reason of `codes` that names a word (a site's suspect words, the built-in
    profanity list: the reason's ``detail.word``), the words it held one site's comments
    for since `since`, most held first: what each word costs the moderators' time, and
    how often they published its comments anyway."""
    query = _held_reasons_query(db.engine.dialect.name, since, words_of=codes)
    by_code: dict[str, dict[str, StatusCounts]] = defaultdict(dict)
    for (code, word), statuses in _held_counts(db, [site_id], query).items():
        by_code[code][word] = statuses
    return {code: _held_rows(by_code[code]) for code in codes}


def _held_counts(
    db: Database, site_ids: list[int] | None, query: Select[Any]
) -> dict[tuple[str, ...], StatusCounts]:
    """Run a `_held_reasons_query` and sum its rows of these sites (None: every site)."""
    counts: dict[tuple[str, ...], StatusCounts] = defaultdict(lambda: defaultdict(int))
    with db.transaction() as s:
        for site_id, *key, status, count in s.execute(query):
            if _counted(site_id, site_ids):
                counts[tuple(str(part) for part in key)][status] += count
    return counts


def _counted(site_id: int | None, site_ids: list[int] | None) -> bool:
    """A row's site is asked for; no site (None) is a comment out of the scope."""
    return site_id is not None and (site_ids is None or site_id in site_ids)


def _held_rows(counts: dict[str, StatusCounts]) -> list[HeldFor]:
    rows = [
        HeldFor(
            key,
            sum(statuses.values()),
            statuses.get(Status.APPROVED.value, 0),
            sum(statuses.get(status, 0) for status in KEPT_OUT_STATUSES),
        )
        for key, statuses in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row.held, row.key))


def _held_reasons_query(
    dialect: str, since: datetime, words_of: tuple[str, ...] = (), scope: Scope = EVERYTHING
) -> Select[Any]:
    """(site_id, code, status, count) of the reasons that held comments since `since`; with
    `words_of`, those reasons only, and (site_id, code, word, status, count) by the word
    each names."""
    # Counted in the database, one row per (site, reason, status): reading every held
    # decision's reasons into Python cost 120 ms a week of 10,000 holds (bench/queue_page.py).
    # The reasons are a JSON list; each dialect has its own way to unnest one.
    code: ColumnElement[Any]
    verdict: ColumnElement[Any]
    word: ColumnElement[Any]
    if dialect == "postgresql":
        # Unnested as jsonb: parsed once, where each operator on a json value parses its text
        # again (the words' count 148 -> 94 ms, the reasons' 86 -> 73 ms at a week of 10,000
        # holds; docs/performance.md, session 20).
        reasons = cast(Decision.reasons, JSONB)
        reason = func.jsonb_array_elements(reasons).table_valued("value").alias("reason")
        code, verdict = reason.c.value.op("->>")("code"), reason.c.value.op("->>")("verdict")
        word = reason.c.value.op("->")("detail").op("->>")("word")
    else:
        reason = func.json_each(Decision.reasons).table_valued("value").alias("reason")
        code = func.json_extract(reason.c.value, "$.code")
        verdict = func.json_extract(reason.c.value, "$.verdict")
        word = func.json_extract(reason.c.value, "$.detail.word")
    keys = [code.label("code"), *([word.label("word")] if words_of else [])]
    held = (
        _decisions_with_comment(dialect, *keys, Decision.id, scope=scope)
        .join(reason, true())
        .where(
            Decision.created_at >= since,
            Decision.decided_by == SYSTEM,
            Decision.verdict == "hold",
            verdict == "hold",  # the reasons that held it, not those that only noted something
            *([code.in_(words_of)] if words_of else []),
        )
        .subquery()
    )
    by = [held.c.site_id, *(held.c[k.name] for k in keys), held.c.status]
    return select(*by, func.count(distinct(held.c.id))).group_by(*by)


def _decisions_with_comment(dialect: str, *columns: Any, scope: Scope = EVERYTHING) -> Select[Any]:
    """Decisions with their comment's site_id and status (labelled so) beside `columns`.

    The comment is looked up by id, decision by decision, rather than joined: with a
    million comments PostgreSQL hashed them all to meet a week's 10,000 decisions (80 ms
    and more), and SQLite walked them for the reasons' count (550 ms). PostgreSQL looks up
    through LATERAL (kept apart by LIMIT 1), SQLite, which has no LATERAL, through
    correlated subqueries (`bench/queue_page.py --comments 1000000`). A comment out of the
    scope is not found: no row on PostgreSQL, a null site_id on SQLite (see _counted).
    """
    of_decision = and_(Comment.id == Decision.comment_id, *comment_conditions(scope))
    if dialect == "postgresql":
        comment = select(Comment.site_id, Comment.status).where(of_decision).limit(1)
        found = comment.lateral("comment")
        return (
            select(found.c.site_id, found.c.status, *columns)
            .select_from(Decision)
            .join(found, true())
        )
    site_id = select(Comment.site_id).where(of_decision).scalar_subquery()
    status = select(Comment.status).where(of_decision).scalar_subquery()
    return select(site_id.label("site_id"), status.label("status"), *columns)


def waiting(
    db: Database, site_ids: list[int] | None, cap: int = WAITING_CAP, scope: Scope = EVERYTHING
) -> Waiting:
    """How many held comments in scope wait (counted up to `cap`), and since when the oldest."""
    held = [Comment.status == Status.HELD.value, *_on_sites(site_ids), *comment_conditions(scope)]
    # Counting a million held comments exactly walked all of them: 150 ms on PostgreSQL, the
    # page's largest part (session 20). Stopped past the cap, the count walks at most that
    # many index entries; the oldest is the first entry of (site_id,) status, created_at.
    counted = select(Comment.id).where(*held).limit(cap + 1).subquery()
    with db.transaction() as s:
        count = s.scalar(select(func.count()).select_from(counted))
        oldest = s.scalar(select(func.min(Comment.created_at)).where(*held))
    return Waiting(count or 0, oldest, cap)


def _on_sites(site_ids: list[int] | None) -> list[ColumnElement[bool]]:
    return [] if site_ids is None else [Comment.site_id.in_(site_ids)]


def _received(db: Database, site_ids: list[int] | None, since: datetime, scope: Scope) -> int:
    # Through the status column, so that an index leading with (site_id,) status and
    # ending in created_at serves the range: comments has no index on created_at alone.
    statuses = [status.value for status in Status]
    query = select(func.count()).where(
        Comment.status.in_(statuses),
        Comment.created_at >= since,
        *_on_sites(site_ids),
        *comment_conditions(scope),
    )
    with db.transaction() as s:
        return s.scalar(query) or 0


def _outcomes(
    db: Database, site_ids: list[int] | None, since: datetime, scope: Scope
) -> dict[str, dict[str, int]]:
    # The engine decides a comment once (it leaves pending once), so each comment counts once.
    # Grouped by site and filtered here rather than in SQL: with a site in the WHERE clause
    # SQLite walked the site's comments and probed their decisions (1 s at 1,000,000), where
    # the decisions of the period, found by time, are a few thousand.
    decided = (
        _decisions_with_comment(db.engine.dialect.name, Decision.verdict, scope=scope)
        .where(Decision.created_at >= since, Decision.decided_by == SYSTEM)
        .subquery()
    )
    query = select(decided.c.site_id, decided.c.verdict, decided.c.status, func.count()).group_by(
        decided.c.site_id, decided.c.verdict, decided.c.status
    )
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with db.transaction() as s:
        for site_id, verdict, status, count in s.execute(query):
            if _counted(site_id, site_ids):
                table[verdict][status] += count
    return {verdict: dict(statuses) for verdict, statuses in table.items()}
