"""An author's standing on a site, as the worker weighs it: recent history and active bans.

Both are asked for a whole batch at once: one grouped history query and one ban query per
site, whatever the batch's size. Statements are built once, with bind parameters, and run
on the session's connection: they select columns, not objects, so the ORM layer only costs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select, union
from sqlalchemy.orm import Session

from service.models import Ban, Comment, Status, utcnow

HISTORY_WINDOW = timedelta(days=90)

# Only decided comments count; a pending one (the comment itself, its batch) never does.
_COUNTED = (Status.APPROVED.value, Status.REJECTED.value, Status.SPAM.value)

_BANS = select(Ban.kind, Ban.value).where(
    Ban.site_id == bindparam("site_id"),
    Ban.kind.in_(("email", "author", "ip")),
    Ban.value.in_(bindparam("values", expanding=True)),
    or_(Ban.expires_at.is_(None), Ban.expires_at > bindparam("now")),
)


def author_histories(s: Session, comments: list[Comment]) -> dict[int, tuple[int, int]]:
    """Count each comment's author's approved and rejected comments of the last 90 days.

    An author is the same email or the same author id. One grouped query per site answers
    a whole batch; each comment then sums the groups that share its email or its id.
    """
    since = utcnow() - HISTORY_WINDOW
    found: dict[int, tuple[int, int]] = {}
    for site_id, group in _by_site(comments).items():
        emails = {c.author_email for c in group if c.author_email}
        authors = {c.author_id for c in group if c.author_id}
        if not emails and not authors:
            continue
        query = _HISTORY[bool(emails), bool(authors)]
        params = {"site_id": site_id, "since": since, "emails": [*emails], "authors": [*authors]}
        groups = _GroupsByAuthor(s.connection().execute(query, params).all())
        for comment in group:
            found[comment.id] = groups.counts(comment)
    return found


def _history_groups(column: Any, values: str) -> Select[str | None, str | None, str, int]:
    return (
        select(Comment.author_email, Comment.author_id, Comment.status, func.count())
        .where(
            Comment.site_id == bindparam("site_id"),
            column.in_(bindparam(values, expanding=True)),
            Comment.status.in_(_COUNTED),
            Comment.created_at >= bindparam("since"),
        )
        .group_by(Comment.author_email, Comment.author_id, Comment.status)
    )


# By (any email, any author id). Not one OR: SQLite would then walk every decided comment
# of the site. A group found by both branches is the same rows, so UNION keeps it once.
_BY_EMAIL = _history_groups(Comment.author_email, "emails")
_BY_AUTHOR_ID = _history_groups(Comment.author_id, "authors")
_HISTORY: dict[tuple[bool, bool], Any] = {
    (True, False): _BY_EMAIL,
    (False, True): _BY_AUTHOR_ID,
    (True, True): union(_BY_EMAIL, _BY_AUTHOR_ID),
}


class _GroupsByAuthor:
    """The history query's (email, author id, status, count) groups, found by either key."""

    def __init__(self, rows: Any) -> None:
        self._by_key: dict[tuple[str, str | None], list[tuple[int, str, int]]] = {}
        for i, (email, author_id, status, n) in enumerate(rows):
            for key in (("email", email), ("id", author_id)):
                if key[1]:
                    self._by_key.setdefault(key, []).append((i, status, n))

    def counts(self, comment: Comment) -> tuple[int, int]:
        """Sum the approved and the rejected groups sharing the comment's email or id."""
        mine: dict[int, tuple[str, int]] = {}  # a group matching both keys counts once
        for key in (("email", comment.author_email), ("id", comment.author_id)):
            if key[1]:
                mine.update({i: (status, n) for i, status, n in self._by_key.get(key, ())})
        approved = sum(n for status, n in mine.values() if status == Status.APPROVED.value)
        return approved, sum(n for _, n in mine.values()) - approved


def active_bans(s: Session, comments: list[Comment]) -> dict[int, tuple[str, ...]]:
    """Find the active bans on each comment's email, author id or IP: one query per site."""
    now = utcnow()
    found: dict[int, tuple[str, ...]] = {}
    for site_id, group in _by_site(comments).items():
        wanted = {comment.id: _ban_keys(comment) for comment in group}
        values = {value for keys in wanted.values() for _, value in keys}
        if not values:
            continue
        params = {"site_id": site_id, "values": [*values], "now": now}
        active = {(kind, value) for kind, value in s.connection().execute(_BANS, params)}
        for comment_id, keys in wanted.items():
            kinds = {kind for kind, value in keys if (kind, value) in active}
            if kinds:
                found[comment_id] = tuple(sorted(kinds))
    return found


def _ban_keys(comment: Comment) -> list[tuple[str, str]]:
    candidates = {"email": comment.author_email, "author": comment.author_id, "ip": comment.ip}
    return [(kind, value) for kind, value in candidates.items() if value]


def _by_site(comments: list[Comment]) -> dict[int, list[Comment]]:
    groups: dict[int, list[Comment]] = {}
    for comment in comments:
        groups.setdefault(comment.site_id, []).append(comment)
    return groups
